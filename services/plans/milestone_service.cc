#include "services/plans/milestone_service.h"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/api/field_errors.h"
#include "services/api/list_page.h"
#include "services/api/page_token.h"
#include "services/api/request_replay.h"
#include "services/clients/writable_client.h"
#include "services/common/timestamps.h"
#include "services/plans/goal_visibility.h"
#include "services/plans/milestones.h"
#include "services/plans/plan_store.h"
#include "services/plans/plan_validation.h"

namespace confide {
namespace {

constexpr std::string_view kMilestonesList = "milestones";

// The plan and goal a RecordMilestone caller links. The patient sees only shared versions, so
// she may link only a plan with one, and never a goal: a goal's milestone comes from the care
// team (or from sharing), one per goal. The care team may link a goal of the plan's current
// content that has no milestone yet. Messages say nothing of a plan the caller cannot see.
absl::Status CheckMilestoneLinks(ClientDataCipher& cipher, const v1::Milestone& sent,
                                 RequestScope& scope) {
  const bool patient = scope.principal->role == v1::ROLE_PATIENT;
  if (patient && !sent.goal_id().empty()) {
    return InvalidField("milestone.goal_id", "only the care team links milestones to goals");
  }
  if (sent.plan_id().empty()) {
    return absl::OkStatus();
  }
  absl::StatusOr<PlanRecord> plan = LoadPlan(scope, sent.plan_id());
  if (plan.status().code() == absl::StatusCode::kNotFound ||
      (plan.ok() && patient && plan->shared_version == 0)) {
    return InvalidField("milestone.plan_id", patient ? "names no plan shared with this client"
                                                     : "names no plan of this client");
  }
  if (!plan.ok()) {
    return plan.status();
  }
  if (sent.goal_id().empty()) {
    return absl::OkStatus();
  }
  absl::StatusOr<v1::TherapyPlan> current = LoadVersion(cipher, scope, *plan, plan->latest_version);
  if (!current.ok()) {
    return current.status();
  }
  bool found = false;
  for (const v1::Goal& goal : current->goals()) {
    found = found || goal.id() == sent.goal_id();
  }
  if (!found) {
    return InvalidField("milestone.goal_id", "names no goal of the plan");
  }
  absl::StatusOr<std::vector<std::string>> done =
      scope.uow.milestones().GoalIdsWithMilestone(plan->clinic_id, plan->id);
  if (!done.ok()) {
    return done.status();
  }
  for (const std::string& goal_id : *done) {
    if (goal_id == sent.goal_id()) {
      return absl::AlreadyExistsError("the goal already has its milestone");
    }
  }
  return absl::OkStatus();
}

// The milestone an earlier RecordMilestone with `request_id` made (see request_replay.h).
absl::StatusOr<std::optional<v1::Milestone>> ReplayMilestone(ClientDataCipher& cipher,
                                                             RequestScope& scope,
                                                             const std::string& request_id) {
  return ReplayEarlier<v1::Milestone, MilestoneRecord>(
      scope, scope.uow.milestones().FindByRequestId(scope.principal->clinic_id, request_id),
      [&](const MilestoneRecord& earlier) {
        scope.audit.resource = MilestoneResource(scope.client_id, earlier.id);
        return OpenMilestone(cipher, scope, earlier);
      });
}

}  // namespace

absl::StatusOr<v1::Milestone> MilestoneService::Record(const v1::RecordMilestoneRequest& request,
                                                       RequestScope& scope) {
  return CreateOnce<v1::Milestone>(
      request.request_id(), [&] { return ReplayMilestone(cipher_, scope, request.request_id()); },
      [&]() -> absl::StatusOr<v1::Milestone> {
        if (absl::Status writable = RequireWritableClient(scope); !writable.ok()) {
          return writable;
        }
        const Principal& who = *scope.principal;
        const v1::Milestone& sent = request.milestone();
        if (absl::Status valid = ValidateMilestoneFields(sent, "milestone", scope.now);
            !valid.ok()) {
          return valid;
        }
        if (absl::Status linked = CheckMilestoneLinks(cipher_, sent, scope); !linked.ok()) {
          return linked;
        }
        MilestoneRecord record{.id = ids_.NewId(),
                               .clinic_id = who.clinic_id,
                               .client_id = scope.client_id,
                               .plan_id = sent.plan_id(),
                               .goal_id = sent.goal_id(),
                               .recorded_by_user_id = who.user_id,
                               .recorded_by_role = who.role,
                               .achieved_date = sent.achieved_date(),
                               .create_time = StoredTime(scope.now),
                               .request_id = request.request_id()};
        scope.audit.resource = MilestoneResource(scope.client_id, record.id);
        if (absl::Status stored = scope.uow.Atomically(
                [&] { return StoreMilestone(cipher_, scope, record, sent.title()); });
            !stored.ok()) {
          return stored;
        }
        v1::Milestone milestone = sent;
        milestone.set_id(record.id);
        milestone.set_client_id(record.client_id);
        milestone.set_recorded_by_user_id(record.recorded_by_user_id);
        milestone.set_recorded_by_role(record.recorded_by_role);
        *milestone.mutable_create_time() = ToTimestamp(record.create_time);
        return milestone;
      });
}

absl::StatusOr<v1::ListMilestonesResponse> MilestoneService::List(
    const v1::ListMilestonesRequest& request, RequestScope& scope) {
  scope.audit.resource = absl::StrCat("clients/", scope.client_id, "/milestones");
  absl::StatusOr<ListPage> page =
      StartListPage(request.page_size(), request.page_token(), kMilestonesList, "ListMilestones");
  if (!page.ok()) {
    return page.status();
  }
  // A goal's milestone tells of the goal: a partner without the goals share does not see it.
  absl::StatusOr<bool> with_goals = MaySeeGoals(scope);
  if (!with_goals.ok()) {
    return with_goals.status();
  }
  absl::StatusOr<std::vector<MilestoneRecord>> rows = scope.uow.milestones().ListOfClient(
      scope.principal->clinic_id, scope.client_id, page->after, page->size + 1);
  if (!rows.ok()) {
    return rows.status();
  }
  v1::ListMilestonesResponse response;
  const int shown = std::min(page->size, static_cast<int>(rows->size()));
  for (int i = 0; i < shown; ++i) {
    const MilestoneRecord& row = (*rows)[i];
    if (!row.goal_id.empty() && !*with_goals) {
      continue;
    }
    absl::StatusOr<v1::Milestone> milestone = OpenMilestone(cipher_, scope, row);
    if (!milestone.ok()) {
      return milestone.status();
    }
    *response.add_milestones() = *std::move(milestone);
  }
  // A page may hold fewer than page_size milestones when some were left out; the token still
  // continues after the last row read.
  if (static_cast<int>(rows->size()) > page->size) {
    response.set_next_page_token(EncodePageToken(kMilestonesList, (*rows)[shown - 1].id));
  }
  return response;
}

void MilestoneService::Register(MethodTable& table) {
  table.Add(MethodDefinition<v1::RecordMilestoneRequest, v1::Milestone>{
      .full_name = "confide.v1.PlanService.RecordMilestone",
      .mode = TransactionMode::kWrite,
      .action = Action::kRecordMilestone,
      .target_client = [](const v1::RecordMilestoneRequest& r) { return r.client_id(); },
      .validate = ValidateRecordMilestone,
      .handler = [this](const auto& r, RequestScope& s) { return Record(r, s); }});
  table.Add(MethodDefinition<v1::ListMilestonesRequest, v1::ListMilestonesResponse>{
      .full_name = "confide.v1.PlanService.ListMilestones",
      .mode = TransactionMode::kRead,
      .action = Action::kReadProgressSummary,
      .target_client = [](const v1::ListMilestonesRequest& r) { return r.client_id(); },
      .validate = ValidateListMilestones,
      .handler = [this](const auto& r, RequestScope& s) { return List(r, s); }});
}

}  // namespace confide
