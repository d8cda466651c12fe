#include "services/plans/plan_service.h"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/api/etag.h"
#include "services/api/list_page.h"
#include "services/api/page_token.h"
#include "services/api/request_replay.h"
#include "services/clients/writable_client.h"
#include "services/common/timestamps.h"
#include "services/plans/goal_visibility.h"
#include "services/plans/milestones.h"
#include "services/plans/plan_store.h"
#include "services/plans/plan_validation.h"
#include "services/plans/plan_versioning.h"
#include "services/plans/shared_plan.h"

namespace confide {
namespace {

constexpr std::string_view kPlansList = "plans";

// Version 1 of the plan an earlier CreatePlan with `request_id` made (see request_replay.h).
absl::StatusOr<std::optional<v1::TherapyPlan>> ReplayCreate(ClientDataCipher& cipher,
                                                            RequestScope& scope,
                                                            const std::string& request_id) {
  return ReplayEarlier<v1::TherapyPlan, PlanRecord>(
      scope, scope.uow.plans().FindByCreateRequestId(scope.principal->clinic_id, request_id),
      [&](const PlanRecord& earlier) {
        scope.audit.resource = PlanResource(scope.client_id, earlier.id);
        return LoadVersion(cipher, scope, earlier, 1);
      });
}

}  // namespace

absl::StatusOr<v1::TherapyPlan> PlanService::Create(const v1::CreatePlanRequest& request,
                                                    RequestScope& scope) {
  return CreateOnce<v1::TherapyPlan>(
      request.request_id(), [&] { return ReplayCreate(cipher_, scope, request.request_id()); },
      [&]() -> absl::StatusOr<v1::TherapyPlan> {
        if (absl::Status writable = RequireWritableClient(scope); !writable.ok()) {
          return writable;
        }
        const Principal& who = *scope.principal;
        const std::string plan_id = ids_.NewId();
        const absl::Time now = StoredTime(scope.now);
        // Before validation, so a refused create is audited with the plan it would have made.
        scope.audit.resource = PlanResource(scope.client_id, plan_id);
        absl::StatusOr<v1::TherapyPlan> first =
            FirstPlanVersion(request.plan(), plan_id, scope.client_id, who.user_id, now);
        if (!first.ok()) {
          return first.status();
        }
        const PlanRecord record{.id = plan_id,
                                .clinic_id = who.clinic_id,
                                .client_id = scope.client_id,
                                .latest_version = 1,
                                .create_time = now,
                                .created_by = who.user_id};
        if (absl::Status inserted = scope.uow.Atomically([&]() -> absl::Status {
              if (absl::Status s = scope.uow.plans().Insert(record, request.request_id());
                  !s.ok()) {
                return s;
              }
              return StoreVersion(cipher_, scope, *first);
            });
            !inserted.ok()) {
          return inserted;
        }
        first->set_etag(EtagOf(1));
        return *std::move(first);
      });
}

absl::StatusOr<v1::TherapyPlan> PlanService::Get(const v1::GetPlanRequest& request,
                                                 RequestScope& scope) {
  absl::StatusOr<PlanRecord> plan = LoadPlan(scope, request.plan_id());
  if (!plan.ok()) {
    return plan.status();
  }
  scope.audit.resource = PlanResource(scope.client_id, plan->id);
  const int number = request.version() == 0 ? plan->latest_version : request.version();
  return LoadVersion(cipher_, scope, *plan, number);
}

absl::StatusOr<v1::ListPlansResponse> PlanService::List(const v1::ListPlansRequest& request,
                                                        RequestScope& scope) {
  scope.audit.resource = absl::StrCat("clients/", scope.client_id, "/plans");
  absl::StatusOr<ListPage> page =
      StartListPage(request.page_size(), request.page_token(), kPlansList, "ListPlans");
  if (!page.ok()) {
    return page.status();
  }
  // One row more than the page shows tells whether there is a next page.
  absl::StatusOr<std::vector<PlanRecord>> plans = scope.uow.plans().ListOfClient(
      scope.principal->clinic_id, scope.client_id, page->after, page->size + 1);
  if (!plans.ok()) {
    return plans.status();
  }
  v1::ListPlansResponse response;
  const int shown = std::min(page->size, static_cast<int>(plans->size()));
  for (int i = 0; i < shown; ++i) {
    const PlanRecord& plan = (*plans)[i];
    absl::StatusOr<v1::TherapyPlan> latest = LoadVersion(cipher_, scope, plan, plan.latest_version);
    if (!latest.ok()) {
      return latest.status();
    }
    *response.add_plans() = *std::move(latest);
  }
  if (static_cast<int>(plans->size()) > page->size) {
    response.set_next_page_token(EncodePageToken(kPlansList, (*plans)[shown - 1].id));
  }
  return response;
}

absl::StatusOr<v1::ListPlanVersionsResponse> PlanService::ListVersions(
    const v1::ListPlanVersionsRequest& request, RequestScope& scope) {
  absl::StatusOr<PlanRecord> plan = LoadPlan(scope, request.plan_id());
  if (!plan.ok()) {
    return plan.status();
  }
  scope.audit.resource = PlanResource(scope.client_id, plan->id);
  absl::StatusOr<int> page_size = EffectivePageSize(request.page_size());
  if (!page_size.ok()) {
    return page_size.status();
  }
  int before = 0;
  if (!request.page_token().empty()) {
    absl::StatusOr<int> last = DecodeVersionPageToken(plan->id, request.page_token());
    if (!last.ok()) {
      return last.status();
    }
    before = *last;
  }
  absl::StatusOr<std::vector<PlanVersionRecord>> rows =
      scope.uow.plans().ListVersions(plan->clinic_id, plan->id, before, *page_size + 1);
  if (!rows.ok()) {
    return rows.status();
  }
  v1::ListPlanVersionsResponse response;
  const int shown = std::min(*page_size, static_cast<int>(rows->size()));
  for (int i = 0; i < shown; ++i) {
    absl::StatusOr<v1::TherapyPlan> version = OpenVersion(cipher_, scope, *plan, (*rows)[i]);
    if (!version.ok()) {
      return version.status();
    }
    *response.add_versions() = *std::move(version);
  }
  if (static_cast<int>(rows->size()) > *page_size) {
    response.set_next_page_token(EncodeVersionPageToken(plan->id, (*rows)[shown - 1].version));
  }
  return response;
}

absl::StatusOr<v1::TherapyPlan> PlanService::Update(const v1::UpdatePlanRequest& request,
                                                    RequestScope& scope) {
  const Principal& who = *scope.principal;
  absl::StatusOr<PlanRecord> plan = LoadPlan(scope, request.plan().id());
  if (!plan.ok()) {
    return plan.status();
  }
  scope.audit.resource = PlanResource(scope.client_id, plan->id);
  if (absl::Status writable = RequireWritableClient(scope); !writable.ok()) {
    return writable;
  }
  if (request.plan().etag() != EtagOf(plan->latest_version)) {
    return StaleEtag("plan");
  }
  absl::StatusOr<v1::TherapyPlan> latest = LoadVersion(cipher_, scope, *plan, plan->latest_version);
  if (!latest.ok()) {
    return latest.status();
  }
  absl::StatusOr<v1::TherapyPlan> next = NextPlanVersion(
      *latest, request.plan(), request.update_mask(), who.user_id, StoredTime(scope.now));
  if (!next.ok()) {
    return next.status();
  }
  // Goals achieved here earn their milestone when a version showing them is shared (Share):
  // a milestone made now would show the patient a version she has not been given.
  bool version_taken = false;
  absl::Status stored = scope.uow.Atomically([&]() -> absl::Status {
    if (absl::Status s = scope.uow.plans().AdvanceLatest(who.clinic_id, plan->id,
                                                         plan->latest_version, next->version());
        !s.ok()) {
      return s;
    }
    absl::Status s = StoreVersion(cipher_, scope, *next);
    version_taken = s.code() == absl::StatusCode::kAlreadyExists;
    return s;
  });
  if (version_taken) {
    // Another update made this version number first (PostgreSQL, several servers).
    return absl::AbortedError("the plan has a newer version; reload and retry");
  }
  if (!stored.ok()) {
    return stored;
  }
  next->set_etag(EtagOf(next->version()));
  return *std::move(next);
}

absl::StatusOr<v1::TherapyPlan> PlanService::Share(const v1::SharePlanVersionRequest& request,
                                                   RequestScope& scope) {
  absl::StatusOr<PlanRecord> plan = LoadPlan(scope, request.plan_id());
  if (!plan.ok()) {
    return plan.status();
  }
  scope.audit.resource = PlanResource(scope.client_id, plan->id);
  if (absl::Status writable = RequireWritableClient(scope); !writable.ok()) {
    return writable;
  }
  const int number = request.version() == 0 ? plan->latest_version : request.version();
  absl::StatusOr<v1::TherapyPlan> shown = LoadVersion(cipher_, scope, *plan, number);
  if (!shown.ok()) {
    return shown.status();
  }
  if (absl::Status s = scope.uow.Atomically([&]() -> absl::Status {
        if (absl::Status set = scope.uow.plans().SetShared(plan->clinic_id, plan->id, number,
                                                           StoredTime(scope.now));
            !set.ok()) {
          return set;
        }
        return RecordSharedGoalMilestones(cipher_, ids_, *shown, scope);
      });
      !s.ok()) {
    return s;
  }
  shown->set_shared_version(number);
  return *std::move(shown);
}

absl::StatusOr<v1::ListSharedPlansResponse> PlanService::ListShared(RequestScope& scope) {
  scope.audit.resource = absl::StrCat("clients/", scope.client_id, "/sharedPlans");
  absl::StatusOr<bool> with_goals = MaySeeGoals(scope);
  if (!with_goals.ok()) {
    return with_goals.status();
  }
  std::vector<PlanRecord> plans;
  for (std::string after;;) {
    absl::StatusOr<std::vector<PlanRecord>> page = scope.uow.plans().ListOfClient(
        scope.principal->clinic_id, scope.client_id, after, kMaxPageSize);
    if (!page.ok()) {
      return page.status();
    }
    plans.insert(plans.end(), page->begin(), page->end());
    if (static_cast<int>(page->size()) < kMaxPageSize) {
      break;
    }
    after = page->back().id;
  }
  v1::ListSharedPlansResponse response;
  for (const PlanRecord& plan : plans) {
    if (plan.shared_version == 0) {
      continue;
    }
    absl::StatusOr<v1::TherapyPlan> shared = LoadVersion(cipher_, scope, plan, plan.shared_version);
    if (!shared.ok()) {
      return shared.status();
    }
    *response.add_plans() =
        ToSharedPlan(*shared, plan.share_time.value_or(plan.create_time), *with_goals);
  }
  return response;
}

void PlanService::Register(MethodTable& table) {
  table.Add(MethodDefinition<v1::CreatePlanRequest, v1::TherapyPlan>{
      .full_name = "confide.v1.PlanService.CreatePlan",
      .mode = TransactionMode::kWrite,
      .action = Action::kWriteClinical,
      .target_client = [](const v1::CreatePlanRequest& r) { return r.client_id(); },
      .validate = ValidateCreatePlan,
      .handler = [this](const auto& r, RequestScope& s) { return Create(r, s); }});
  table.Add(MethodDefinition<v1::GetPlanRequest, v1::TherapyPlan>{
      .full_name = "confide.v1.PlanService.GetPlan",
      .mode = TransactionMode::kRead,
      .action = Action::kReadClinicalPlan,
      .target_client = [](const v1::GetPlanRequest& r) { return r.client_id(); },
      .validate = ValidateGetPlan,
      .handler = [this](const auto& r, RequestScope& s) { return Get(r, s); }});
  table.Add(MethodDefinition<v1::ListPlansRequest, v1::ListPlansResponse>{
      .full_name = "confide.v1.PlanService.ListPlans",
      .mode = TransactionMode::kRead,
      .action = Action::kReadClinicalPlan,
      .target_client = [](const v1::ListPlansRequest& r) { return r.client_id(); },
      .validate = ValidateListPlans,
      .handler = [this](const auto& r, RequestScope& s) { return List(r, s); }});
  table.Add(MethodDefinition<v1::ListPlanVersionsRequest, v1::ListPlanVersionsResponse>{
      .full_name = "confide.v1.PlanService.ListPlanVersions",
      .mode = TransactionMode::kRead,
      .action = Action::kReadClinicalPlan,
      .target_client = [](const v1::ListPlanVersionsRequest& r) { return r.client_id(); },
      .validate = ValidateListPlanVersions,
      .handler = [this](const auto& r, RequestScope& s) { return ListVersions(r, s); }});
  table.Add(MethodDefinition<v1::UpdatePlanRequest, v1::TherapyPlan>{
      .full_name = "confide.v1.PlanService.UpdatePlan",
      .mode = TransactionMode::kWrite,
      .action = Action::kWriteClinical,
      .target_client = [](const v1::UpdatePlanRequest& r) { return r.plan().client_id(); },
      .validate = ValidateUpdatePlan,
      .handler = [this](const auto& r, RequestScope& s) { return Update(r, s); }});
  table.Add(MethodDefinition<v1::SharePlanVersionRequest, v1::TherapyPlan>{
      .full_name = "confide.v1.PlanService.SharePlanVersion",
      .mode = TransactionMode::kWrite,
      .action = Action::kWriteClinical,
      .target_client = [](const v1::SharePlanVersionRequest& r) { return r.client_id(); },
      .validate = ValidateSharePlanVersion,
      .handler = [this](const auto& r, RequestScope& s) { return Share(r, s); }});
  table.Add(MethodDefinition<v1::ListSharedPlansRequest, v1::ListSharedPlansResponse>{
      .full_name = "confide.v1.PlanService.ListSharedPlans",
      .mode = TransactionMode::kRead,
      .action = Action::kReadPlanSummary,
      .target_client = [](const v1::ListSharedPlansRequest& r) { return r.client_id(); },
      .validate = ValidateListSharedPlans,
      .handler = [this](const auto&, RequestScope& s) { return ListShared(s); }});
}

}  // namespace confide
