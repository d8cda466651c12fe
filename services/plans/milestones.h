#pragma once

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "confide/v1/plans.pb.h"
#include "services/api/method_table.h"
#include "services/common/id_generator.h"
#include "services/crypto/ports/client_data_cipher.h"
#include "services/plans/ports/milestone_repository.h"

namespace confide {

// Milestones as stored: the row with its title sealed under the client's data key.

// The audit resource of a milestone: ids only, never its title.
std::string MilestoneResource(std::string_view client_id, std::string_view milestone_id);

// Seals `title` into `record` and stores it. ALREADY_EXISTS when its request id was used or
// its goal already has a milestone.
absl::Status StoreMilestone(ClientDataCipher& cipher, RequestScope& scope, MilestoneRecord record,
                            const std::string& title);

// A stored milestone as callers read it, title opened.
absl::StatusOr<v1::Milestone> OpenMilestone(ClientDataCipher& cipher, RequestScope& scope,
                                            const MilestoneRecord& record);

// Gives each goal ACHIEVED in `shared` (a version being shared) that has no milestone yet its
// milestone, in the words and with the date the patient is being shown. Milestones made here
// and nowhere else before sharing reveal nothing of an unshared version; a goal has one at
// most (also enforced by the database), so re-sharing or re-achieving adds none.
absl::Status RecordSharedGoalMilestones(ClientDataCipher& cipher, IdGenerator& ids,
                                        const v1::TherapyPlan& shared, RequestScope& scope);

}  // namespace confide
