#pragma once

#include "services/intake/ports/intake_repository.h"

namespace soci {
class session;
}

namespace confide::persistence {

// Intakes in the `intakes` table: lifecycle columns plain, answers and summary sealed.
class SociIntakeRepository final : public IntakeRepository {
 public:
  explicit SociIntakeRepository(soci::session& sql) : sql_(sql) {}

  absl::StatusOr<std::optional<IntakeRecord>> Find(std::string_view clinic_id,
                                                   std::string_view client_id) override;
  absl::Status Insert(const IntakeRecord& record) override;
  absl::Status Update(const IntakeRecord& record, int64_t expected_version) override;

 private:
  soci::session& sql_;
};

}  // namespace confide::persistence
