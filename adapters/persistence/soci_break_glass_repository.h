#pragma once

#include "services/break_glass/ports/break_glass_repository.h"

namespace soci {
class session;
}

namespace confide::persistence {

// Break-glass grants in the `break_glass_grants` table (reasons sealed).
class SociBreakGlassRepository final : public BreakGlassRepository {
 public:
  explicit SociBreakGlassRepository(soci::session& sql) : sql_(sql) {}

  absl::Status Insert(const BreakGlassRecord& record) override;
  absl::StatusOr<std::optional<absl::Time>> LiveUntil(std::string_view user_id,
                                                      std::string_view client_id,
                                                      absl::Time now) override;
  absl::StatusOr<std::vector<BreakGlassRecord>> List(const BreakGlassQuery& query) override;

 private:
  soci::session& sql_;
};

}  // namespace confide::persistence
