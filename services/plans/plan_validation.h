#pragma once

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "confide/v1/plans.pb.h"
#include "google/protobuf/field_mask.pb.h"

namespace confide {

// Limits of a plan's free text (proto/confide/v1/plans.proto comments); `measure` has no limit
// there and gets the patient-facing one.
inline constexpr size_t kMaxPlanTitle = 200;
inline constexpr size_t kMaxClinicalText = 5000;
inline constexpr size_t kMaxPatientText = 2000;
inline constexpr size_t kMaxPatientSummary = 5000;
inline constexpr size_t kMaxMilestoneTitle = 500;
// Bounds on repeated fields, so one plan cannot grow without limit.
inline constexpr int kMaxProblems = 50;
inline constexpr int kMaxGoals = 50;
inline constexpr int kMaxInterventions = 100;
inline constexpr int kMaxDisciplines = 10;
// Problems one goal may name (each at most once).
inline constexpr int kMaxGoalProblems = 50;

// True for a real calendar date written YYYY-MM-DD from 1900-01-01 to 2100-12-31.
bool IsPlanDate(std::string_view text);

// True for a problem or goal id: 1-64 of [A-Za-z0-9_-].
bool IsPlanItemId(std::string_view id);

// Gives every problem and goal without an id one ("problem-<n>", "goal-<n>") that no other item
// of the plan, nor of `before` (the version an update starts from; may be null), uses, so a
// clinician may send new items without inventing ids and a new goal never takes the id of one
// just removed. Linear in the number of items (plus log factors).
void AssignMissingItemIds(v1::TherapyPlan& plan, const v1::TherapyPlan* before = nullptr);

// Checks a plan's content as it would be stored: lengths (in characters), enums, dates (ACHIEVED
// goals need an achieved date at most one day after `now`'s UTC date: time zones east of UTC),
// unique well-formed ids, goal→problem links (each at most once).
// Output-only fields are ignored. `prefix` is the plan's path in the request ("plan").
absl::Status ValidatePlanContent(const v1::TherapyPlan& plan, std::string_view prefix,
                                 absl::Time now);

// Paths UpdatePlan may change: the content fields, each replaced as a whole. INVALID_ARGUMENT
// naming update_mask for an empty mask, an output-only field or a name that is not a field.
absl::Status ValidatePlanUpdateMask(const google::protobuf::FieldMask& mask);

// Checks a milestone as sent by a caller (title, achieved date at most one day after `now`'s UTC
// date, link ids' shape); `prefix` is its path in the request ("milestone").
absl::Status ValidateMilestoneFields(const v1::Milestone& milestone, std::string_view prefix,
                                     absl::Time now);

// Create and Update also check the plan's repeated-field counts here, before any handler walks
// the items.
absl::Status ValidateCreatePlan(const v1::CreatePlanRequest& request);
absl::Status ValidateGetPlan(const v1::GetPlanRequest& request);
absl::Status ValidateListPlans(const v1::ListPlansRequest& request);
absl::Status ValidateListPlanVersions(const v1::ListPlanVersionsRequest& request);
absl::Status ValidateUpdatePlan(const v1::UpdatePlanRequest& request);
absl::Status ValidateSharePlanVersion(const v1::SharePlanVersionRequest& request);
absl::Status ValidateListSharedPlans(const v1::ListSharedPlansRequest& request);
absl::Status ValidateRecordMilestone(const v1::RecordMilestoneRequest& request);
absl::Status ValidateListMilestones(const v1::ListMilestonesRequest& request);

}  // namespace confide
