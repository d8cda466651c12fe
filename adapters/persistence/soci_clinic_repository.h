#pragma once

#include "services/clinics/ports/clinic_repository.h"

namespace soci {
class session;
}

namespace confide::persistence {

// Clinics in the `clinics` table.
class SociClinicRepository final : public ClinicRepository {
 public:
  explicit SociClinicRepository(soci::session& sql) : sql_(sql) {}

  absl::Status Insert(const ClinicRecord& clinic, absl::Time now) override;
  absl::StatusOr<std::optional<ClinicRecord>> Find(std::string_view clinic_id) override;
  absl::StatusOr<int> CountRealClinics() override;

 private:
  soci::session& sql_;
};

}  // namespace confide::persistence
