#include "services/policy/access_policy.h"

#include <algorithm>

namespace confide {
namespace {

bool OnCareTeam(const Principal& who, const ClientAccessFacts& client) {
  return std::find(client.care_team_user_ids.begin(), client.care_team_user_ids.end(),
                   who.user_id) != client.care_team_user_ids.end();
}

Decision DecideClinicLevel(const Principal& who, Action action) {
  switch (who.role) {
    case v1::ROLE_CLINICIAN:
    case v1::ROLE_ADMIN:
      return (action == Action::kCreateClient || action == Action::kListClients)
                 ? Decision::kAllow
                 : Decision::kNotFound;
    case v1::ROLE_PATIENT:
      // A patient's list is just her own record, but creating clients is staff work.
      return action == Action::kListClients ? Decision::kAllow : Decision::kPermissionDenied;
    default:
      return Decision::kPermissionDenied;
  }
}

Decision DecideOnClient(const Principal& who, Action action, const ClientAccessFacts& client) {
  if (client.clinic_id != who.clinic_id) {
    return Decision::kNotFound;
  }
  switch (who.role) {
    case v1::ROLE_CLINICIAN:
      return OnCareTeam(who, client) ? Decision::kAllow : Decision::kNotFound;
    case v1::ROLE_ADMIN:
      return (action == Action::kReadClient || action == Action::kArchiveClient)
                 ? Decision::kAllow
                 : Decision::kPermissionDenied;
    case v1::ROLE_PATIENT:
      if (who.client_id != client.client_id) {
        return Decision::kNotFound;
      }
      return action == Action::kReadClient ? Decision::kAllow : Decision::kPermissionDenied;
    default:
      return Decision::kNotFound;
  }
}

}  // namespace

Decision Decide(const Principal& who, Action action, const ClientAccessFacts* client) {
  if (who.clinic_id.empty() || who.user_id.empty()) {
    return Decision::kNotFound;
  }
  return client == nullptr ? DecideClinicLevel(who, action) : DecideOnClient(who, action, *client);
}

}  // namespace confide
