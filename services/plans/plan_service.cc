#include "services/plans/plan_service.h"

#include <algorithm>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "services/api/field_errors.h"
#include "services/api/page_token.h"
#include "services/clients/ports/client_repository.h"
#include "services/clients/writable_client.h"
#include "services/common/text_checks.h"
#include "services/common/timestamps.h"
#include "services/partners/ports/partner_link_repository.h"
#include "services/plans/plan_validation.h"
#include "services/plans/plan_versioning.h"
#include "services/plans/ports/milestone_repository.h"
#include "services/plans/ports/plan_repository.h"
#include "services/plans/shared_plan.h"
#include "services/policy/access_policy.h"

namespace confide {
namespace {

constexpr std::string_view kVersionsTable = "plan_versions";
constexpr std::string_view kContentColumn = "content_sealed";
constexpr std::string_view kMilestonesTable = "milestones";
constexpr std::string_view kTitleColumn = "title_sealed";
// Shown when an achieved goal has no patient wording to celebrate it with.
constexpr char kAchievedGoalTitle[] = "Goal achieved";

// Etags name the version the caller's change is based on; callers treat them as opaque.
std::string EtagOf(int version) { return absl::StrCat("v", version); }

// The row id bound into a version's ciphertext: plan and version, so a sealed version copied to
// another version or plan does not open.
std::string VersionRowId(std::string_view plan_id, int version) {
  return absl::StrCat(std::string(plan_id), "/v", version);
}

std::string PlanResource(std::string_view client_id, std::string_view plan_id) {
  return absl::StrCat("clients/", std::string(client_id), "/plans/", std::string(plan_id));
}

// `now` as the database keeps it (microseconds), so what a write returns equals what a later
// read returns.
absl::Time StoredTime(absl::Time now) { return absl::FromUnixMicros(absl::ToUnixMicros(now)); }

absl::Status PlanNotFound() { return absl::NotFoundError("plan not found"); }

// At most `max` characters (code points) of `text`, cut at a UTF-8 character boundary.
std::string TruncateUtf8(const std::string& text, size_t max) {
  size_t characters = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80 && characters++ == max) {
      return text.substr(0, i);
    }
  }
  return text;
}

constexpr std::string_view kPlansList = "plans";
constexpr std::string_view kMilestonesList = "milestones";
constexpr std::string_view kVersionsListStem = "plan_versions.";

// ListPlanVersions' cursor is a version number, not an id: page_token.h's token then names the
// list "plan_versions.<last version shown>" and holds the plan id, so a token works only for
// its own plan.
std::string EncodeVersionPageToken(std::string_view plan_id, int last_version) {
  return EncodePageToken(absl::StrCat(std::string(kVersionsListStem), last_version), plan_id);
}

absl::StatusOr<int> DecodeVersionPageToken(std::string_view plan_id, std::string_view token) {
  const absl::Status bad = InvalidField(
      "page_token", "is not a token from a previous ListPlanVersions response for this plan");
  std::string decoded;
  if (token.size() > 512 || !absl::WebSafeBase64Unescape(std::string(token), &decoded) ||
      decoded.rfind(kVersionsListStem, 0) != 0) {
    return bad;
  }
  const size_t colon = decoded.find(':');
  int version = 0;
  if (colon == std::string::npos ||
      !absl::SimpleAtoi(decoded.substr(kVersionsListStem.size(), colon - kVersionsListStem.size()),
                        &version) ||
      version < 1) {
    return bad;
  }
  absl::StatusOr<std::string> plan =
      DecodePageToken(decoded.substr(0, colon), token, "ListPlanVersions");
  if (!plan.ok() || *plan != plan_id) {
    return bad;
  }
  return version;
}

// The client's plan `plan_id` in the caller's clinic; NOT_FOUND for any other.
absl::StatusOr<PlanRecord> LoadPlan(RequestScope& scope, std::string_view plan_id) {
  if (!IsUuidText(plan_id)) {
    return PlanNotFound();
  }
  absl::StatusOr<std::optional<PlanRecord>> plan =
      scope.uow.plans().Find(scope.principal->clinic_id, scope.client_id, plan_id);
  if (!plan.ok()) {
    return plan.status();
  }
  if (!plan->has_value()) {
    return PlanNotFound();
  }
  return **std::move(plan);
}

