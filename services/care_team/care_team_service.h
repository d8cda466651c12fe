#pragma once

#include "absl/status/statusor.h"
#include "confide/v1/access.pb.h"
#include "services/api/method_table.h"

namespace confide {

// Who treats a client: listing for the team, the admin and the patient; changes by the admin
// and the client's clinicians. Members are clinicians of the same clinic.
class CareTeamService {
 public:
  absl::StatusOr<v1::ListCareTeamResponse> List(RequestScope& scope);
  absl::StatusOr<v1::ListCareTeamResponse> Add(const v1::AddCareTeamMemberRequest& request,
                                               RequestScope& scope);
  absl::StatusOr<v1::ListCareTeamResponse> Remove(const v1::RemoveCareTeamMemberRequest& request,
                                                  RequestScope& scope);
  absl::StatusOr<v1::ListCareTeamResponse> SetPrimary(const v1::SetPrimaryClinicianRequest& request,
                                                      RequestScope& scope);

  void Register(MethodTable& table);
};

}  // namespace confide
