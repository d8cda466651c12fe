#pragma once

#include "absl/status/status.h"
#include "services/api/method_table.h"

namespace confide {

// Archived clients are read-only: the record, and every clinical record kept for them (intake,
// plans, milestones), may be read but no longer changed. Write handlers of those records call
// this with the pipeline's scope (its client_id already resolved and access decided).
// FAILED_PRECONDITION when the target client is archived, NOT_FOUND when it is not in the
// caller's clinic.
absl::Status RequireWritableClient(RequestScope& scope);

}  // namespace confide
