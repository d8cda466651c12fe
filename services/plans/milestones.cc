#include "services/plans/milestones.h"

#include <set>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/common/text_checks.h"
#include "services/common/timestamps.h"
#include "services/plans/plan_validation.h"

namespace confide {
namespace {

constexpr std::string_view kMilestonesTable = "milestones";
constexpr std::string_view kTitleColumn = "title_sealed";
// Shown when an achieved goal has no patient wording to celebrate it with.
constexpr char kAchievedGoalTitle[] = "Goal achieved";

// Where a milestone's title is sealed; it refers to `milestone_id`, which must outlive it.
FieldLocation TitleLocation(const std::string& milestone_id) {
  return FieldLocation{kMilestonesTable, kTitleColumn, milestone_id};
}

}  // namespace

std::string MilestoneResource(std::string_view client_id, std::string_view milestone_id) {
  return absl::StrCat("clients/", std::string(client_id), "/milestones/",
                      std::string(milestone_id));
}

absl::Status StoreMilestone(ClientDataCipher& cipher, RequestScope& scope, MilestoneRecord record,
                            const std::string& title) {
  absl::StatusOr<std::string> sealed =
      cipher.Seal(scope.uow, record.clinic_id, record.client_id, TitleLocation(record.id), title);
  if (!sealed.ok()) {
    return sealed.status();
  }
  record.title_sealed = *std::move(sealed);
  return scope.uow.milestones().Insert(record);
}

absl::StatusOr<v1::Milestone> OpenMilestone(ClientDataCipher& cipher, RequestScope& scope,
                                            const MilestoneRecord& record) {
  absl::StatusOr<std::string> title = cipher.Open(scope.uow, record.clinic_id, record.client_id,
                                                  TitleLocation(record.id), record.title_sealed);
  if (!title.ok()) {
    return title.status();
  }
  v1::Milestone milestone;
  milestone.set_id(record.id);
  milestone.set_client_id(record.client_id);
  milestone.set_title(*std::move(title));
  milestone.set_achieved_date(record.achieved_date);
  milestone.set_plan_id(record.plan_id);
  milestone.set_goal_id(record.goal_id);
  milestone.set_recorded_by_user_id(record.recorded_by_user_id);
  milestone.set_recorded_by_role(record.recorded_by_role);
  *milestone.mutable_create_time() = ToTimestamp(record.create_time);
  return milestone;
}

absl::Status RecordSharedGoalMilestones(ClientDataCipher& cipher, IdGenerator& ids,
                                        const v1::TherapyPlan& shared, RequestScope& scope) {
  const Principal& who = *scope.principal;
  absl::StatusOr<std::vector<std::string>> done =
      scope.uow.milestones().GoalIdsWithMilestone(who.clinic_id, shared.id());
  if (!done.ok()) {
    return done.status();
  }
  const std::set<std::string> has_milestone(done->begin(), done->end());
  for (const v1::Goal& goal : shared.goals()) {
    if (goal.status() != v1::GOAL_STATUS_ACHIEVED || has_milestone.count(goal.id()) > 0) {
      continue;
    }
    const std::string title = goal.patient_wording().empty()
                                  ? std::string(kAchievedGoalTitle)
                                  : TruncateUtf8(goal.patient_wording(), kMaxMilestoneTitle);
    MilestoneRecord milestone{.id = ids.NewId(),
                              .clinic_id = who.clinic_id,
                              .client_id = shared.client_id(),
                              .plan_id = shared.id(),
                              .goal_id = goal.id(),
                              .recorded_by_user_id = who.user_id,
                              .recorded_by_role = who.role,
                              .achieved_date = goal.achieved_date(),
                              .create_time = StoredTime(scope.now)};
    if (absl::Status s = StoreMilestone(cipher, scope, std::move(milestone), title); !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

}  // namespace confide
