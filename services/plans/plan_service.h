#pragma once

#include "absl/status/statusor.h"
#include "confide/v1/plans.pb.h"
#include "services/api/method_table.h"
#include "services/common/id_generator.h"
#include "services/crypto/ports/client_data_cipher.h"

namespace confide {

// Therapy plans. Access has already been decided by the pipeline when these run; they enforce
// the record's own rules: versions are never changed, an update needs the latest version's
// etag, the patient sees only the shared version in patient wording (goal milestones are made
// when a version is shared, so they reveal nothing unshared), and a retried create (same
// request id) returns the first result.
class PlanService {
 public:
  PlanService(ClientDataCipher& cipher, IdGenerator& ids) : cipher_(cipher), ids_(ids) {}

  absl::StatusOr<v1::TherapyPlan> Create(const v1::CreatePlanRequest& request, RequestScope& scope);
  absl::StatusOr<v1::TherapyPlan> Get(const v1::GetPlanRequest& request, RequestScope& scope);
  absl::StatusOr<v1::ListPlansResponse> List(const v1::ListPlansRequest& request,
                                             RequestScope& scope);
  absl::StatusOr<v1::ListPlanVersionsResponse> ListVersions(
      const v1::ListPlanVersionsRequest& request, RequestScope& scope);
  absl::StatusOr<v1::TherapyPlan> Update(const v1::UpdatePlanRequest& request, RequestScope& scope);
  absl::StatusOr<v1::TherapyPlan> Share(const v1::SharePlanVersionRequest& request,
                                        RequestScope& scope);
  absl::StatusOr<v1::ListSharedPlansResponse> ListShared(RequestScope& scope);

  // Adds the plan RPCs of confide.v1.PlanService to `table`; the milestone RPCs are
  // MilestoneService's (milestone_service.h).
  void Register(MethodTable& table);

 private:
  ClientDataCipher& cipher_;
  IdGenerator& ids_;
};

}  // namespace confide
