#include "services/plans/plan_versioning.h"

#include <string>

#include "google/protobuf/util/field_mask_util.h"
#include "services/common/timestamps.h"
#include "services/plans/plan_validation.h"

namespace confide {
namespace {

using google::protobuf::util::FieldMaskUtil;

void ApplyDefaults(v1::TherapyPlan& plan) {
  if (plan.status() == v1::PLAN_STATUS_UNSPECIFIED) {
    plan.set_status(v1::PLAN_STATUS_ACTIVE);
  }
  for (v1::Goal& goal : *plan.mutable_goals()) {
    if (goal.status() == v1::GOAL_STATUS_UNSPECIFIED) {
      goal.set_status(v1::GOAL_STATUS_NOT_STARTED);
    }
  }
}

}  // namespace

v1::TherapyPlan PlanContent(const v1::TherapyPlan& plan) {
  v1::TherapyPlan content = plan;
  content.clear_id();
  content.clear_client_id();
  content.clear_version();
  content.clear_author_user_id();
  content.clear_version_create_time();
  content.clear_shared_version();
  content.clear_create_time();
  content.clear_etag();
  return content;
}

absl::StatusOr<v1::TherapyPlan> FirstPlanVersion(const v1::TherapyPlan& requested,
                                                 std::string_view plan_id,
                                                 std::string_view client_id,
                                                 std::string_view author_user_id, absl::Time now) {
  v1::TherapyPlan plan = PlanContent(requested);
  // Fields this server does not know (a newer client's, or smuggled) are never stored.
  plan.DiscardUnknownFields();
  AssignMissingItemIds(plan);
  ApplyDefaults(plan);
  if (absl::Status valid = ValidatePlanContent(plan, "plan", now); !valid.ok()) {
    return valid;
  }
  plan.set_id(std::string(plan_id));
  plan.set_client_id(std::string(client_id));
  plan.set_version(1);
  plan.set_author_user_id(std::string(author_user_id));
  *plan.mutable_version_create_time() = ToTimestamp(now);
  *plan.mutable_create_time() = ToTimestamp(now);
  return plan;
}

absl::StatusOr<v1::TherapyPlan> NextPlanVersion(const v1::TherapyPlan& latest,
                                                const v1::TherapyPlan& changes,
                                                const google::protobuf::FieldMask& mask,
                                                std::string_view author_user_id, absl::Time now) {
  if (absl::Status valid = ValidatePlanUpdateMask(mask); !valid.ok()) {
    return valid;
  }
  v1::TherapyPlan next = PlanContent(latest);
  FieldMaskUtil::MergeOptions options;
  options.set_replace_message_fields(true);
  options.set_replace_repeated_fields(true);
  FieldMaskUtil::MergeMessageTo(PlanContent(changes), mask, options, &next);
  // Unknown fields inside the replaced messages survive the merge: drop them, as above.
  next.DiscardUnknownFields();
  AssignMissingItemIds(next, &latest);
  ApplyDefaults(next);
  if (absl::Status valid = ValidatePlanContent(next, "plan", now); !valid.ok()) {
    return valid;
  }
  next.set_id(latest.id());
  next.set_client_id(latest.client_id());
  next.set_version(latest.version() + 1);
  next.set_author_user_id(std::string(author_user_id));
  *next.mutable_version_create_time() = ToTimestamp(now);
  *next.mutable_create_time() = latest.create_time();
  next.set_shared_version(latest.shared_version());
  return next;
}

}  // namespace confide
