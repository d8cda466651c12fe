#include "services/notes/note_participants.h"

#include <algorithm>
#include <optional>
#include <vector>

#include "services/auth/ports/user_repository.h"
#include "services/clients/ports/care_team_repository.h"

namespace confide {

absl::StatusOr<bool> IsCareTeamClinician(RequestScope& scope, std::string_view user_id) {
  absl::StatusOr<std::vector<CareTeamMemberRecord>> team =
      scope.uow.care_teams().List(scope.client_id);
  if (!team.ok()) {
    return team.status();
  }
  if (std::none_of(team->begin(), team->end(),
                   [&](const CareTeamMemberRecord& m) { return m.user_id == user_id; })) {
    return false;
  }
  absl::StatusOr<std::optional<UserRecord>> user = scope.uow.users().FindById(user_id);
  if (!user.ok()) {
    return user.status();
  }
  return user->has_value() && (*user)->active &&
         (*user)->user.clinic_id() == scope.principal->clinic_id &&
         (*user)->user.role() == v1::ROLE_CLINICIAN;
}

}  // namespace confide
