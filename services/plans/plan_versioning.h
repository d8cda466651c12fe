#pragma once

#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "confide/v1/plans.pb.h"
#include "google/protobuf/field_mask.pb.h"

namespace confide {

// What a version stores: the plan without its output-only fields (id, client, version, author,
// times, sharing, etag), which the plan's rows hold.
v1::TherapyPlan PlanContent(const v1::TherapyPlan& plan);

// Version 1 of a new plan from what the caller sent: output-only fields replaced, missing item
// ids generated, unset statuses defaulted (plan ACTIVE, goals NOT_STARTED), then validated.
absl::StatusOr<v1::TherapyPlan> FirstPlanVersion(const v1::TherapyPlan& requested,
                                                 std::string_view plan_id,
                                                 std::string_view client_id,
                                                 std::string_view author_user_id, absl::Time now);

// The version after `latest`: `latest` with the fields named in `mask` replaced by those of
// `changes` (repeated fields as a whole), version + 1, authored by `author_user_id` at `now`.
// The plan's id, client and create time stay those of `latest`. INVALID_ARGUMENT naming
// update_mask for a bad mask, or naming the field when the result is not a valid plan.
absl::StatusOr<v1::TherapyPlan> NextPlanVersion(const v1::TherapyPlan& latest,
                                                const v1::TherapyPlan& changes,
                                                const google::protobuf::FieldMask& mask,
                                                std::string_view author_user_id, absl::Time now);

}  // namespace confide