// Seals and stores the content of `version` (a full TherapyPlan with its output-only fields).
absl::Status StoreVersion(ClientDataCipher& cipher, RequestScope& scope,
                          const v1::TherapyPlan& version) {
  const std::string row_id = VersionRowId(version.id(), version.version());
  absl::StatusOr<std::string> sealed =
      cipher.Seal(scope.uow, scope.principal->clinic_id, version.client_id(),
                  FieldLocation{kVersionsTable, kContentColumn, row_id},
                  PlanContent(version).SerializeAsString());
  if (!sealed.ok()) {
    return sealed.status();
  }
  return scope.uow.plans().InsertVersion(
      PlanVersionRecord{.plan_id = version.id(),
                        .version = version.version(),
                        .clinic_id = scope.principal->clinic_id,
                        .client_id = version.client_id(),
                        .author_user_id = version.author_user_id(),
                        .create_time = FromTimestamp(version.version_create_time()),
                        .content_sealed = *std::move(sealed)});
}

// A stored version as the care team reads it: its content plus the plan's and version's facts.
absl::StatusOr<v1::TherapyPlan> OpenVersion(ClientDataCipher& cipher, RequestScope& scope,
                                            const PlanRecord& plan, const PlanVersionRecord& row) {
  absl::StatusOr<std::string> content =
      cipher.Open(scope.uow, plan.clinic_id, plan.client_id,
                  FieldLocation{kVersionsTable, kContentColumn, VersionRowId(plan.id, row.version)},
                  row.content_sealed);
  if (!content.ok()) {
    return content.status();
  }
  v1::TherapyPlan version;
  if (!version.ParseFromString(*content)) {
    return absl::DataLossError("a stored plan version does not parse");
  }
  version.set_id(plan.id);
  version.set_client_id(plan.client_id);
  version.set_version(row.version);
  version.set_author_user_id(row.author_user_id);
  *version.mutable_version_create_time() = ToTimestamp(row.create_time);
  version.set_shared_version(plan.shared_version);
  *version.mutable_create_time() = ToTimestamp(plan.create_time);
  version.set_etag(EtagOf(row.version));
  return version;
}

// Version `number` of `plan`; NOT_FOUND when it has no such version.
absl::StatusOr<v1::TherapyPlan> LoadVersion(ClientDataCipher& cipher, RequestScope& scope,
                                            const PlanRecord& plan, int number) {
  absl::StatusOr<std::optional<PlanVersionRecord>> row =
      scope.uow.plans().FindVersion(plan.clinic_id, plan.id, number);
  if (!row.ok()) {
    return row.status();
  }
  if (!row->has_value()) {
    return absl::NotFoundError("plan version not found");
  }
  return OpenVersion(cipher, scope, plan, **row);
}

// Seals the title and stores the milestone.
absl::Status StoreMilestone(ClientDataCipher& cipher, RequestScope& scope, MilestoneRecord record,
                            const std::string& title) {
  absl::StatusOr<std::string> sealed =
      cipher.Seal(scope.uow, record.clinic_id, record.client_id,
                  FieldLocation{kMilestonesTable, kTitleColumn, record.id}, title);
  if (!sealed.ok()) {
    return sealed.status();
  }
  record.title_sealed = *std::move(sealed);
  return scope.uow.milestones().Insert(record);
}

