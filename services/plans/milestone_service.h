#pragma once

#include "absl/status/statusor.h"
#include "confide/v1/plans.pb.h"
#include "services/api/method_table.h"
#include "services/common/id_generator.h"
#include "services/crypto/ports/client_data_cipher.h"

namespace confide {

// The milestone RPCs of confide.v1.PlanService. Access has already been decided by the
// pipeline; these enforce the record's rules: a milestone links only a plan (and goal) the
// caller may link (see CheckMilestoneLinks in the .cc), a goal has one milestone at most, a
// partner without the goals share sees no goal's milestone, and a retried RecordMilestone (same
// request id) returns the first result. Goal milestones made on sharing are in milestones.h.
class MilestoneService {
 public:
  MilestoneService(ClientDataCipher& cipher, IdGenerator& ids) : cipher_(cipher), ids_(ids) {}

  absl::StatusOr<v1::Milestone> Record(const v1::RecordMilestoneRequest& request,
                                       RequestScope& scope);
  absl::StatusOr<v1::ListMilestonesResponse> List(const v1::ListMilestonesRequest& request,
                                                  RequestScope& scope);

  // Adds RecordMilestone and ListMilestones of PlanService to `table`.
  void Register(MethodTable& table);

 private:
  ClientDataCipher& cipher_;
  IdGenerator& ids_;
};

}  // namespace confide
