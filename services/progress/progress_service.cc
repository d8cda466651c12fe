#include "services/progress/progress_service.h"

#include <algorithm>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "services/api/field_checker.h"
#include "services/api/page_token.h"
#include "services/api/request_fields.h"
#include "services/clients/ports/client_repository.h"
#include "services/common/timestamps.h"
#include "services/plans/goal_visibility.h"
#include "services/plans/plan_store.h"
#include "services/programmes/local_day.h"
#include "services/programmes/ports/practice_log_repository.h"
#include "services/programmes/ports/programme_repository.h"
#include "services/programmes/ports/progression_suggestion_repository.h"
#include "services/programmes/programme_store.h"
#include "services/progress/progress_calculation.h"
#include "services/progress/schedule.h"

namespace confide {
namespace {

constexpr int kDefaultWeeks = 12;
constexpr int kMaxWeeks = 156;
constexpr int kDefaultInactiveDays = 7;
constexpr int kMaxInactiveDays = 90;
// Mean pain of the last 7 days at least this many tenths above the 7 days before.
constexpr int kPainRiseTenths = 10;
constexpr std::string_view kDiscreetDefaultTitle = "Practice time";

bool IsPortalCaller(const RequestScope& scope) {
  return scope.principal->role == v1::ROLE_PATIENT || scope.principal->role == v1::ROLE_PARTNER;
}

// The client's programme as the caller may see it: a draft is the care team's only.
absl::StatusOr<OpenedProgramme> LoadVisibleProgramme(ClientDataCipher& cipher, RequestScope& scope,
                                                     std::string_view programme_id) {
  absl::StatusOr<OpenedProgramme> opened = LoadProgramme(
      scope.uow, cipher, scope.principal->clinic_id, scope.client_id, programme_id, 0);
  if (!opened.ok()) {
    return opened.status();
  }
  if (IsPortalCaller(scope) && opened->record.status == v1::PROGRAMME_STATUS_DRAFT) {
    return absl::NotFoundError("programme not found");
  }
  return opened;
}

// The zone was checked when the version was written; failing to load it now is the server's
// problem (missing tzdata), not the caller's.
absl::StatusOr<absl::TimeZone> ZoneOf(const ProgrammeRecord& record) {
  absl::StatusOr<absl::TimeZone> zone = LoadProgrammeZone(record.time_zone);
  if (!zone.ok()) {
    return absl::InternalError("the programme's time zone could not be loaded");
  }
  return zone;
}

std::optional<absl::CivilDay> ActivationDay(const ProgrammeRecord& record,
                                            const absl::TimeZone& zone) {
  if (!record.activate_time.has_value()) {
    return std::nullopt;
  }
  return absl::ToCivilDay(*record.activate_time, zone);
}

// A paused or ended programme prescribes nothing after it stopped. The programme row does not
// keep when its status changed, so the last day she practised it stands in for that day
// (nothing at all when she never did): her adherence does not keep falling after the clinician
// paused or ended the programme.
std::optional<absl::CivilDay> StopDay(const ProgrammeRecord& record,
                                      const std::vector<ItemHistory>& items,
                                      std::optional<absl::CivilDay> activation_day) {
  if (record.status != v1::PROGRAMME_STATUS_PAUSED && record.status != v1::PROGRAMME_STATUS_ENDED) {
    return std::nullopt;
  }
  std::optional<absl::CivilDay> last;
  for (const ItemHistory& history : items) {
    if (!history.days.empty() && (!last.has_value() || history.days.back().day > *last)) {
      last = history.days.back().day;
    }
  }
  if (!last.has_value() && activation_day.has_value()) {
    last = *activation_day - 1;
  }
  return last;
}

// Goals of the programme's plan that its items link to, as the caller may see the plan: the
// care team the latest version, the patient the shared one, a partner the shared one only with
// the goals share. 0 of 0 without a plan, a visible version or a linked goal.
absl::Status CountGoals(ClientDataCipher& cipher, RequestScope& scope,
                        const v1::Programme& programme, v1::Progress& progress) {
  std::set<std::string> linked;
  for (const v1::ProgrammeItem& item : programme.items()) {
    linked.insert(item.goal_ids().begin(), item.goal_ids().end());
  }
  if (programme.plan_id().empty() || linked.empty()) {
    return absl::OkStatus();
  }
  absl::StatusOr<PlanRecord> plan = LoadPlan(scope, programme.plan_id());
  if (plan.status().code() == absl::StatusCode::kNotFound) {
    return absl::OkStatus();
  }
  if (!plan.ok()) {
    return plan.status();
  }
  int version = plan->latest_version;
  if (IsPortalCaller(scope)) {
    version = plan->shared_version;
    absl::StatusOr<bool> may_see = MaySeeGoals(scope);
    if (!may_see.ok()) {
      return may_see.status();
    }
    if (!*may_see) {
      version = 0;
    }
  }
  if (version == 0) {
    return absl::OkStatus();
  }
  absl::StatusOr<v1::TherapyPlan> seen = LoadVersion(cipher, scope, *plan, version);
  if (!seen.ok()) {
    return seen.status();
  }
  for (const v1::Goal& goal : seen->goals()) {
    if (linked.contains(goal.id())) {
      progress.set_goals_total(progress.goals_total() + 1);
      if (goal.status() == v1::GOAL_STATUS_ACHIEVED) {
        progress.set_goals_achieved(progress.goals_achieved() + 1);
      }
    }
  }
  return absl::OkStatus();
}

// Every ACTIVE programme of the client, newest first.
absl::StatusOr<std::vector<ProgrammeRecord>> ActiveProgrammes(UnitOfWork& uow,
                                                              std::string_view clinic_id,
                                                              std::string_view client_id) {
  std::vector<ProgrammeRecord> out;
  for (std::string after;;) {
    absl::StatusOr<std::vector<ProgrammeRecord>> page = uow.programmes().ListOfClient(
        clinic_id, client_id, {v1::PROGRAMME_STATUS_ACTIVE}, after, kMaxPageSize);
    if (!page.ok()) {
      return page.status();
    }
    out.insert(out.end(), page->begin(), page->end());
    if (static_cast<int>(page->size()) < kMaxPageSize) {
      return out;
    }
    after = page->back().id;
  }
}

std::string Sessions(int n) { return n == 1 ? "1 session" : absl::StrCat(n, " sessions"); }

std::string ReminderText(const DueCounts& due, bool discreet) {
  const int left = std::max(0, due.due_today - due.done_today);
  if (left == 0) {
    return "All done for today. Well done.";
  }
  return discreet ? absl::StrCat(left, " left today") : absl::StrCat(Sessions(left), " left today");
}

v1::DueItem DueItemOf(const OpenedProgramme& opened, const v1::ProgrammeItem& item,
                      const DueCounts& due, bool discreet) {
  v1::DueItem out;
  out.set_programme_id(opened.record.id);
  out.set_programme_version(opened.programme.version());
  out.set_item_id(item.id());
  out.set_due_today(due.due_today);
  out.set_done_today(due.done_today);
  out.set_week_prescribed(due.week_prescribed);
  out.set_week_done(due.week_done);
  *out.mutable_dose() = item.dose();
  if (item.has_dilator()) {
    out.set_minutes_per_session(item.dilator().minutes_per_session());
  }
  if (discreet) {
    out.set_title(item.exercise().discreet_title().empty() ? std::string(kDiscreetDefaultTitle)
                                                           : item.exercise().discreet_title());
  } else {
    out.set_title(item.exercise().title());
    out.set_category(item.exercise().category());
    if (item.has_dilator()) {
      out.set_dilator_size(item.dilator().current_size());
    }
  }
  out.set_reminder_text(ReminderText(due, discreet));
  return out;
}

std::string DisplayName(const v1::Client& client) {
  return client.preferred_name().empty() ? client.legal_given_name() : client.preferred_name();
}

// One caseload entry, or nullopt for a client without an ACTIVE programme.
absl::StatusOr<std::optional<v1::CaseloadEntry>> CaseloadEntryOf(RequestScope& scope,
                                                                 const v1::Client& client,
                                                                 int inactive_days) {
  const std::string& clinic_id = scope.principal->clinic_id;
  UnitOfWork& uow = scope.uow;
  absl::StatusOr<std::vector<ProgrammeRecord>> active =
      ActiveProgrammes(uow, clinic_id, client.id());
  if (!active.ok()) {
    return active.status();
  }
  if (active->empty()) {
    return std::nullopt;
  }
  v1::CaseloadEntry entry;
  entry.set_client_id(client.id());
  entry.set_display_name(DisplayName(client));
  entry.set_active_programmes(static_cast<int>(active->size()));
  // Her days are her newest active programme's; a zone that does not load falls back to UTC so
  // one bad row cannot hide the whole caseload.
  absl::TimeZone zone = absl::UTCTimeZone();
  if (absl::StatusOr<absl::TimeZone> loaded = LoadProgrammeZone(active->front().time_zone);
      loaded.ok()) {
    zone = *loaded;
  }
  const absl::CivilDay today = absl::ToCivilDay(scope.now, zone);

  absl::StatusOr<std::optional<absl::Time>> latest =
      uow.practice_logs().LatestPracticeTime(clinic_id, client.id());
  if (!latest.ok()) {
    return latest.status();
  }
  bool not_logging = false;
  if (latest->has_value()) {
    *entry.mutable_last_practice_time() = ToTimestamp(**latest);
    const int days = static_cast<int>(today - absl::ToCivilDay(**latest, zone));
    entry.set_days_since_last_practice(std::max(0, days));
    not_logging = entry.days_since_last_practice() >= inactive_days;
  } else {
    entry.set_days_since_last_practice(-1);
    // Never logged: attention once her first activation is `inactive_days` old.
    std::optional<absl::Time> first_activation;
    for (const ProgrammeRecord& programme : *active) {
      if (programme.activate_time.has_value() &&
          (!first_activation.has_value() || *programme.activate_time < *first_activation)) {
        first_activation = programme.activate_time;
      }
    }
    not_logging = first_activation.has_value() &&
                  today - absl::ToCivilDay(*first_activation, zone) >= inactive_days;
  }

  // The last 7 of her days (today included) and the 7 before, from local midnights.
  const absl::Time tomorrow = StartOfLocalDay(today + 1, zone);
  const absl::Time week_ago = StartOfLocalDay(today - 6, zone);
  const absl::Time two_weeks_ago = StartOfLocalDay(today - 13, zone);
  absl::StatusOr<std::pair<int, int>> last_week =
      uow.practice_logs().PainTotals(clinic_id, client.id(), week_ago, tomorrow);
  if (!last_week.ok()) {
    return last_week.status();
  }
  absl::StatusOr<std::pair<int, int>> week_before =
      uow.practice_logs().PainTotals(clinic_id, client.id(), two_weeks_ago, week_ago);
  if (!week_before.ok()) {
    return week_before.status();
  }
  entry.set_pain_last_7_days_tenths(MeanTenths(last_week->first, last_week->second));
  entry.set_pain_previous_7_days_tenths(MeanTenths(week_before->first, week_before->second));

  absl::StatusOr<int> pending =
      uow.progression_suggestions().CountPendingOfClient(clinic_id, client.id());
  if (!pending.ok()) {
    return pending.status();
  }
  entry.set_pending_suggestions(*pending);

  if (not_logging) {
    entry.add_attention(v1::ATTENTION_REASON_NOT_LOGGING);
  }
  if (entry.pain_last_7_days_tenths() >= 0 && entry.pain_previous_7_days_tenths() >= 0 &&
      entry.pain_last_7_days_tenths() >= entry.pain_previous_7_days_tenths() + kPainRiseTenths) {
    entry.add_attention(v1::ATTENTION_REASON_PAIN_RISING);
  }
  if (*pending > 0) {
    entry.add_attention(v1::ATTENTION_REASON_SUGGESTION_PENDING);
  }
  return entry;
}

}  // namespace

absl::Status ValidateGetProgress(const v1::GetProgressRequest& request) {
  FieldChecker check;
  check.Add(CheckClientId("client_id", request.client_id()));
  check.Add(CheckRecordId("programme_id", request.programme_id()));
  if (request.weeks() < 0 || request.weeks() > kMaxWeeks) {
    check.Fail("weeks", absl::StrCat("must be 0 (12) to ", kMaxWeeks));
  }
  return check.Result();
}

absl::Status ValidateListDueItems(const v1::ListDueItemsRequest& request) {
  FieldChecker check;
  check.Add(CheckClientId("client_id", request.client_id()));
  if (!v1::ReminderWording_IsValid(request.wording())) {
    check.Fail("wording", "is not a reminder wording");
  }
  return check.Result();
}

absl::Status ValidateListCaseload(const v1::ListCaseloadRequest& request) {
  if (request.inactive_days() < 0 || request.inactive_days() > kMaxInactiveDays) {
    return InvalidField("inactive_days", absl::StrCat("must be 0 (7) to ", kMaxInactiveDays));
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::Progress> ProgressService::GetProgress(const v1::GetProgressRequest& request,
                                                          RequestScope& scope) {
  absl::StatusOr<OpenedProgramme> opened =
      LoadVisibleProgramme(cipher_, scope, request.programme_id());
  if (!opened.ok()) {
    return opened.status();
  }
  scope.audit.resource = ProgrammeResource(scope.client_id, opened->record.id);
  absl::StatusOr<absl::TimeZone> zone = ZoneOf(opened->record);
  if (!zone.ok()) {
    return zone.status();
  }
  const absl::CivilDay today = absl::ToCivilDay(scope.now, *zone);
  const int weeks = request.weeks() == 0 ? kDefaultWeeks : request.weeks();

  const ProgrammeRecord& record = opened->record;
  std::vector<ItemHistory> items;
  items.reserve(opened->programme.items_size());
  for (const v1::ProgrammeItem& item : opened->programme.items()) {
    ItemHistory& history = items.emplace_back();
    history.item = item;
    absl::StatusOr<std::vector<PracticeDayTotals>> days =
        scope.uow.practice_logs().DailyTotals(record.clinic_id, record.id, item.id(), "", "");
    if (!days.ok()) {
      return days.status();
    }
    history.days = PracticeDays(*std::move(days));
    if (item.has_dilator()) {
      absl::StatusOr<std::vector<PracticeSizeTotals>> sizes =
          scope.uow.practice_logs().SizeTotals(record.clinic_id, record.id, item.id());
      if (!sizes.ok()) {
        return sizes.status();
      }
      history.sizes = *std::move(sizes);
    }
  }
  const std::optional<absl::CivilDay> activation_day = ActivationDay(record, *zone);
  const std::optional<absl::CivilDay> stop_day = StopDay(record, items, activation_day);
  for (ItemHistory& history : items) {
    history.schedule = ScheduleOfItem(history.item, activation_day, stop_day);
  }

  v1::Progress progress;
  progress.set_programme_id(record.id);
  progress.set_time_zone(record.time_zone);
  progress.set_as_of_date(FormatLocalDate(today));
  for (const ItemHistory& history : items) {
    *progress.add_items() = ItemProgressOf(history, today, weeks);
  }
  for (v1::ProgressMilestone& milestone : MilestonesOf(items, today)) {
    *progress.add_milestones() = std::move(milestone);
  }
  if (absl::Status goals = CountGoals(cipher_, scope, opened->programme, progress); !goals.ok()) {
    return goals;
  }
  return progress;
}

absl::StatusOr<v1::ListDueItemsResponse> ProgressService::ListDueItems(
    const v1::ListDueItemsRequest& request, RequestScope& scope) {
  scope.audit.resource = absl::StrCat("clients/", scope.client_id, "/dueItems");
  const std::string& clinic_id = scope.principal->clinic_id;
  const bool discreet = request.wording() == v1::REMINDER_WORDING_DISCREET;
  absl::StatusOr<std::vector<ProgrammeRecord>> active =
      ActiveProgrammes(scope.uow, clinic_id, scope.client_id);
  if (!active.ok()) {
    return active.status();
  }
  v1::ListDueItemsResponse response;
  for (const ProgrammeRecord& record : *active) {
    absl::StatusOr<OpenedProgramme> opened =
        LoadProgramme(scope.uow, cipher_, clinic_id, scope.client_id, record.id, 0);
    if (!opened.ok()) {
      return opened.status();
    }
    absl::StatusOr<absl::TimeZone> zone = ZoneOf(opened->record);
    if (!zone.ok()) {
      return zone.status();
    }
    const absl::CivilDay today = absl::ToCivilDay(scope.now, *zone);
    const absl::CivilDay monday = IsoWeekStart(today);
    const std::optional<absl::CivilDay> activation_day = ActivationDay(opened->record, *zone);
    for (const v1::ProgrammeItem& item : opened->programme.items()) {
      const ItemSchedule schedule = ScheduleOfItem(item, activation_day, std::nullopt);
      if (!IsPrescribedDay(schedule, today)) {
        continue;
      }
      absl::StatusOr<std::vector<PracticeDayTotals>> week = scope.uow.practice_logs().DailyTotals(
          clinic_id, record.id, item.id(), FormatLocalDate(monday), FormatLocalDate(monday + 6));
      if (!week.ok()) {
        return week.status();
      }
      std::optional<DueCounts> due = DueOn(schedule, *week, today);
      if (!due.has_value()) {
        continue;
      }
      if (response.items().empty()) {
        response.set_date(FormatLocalDate(today));
      }
      *response.add_items() = DueItemOf(*opened, item, *due, discreet);
    }
  }
  return response;
}

absl::StatusOr<v1::ListCaseloadResponse> ProgressService::ListCaseload(
    const v1::ListCaseloadRequest& request, RequestScope& scope) {
  scope.audit.resource = "caseload";
  const int inactive_days =
      request.inactive_days() == 0 ? kDefaultInactiveDays : request.inactive_days();
  std::vector<v1::CaseloadEntry> entries;
  ClientQuery query{.clinic_id = scope.principal->clinic_id,
                    .care_team_user_id = scope.principal->user_id,
                    .exclude_archived = true,
                    .limit = kMaxPageSize};
  for (;;) {
    absl::StatusOr<std::vector<ClientRecord>> page = scope.uow.clients().List(query);
    if (!page.ok()) {
      return page.status();
    }
    for (const ClientRecord& client : *page) {
      absl::StatusOr<std::optional<v1::CaseloadEntry>> entry =
          CaseloadEntryOf(scope, client.client, inactive_days);
      if (!entry.ok()) {
        return entry.status();
      }
      if (entry->has_value() &&
          (!request.needs_attention_only() || !(*entry)->attention().empty())) {
        entries.push_back(**std::move(entry));
      }
    }
    if (static_cast<int>(page->size()) < query.limit) {
      break;
    }
    query.after_id = page->back().client.id();
  }
  // Needing attention first, then by client id (the list is already in id order).
  std::stable_partition(entries.begin(), entries.end(),
                        [](const v1::CaseloadEntry& e) { return !e.attention().empty(); });
  v1::ListCaseloadResponse response;
  for (v1::CaseloadEntry& entry : entries) {
    *response.add_entries() = std::move(entry);
  }
  return response;
}

void ProgressService::Register(MethodTable& table) {
  table.Add(MethodDefinition<v1::GetProgressRequest, v1::Progress>{
      .full_name = "confide.v1.ProgressService.GetProgress",
      .mode = TransactionMode::kRead,
      .action = Action::kReadProgressSummary,
      .target_client = [](const v1::GetProgressRequest& r) { return r.client_id(); },
      .validate = ValidateGetProgress,
      .handler = [this](const auto& r, RequestScope& s) { return GetProgress(r, s); }});
  table.Add(MethodDefinition<v1::ListDueItemsRequest, v1::ListDueItemsResponse>{
      .full_name = "confide.v1.ProgressService.ListDueItems",
      .mode = TransactionMode::kRead,
      .action = Action::kReadProgrammeSchedule,
      .target_client = [](const v1::ListDueItemsRequest& r) { return r.client_id(); },
      .validate = ValidateListDueItems,
      .handler = [this](const auto& r, RequestScope& s) { return ListDueItems(r, s); }});
  table.Add(MethodDefinition<v1::ListCaseloadRequest, v1::ListCaseloadResponse>{
      .full_name = "confide.v1.ProgressService.ListCaseload",
      .mode = TransactionMode::kRead,
      .action = Action::kReadCaseload,
      .validate = ValidateListCaseload,
      .handler = [this](const auto& r, RequestScope& s) { return ListCaseload(r, s); }});
}

}  // namespace confide