absl::StatusOr<v1::Milestone> OpenMilestone(ClientDataCipher& cipher, RequestScope& scope,
                                            const MilestoneRecord& record) {
  absl::StatusOr<std::string> title =
      cipher.Open(scope.uow, record.clinic_id, record.client_id,
                  FieldLocation{kMilestonesTable, kTitleColumn, record.id}, record.title_sealed);
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

absl::Status RequestIdReused() {
  return absl::AlreadyExistsError("request_id was already used for another request");
}

// Returns version 1 of the plan an earlier create with this request id made, or nullopt when
// there was none. Only for the same client: the caller may see this client's plans, and a
// guessed request id must not reveal another client's.
absl::StatusOr<std::optional<v1::TherapyPlan>> ReplayCreate(ClientDataCipher& cipher,
                                                            RequestScope& scope,
                                                            const std::string& request_id) {
  absl::StatusOr<std::optional<PlanRecord>> earlier =
      scope.uow.plans().FindByCreateRequestId(scope.principal->clinic_id, request_id);
  if (!earlier.ok()) {
    return earlier.status();
  }
  if (!earlier->has_value()) {
    return std::nullopt;
  }
  if ((*earlier)->client_id != scope.client_id) {
    return RequestIdReused();
  }
  scope.audit.resource = PlanResource(scope.client_id, (*earlier)->id);
  return LoadVersion(cipher, scope, **earlier, 1);
}

// As ReplayCreate, for RecordMilestone.
absl::StatusOr<std::optional<v1::Milestone>> ReplayMilestone(ClientDataCipher& cipher,
                                                             RequestScope& scope,
                                                             const std::string& request_id) {
  absl::StatusOr<std::optional<MilestoneRecord>> earlier =
      scope.uow.milestones().FindByRequestId(scope.principal->clinic_id, request_id);
  if (!earlier.ok()) {
    return earlier.status();
  }
  if (!earlier->has_value()) {
    return std::nullopt;
  }
  if ((*earlier)->client_id != scope.client_id) {
    return RequestIdReused();
  }
  scope.audit.resource = absl::StrCat("clients/", scope.client_id, "/milestones/", (*earlier)->id);
  return OpenMilestone(cipher, scope, **earlier);
}

// Whether the caller may see the goals of shared plans. Everyone who may read the plan summary
// may, except a partner without the goals share: the policy decides, with her link's shares.
absl::StatusOr<bool> MaySeeGoals(RequestScope& scope) {
  const Principal& who = *scope.principal;
  if (who.role != v1::ROLE_PARTNER) {
    return true;
  }
  absl::StatusOr<std::optional<ClientAccessFacts>> facts =
      scope.uow.clients().FindAccessFacts(who.clinic_id, scope.client_id);
  if (!facts.ok()) {
    return facts.status();
  }
  absl::StatusOr<std::optional<PartnerLinkRecord>> link =
      scope.uow.partner_links().FindLiveOfPartner(who.user_id);
  if (!link.ok()) {
    return link.status();
  }
  if (!facts->has_value() || !link->has_value() || (*link)->client_id != scope.client_id) {
    return false;
  }
  CallerRelation relation{.partner_shares = (*link)->shares};
  return Decide(who, Action::kReadGoals, &**facts, relation) == Decision::kAllow;
}

// Gives each goal ACHIEVED in `shared` (a version being shared) that has no milestone yet its
// milestone, in the words and with the date the patient is being shown. Milestones made here
// and nowhere else before sharing reveal nothing of an unshared version; a goal has one at
// most (also enforced by the database), so re-sharing or re-achieving adds none.
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

}  // namespace

