#pragma once

#include "absl/status/statusor.h"
#include "services/api/method_table.h"

namespace confide {

// Whether the caller may see the goals of the client's shared plans (and the milestones of
// those goals, which tell of them). Everyone who may read the plan summary may, except a
// partner without the goals share: the policy decides, with her link's shares.
absl::StatusOr<bool> MaySeeGoals(RequestScope& scope);

}  // namespace confide
