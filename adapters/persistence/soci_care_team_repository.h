#pragma once

#include "services/clients/ports/care_team_repository.h"

namespace soci {
class session;
}

namespace confide::persistence {

// Care team members in the `care_team_members` table.
class SociCareTeamRepository final : public CareTeamRepository {
 public:
  explicit SociCareTeamRepository(soci::session& sql) : sql_(sql) {}

  absl::StatusOr<std::vector<CareTeamMemberRecord>> List(std::string_view client_id) override;
  absl::Status Add(const CareTeamMemberRecord& member) override;
  absl::Status Remove(std::string_view client_id, std::string_view user_id) override;
  absl::Status SetPrimary(std::string_view client_id, std::string_view user_id) override;

 private:
  soci::session& sql_;
};

}  // namespace confide::persistence