absl::StatusOr<v1::TherapyPlan> PlanService::Create(const v1::CreatePlanRequest& request,
                                                    RequestScope& scope) {
  const Principal& who = *scope.principal;
  if (!request.request_id().empty()) {
    absl::StatusOr<std::optional<v1::TherapyPlan>> replay =
        ReplayCreate(cipher_, scope, request.request_id());
    if (!replay.ok()) {
      return replay.status();
    }
    if (replay->has_value()) {
      return **std::move(replay);
    }
  }
  if (absl::Status writable = RequireWritableClient(scope); !writable.ok()) {
    return writable;
  }
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
  absl::Status inserted = scope.uow.Atomically([&]() -> absl::Status {
    if (absl::Status s = scope.uow.plans().Insert(record, request.request_id()); !s.ok()) {
      return s;
    }
    return StoreVersion(cipher_, scope, *first);
  });
  if (inserted.code() == absl::StatusCode::kAlreadyExists && !request.request_id().empty()) {
    // Two retries of one create raced: the loser returns the winner's result.
    absl::StatusOr<std::optional<v1::TherapyPlan>> replay =
        ReplayCreate(cipher_, scope, request.request_id());
    if (!replay.ok()) {
      return replay.status();
    }
    if (replay->has_value()) {
      return **std::move(replay);
    }
  }
  if (!inserted.ok()) {
    return inserted;
  }
  first->set_etag(EtagOf(1));
  return *std::move(first);
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
  absl::StatusOr<int> page_size = EffectivePageSize(request.page_size());
  if (!page_size.ok()) {
    return page_size.status();
  }
  std::string after;
  if (!request.page_token().empty()) {
    absl::StatusOr<std::string> last =
        DecodePageToken(kPlansList, request.page_token(), "ListPlans");
    if (!last.ok()) {
      return last.status();
    }
    after = *std::move(last);
  }
  // One row more than the page shows tells whether there is a next page.
  absl::StatusOr<std::vector<PlanRecord>> plans = scope.uow.plans().ListOfClient(
      scope.principal->clinic_id, scope.client_id, after, *page_size + 1);
  if (!plans.ok()) {
    return plans.status();
  }
  v1::ListPlansResponse response;
  const int shown = std::min<int>(*page_size, plans->size());
  for (int i = 0; i < shown; ++i) {
    const PlanRecord& plan = (*plans)[i];
    absl::StatusOr<v1::TherapyPlan> latest = LoadVersion(cipher_, scope, plan, plan.latest_version);
    if (!latest.ok()) {
      return latest.status();
    }
    *response.add_plans() = *std::move(latest);
  }
  if (static_cast<int>(plans->size()) > *page_size) {
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
  const int shown = std::min<int>(*page_size, rows->size());
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
    return absl::AbortedError(
        "etag does not match the plan's latest version: someone changed it; reload and retry");
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

absl::StatusOr<v1::Milestone> PlanService::RecordMilestone(
    const v1::RecordMilestoneRequest& request, RequestScope& scope) {
  const Principal& who = *scope.principal;
  if (!request.request_id().empty()) {
    absl::StatusOr<std::optional<v1::Milestone>> replay =
        ReplayMilestone(cipher_, scope, request.request_id());
    if (!replay.ok()) {
      return replay.status();
    }
    if (replay->has_value()) {
      return **std::move(replay);
    }
  }
  if (absl::Status writable = RequireWritableClient(scope); !writable.ok()) {
    return writable;
  }
  const v1::Milestone& sent = request.milestone();
  if (absl::Status valid = ValidateMilestoneFields(sent, "milestone", scope.now); !valid.ok()) {
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
  scope.audit.resource = absl::StrCat("clients/", scope.client_id, "/milestones/", record.id);
  absl::Status stored =
      scope.uow.Atomically([&] { return StoreMilestone(cipher_, scope, record, sent.title()); });
  if (stored.code() == absl::StatusCode::kAlreadyExists && !request.request_id().empty()) {
    absl::StatusOr<std::optional<v1::Milestone>> replay =
        ReplayMilestone(cipher_, scope, request.request_id());
    if (!replay.ok()) {
      return replay.status();
    }
    if (replay->has_value()) {
      return **std::move(replay);
    }
  }
  if (!stored.ok()) {
    return stored;
  }
  v1::Milestone milestone = sent;
  milestone.set_id(record.id);
  milestone.set_client_id(record.client_id);
  milestone.set_recorded_by_user_id(record.recorded_by_user_id);
  milestone.set_recorded_by_role(record.recorded_by_role);
  *milestone.mutable_create_time() = ToTimestamp(record.create_time);
  return milestone;
}

absl::StatusOr<v1::ListMilestonesResponse> PlanService::ListMilestones(
    const v1::ListMilestonesRequest& request, RequestScope& scope) {
  scope.audit.resource = absl::StrCat("clients/", scope.client_id, "/milestones");
  absl::StatusOr<int> page_size = EffectivePageSize(request.page_size());
  if (!page_size.ok()) {
    return page_size.status();
  }
  std::string after;
  if (!request.page_token().empty()) {
    absl::StatusOr<std::string> last =
        DecodePageToken(kMilestonesList, request.page_token(), "ListMilestones");
    if (!last.ok()) {
      return last.status();
    }
    after = *std::move(last);
  }
  // A goal's milestone tells of the goal: a partner without the goals share does not see it.
  absl::StatusOr<bool> with_goals = MaySeeGoals(scope);
  if (!with_goals.ok()) {
    return with_goals.status();
  }
  absl::StatusOr<std::vector<MilestoneRecord>> rows = scope.uow.milestones().ListOfClient(
      scope.principal->clinic_id, scope.client_id, after, *page_size + 1);
  if (!rows.ok()) {
    return rows.status();
  }
  v1::ListMilestonesResponse response;
  const int shown = std::min<int>(*page_size, rows->size());
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
  if (static_cast<int>(rows->size()) > *page_size) {
    response.set_next_page_token(EncodePageToken(kMilestonesList, (*rows)[shown - 1].id));
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
  table.Add(MethodDefinition<v1::RecordMilestoneRequest, v1::Milestone>{
      .full_name = "confide.v1.PlanService.RecordMilestone",
      .mode = TransactionMode::kWrite,
      .action = Action::kRecordMilestone,
      .target_client = [](const v1::RecordMilestoneRequest& r) { return r.client_id(); },
      .validate = ValidateRecordMilestone,
      .handler = [this](const auto& r, RequestScope& s) { return RecordMilestone(r, s); }});
  table.Add(MethodDefinition<v1::ListMilestonesRequest, v1::ListMilestonesResponse>{
      .full_name = "confide.v1.PlanService.ListMilestones",
      .mode = TransactionMode::kRead,
      .action = Action::kReadProgressSummary,
      .target_client = [](const v1::ListMilestonesRequest& r) { return r.client_id(); },
      .validate = ValidateListMilestones,
      .handler = [this](const auto& r, RequestScope& s) { return ListMilestones(r, s); }});
}

}  // namespace confide
