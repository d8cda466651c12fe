#include "services/programmes/practice_service.h"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "services/api/etag.h"
#include "services/api/field_errors.h"
#include "services/api/page_token.h"
#include "services/api/request_replay.h"
#include "services/clients/writable_client.h"
#include "services/common/text_checks.h"
#include "services/common/timestamps.h"
#include "services/programmes/local_day.h"
#include "services/programmes/ports/practice_log_repository.h"
#include "services/programmes/ports/programme_repository.h"
#include "services/programmes/ports/progression_suggestion_repository.h"
#include "services/programmes/practice_log_store.h"
#include "services/programmes/practice_validation.h"
#include "services/programmes/programme_store.h"
#include "services/programmes/progression_rule.h"

namespace confide {
namespace {

constexpr std::string_view kSuggestionsList = "progressionSuggestions";
constexpr std::string_view kLogsTokenPrefix = "practiceLogs:v1:";

std::string LogResource(std::string_view client_id, std::string_view log_id) {
  return absl::StrCat("clients/", std::string(client_id), "/practiceLogs/", std::string(log_id));
}

std::string SuggestionResource(std::string_view client_id, std::string_view suggestion_id) {
  return absl::StrCat("clients/", std::string(client_id), "/progressionSuggestions/",
                      std::string(suggestion_id));
}

std::string_view StatusName(int status) {
  switch (status) {
    case v1::PROGRAMME_STATUS_DRAFT:
      return "DRAFT";
    case v1::PROGRAMME_STATUS_ACTIVE:
      return "ACTIVE";
    case v1::PROGRAMME_STATUS_PAUSED:
      return "PAUSED";
    case v1::PROGRAMME_STATUS_ENDED:
      return "ENDED";
    default:
      return "UNSPECIFIED";
  }
}

bool IsDone(v1::PracticeCompletion completion) {
  return completion == v1::PRACTICE_COMPLETION_FULLY ||
         completion == v1::PRACTICE_COMPLETION_PARTLY;
}

bool IsPatient(const RequestScope& scope) { return scope.principal->role == v1::ROLE_PATIENT; }

const v1::ProgrammeItem* FindItem(const v1::Programme& programme, std::string_view item_id) {
  for (const v1::ProgrammeItem& item : programme.items()) {
    if (item.id() == item_id) {
      return &item;
    }
  }
  return nullptr;
}

int LargestSize(const v1::DilatorPrescription& dilator) {
  int largest = 0;
  for (const v1::DilatorSize& size : dilator.set().sizes()) {
    largest = std::max(largest, size.size());
  }
  return largest;
}

bool HasSize(const v1::DilatorPrescription& dilator, int wanted) {
  for (const v1::DilatorSize& size : dilator.set().sizes()) {
    if (size.size() == wanted) {
      return true;
    }
  }
  return false;
}

// ListPracticeLogs' keyset is (practiced_at, id): the token carries both.
std::string EncodeLogsPageToken(absl::Time practiced_at, std::string_view id) {
  return absl::WebSafeBase64Escape(absl::StrCat(
      std::string(kLogsTokenPrefix), absl::ToUnixMicros(practiced_at), ":", std::string(id)));
}

absl::Status BadLogsPageToken() {
  return InvalidField("page_token", "is not a token from a previous ListPracticeLogs response");
}

absl::StatusOr<std::pair<absl::Time, std::string>> DecodeLogsPageToken(std::string_view token) {
  std::string decoded;
  if (token.size() > 512 || !absl::WebSafeBase64Unescape(std::string(token), &decoded) ||
      !absl::StartsWith(decoded, std::string(kLogsTokenPrefix))) {
    return BadLogsPageToken();
  }
  std::vector<std::string> parts =
      absl::StrSplit(decoded.substr(kLogsTokenPrefix.size()), absl::MaxSplits(':', 1));
  int64_t micros = 0;
  if (parts.size() != 2 || !absl::SimpleAtoi(parts[0], &micros) || !IsUuidText(parts[1])) {
    return BadLogsPageToken();
  }
  return std::make_pair(absl::FromUnixMicros(micros), parts[1]);
}

// The ladder's verdict after `log` (already validated, not yet stored), from the latest
// version's prescription of the item: a PENDING suggestion record, or nullopt. The evidence is
// the done sessions at the current size recorded since that size became current; a declined
// suggestion at this size says "not yet", so only sessions recorded after it count. "Since" is
// on the server's clock (version and decision times against the log's create_time): a phone
// that was offline sends practice times from days before, which must not lose or double count.
absl::StatusOr<std::optional<ProgressionSuggestionRecord>> LadderAfter(
    UnitOfWork& uow, const OpenedProgramme& latest, const PracticeLogRecord& log,
    std::string_view suggestion_id, absl::Time now) {
  const v1::ProgrammeItem* item = FindItem(latest.programme, log.item_id);
  if (item == nullptr || !item->has_dilator() ||
      !IsDone(static_cast<v1::PracticeCompletion>(log.completion))) {
    return std::nullopt;
  }
  const v1::DilatorPrescription& dilator = item->dilator();
  if (log.dilator_size != dilator.current_size()) {
    return std::nullopt;
  }
  absl::Time since = dilator.has_current_size_since() ? FromTimestamp(dilator.current_size_since())
                                                      : absl::InfinitePast();
  PracticeLogRepository& logs = uow.practice_logs();
  ProgressionSuggestionRepository& suggestions = uow.progression_suggestions();
  absl::StatusOr<std::optional<absl::Time>> declined = suggestions.LatestDeclineTime(
      log.clinic_id, log.client_id, log.programme_id, log.item_id, dilator.current_size());
  if (!declined.ok()) {
    return declined.status();
  }
  if (declined->has_value()) {
    since = std::max(since, **declined);
  }
  absl::StatusOr<std::optional<ProgressionSuggestionRecord>> pending =
      suggestions.FindPending(log.clinic_id, log.programme_id, log.item_id);
  if (!pending.ok()) {
    return pending.status();
  }
  if (pending->has_value()) {
    const ProgressionSuggestionRecord& waiting = **pending;
    if (waiting.from_size == dilator.current_size() && HasSize(dilator, waiting.to_size)) {
      return std::nullopt;
    }
    // A PENDING suggestion this prescription can no longer take (a log that read the
    // programme just before a clinician changed the size, on a database that runs both at
    // once) would block the ladder for good: one PENDING per item. It is moot, so it goes.
    absl::StatusOr<int> superseded =
        suggestions.SupersedePending(log.clinic_id, log.programme_id, log.item_id);
    if (!superseded.ok()) {
      return superseded.status();
    }
  }
  absl::StatusOr<int> before =
      logs.CountAtSize(log.clinic_id, log.programme_id, log.item_id, dilator.current_size(), since);
  if (!before.ok()) {
    return before.status();
  }
  const int window = LadderWindow(dilator.rule());
  absl::StatusOr<std::vector<PracticeScore>> scores = logs.LatestAtSize(
      log.clinic_id, log.programme_id, log.item_id, dilator.current_size(), since, window);
  if (!scores.ok()) {
    return scores.status();
  }
  // A phone that was offline may log a session older than ones already stored: "the latest"
  // is by practice time, not by arrival.
  scores->push_back(
      PracticeScore{.practiced_at = log.practiced_at, .pain = log.pain, .anxiety = log.anxiety});
  std::stable_sort(scores->begin(), scores->end(),
                   [](const PracticeScore& a, const PracticeScore& b) {
                     return a.practiced_at > b.practiced_at;
                   });
  if (static_cast<int>(scores->size()) > window) {
    scores->resize(window);
  }
  LadderEvidence evidence{.current_size = dilator.current_size(),
                          .largest_size = LargestSize(dilator),
                          .sessions_at_size = *before + 1};
  for (const PracticeScore& score : *scores) {
    evidence.latest.push_back(SessionScore{.pain = score.pain, .anxiety = score.anxiety});
  }
  std::optional<LadderStep> step = EvaluateLadder(dilator.rule(), evidence);
  if (!step.has_value()) {
    return std::nullopt;
  }
  return ProgressionSuggestionRecord{.id = std::string(suggestion_id),
                                     .clinic_id = log.clinic_id,
                                     .client_id = log.client_id,
                                     .programme_id = log.programme_id,
                                     .programme_version = latest.record.latest_version,
                                     .item_id = log.item_id,
                                     .direction = step->direction,
                                     .from_size = step->from_size,
                                     .to_size = step->to_size,
                                     .sessions_at_size = step->sessions_at_size,
                                     .window_sessions = step->window_sessions,
                                     .window_max_pain = step->window_max_pain,
                                     .window_max_anxiety = step->window_max_anxiety,
                                     .practice_log_id = log.id,
                                     .status = v1::SUGGESTION_STATUS_PENDING,
                                     .create_time = now};
}

// The programme version she practised against: the latest, or an earlier one that exists.
absl::StatusOr<OpenedProgramme> PractisedVersion(UnitOfWork& uow, ClientDataCipher& cipher,
                                                 const OpenedProgramme& latest, int version) {
  if (version == 0 || version == latest.record.latest_version) {
    return latest;
  }
  if (version > latest.record.latest_version) {
    return InvalidField("log.programme_version", "is not a version of the programme");
  }
  // She was shown a version only if it was still the latest when the programme was first
  // activated or later: the drafts before that were the care team's working copies (their items
  // may have been removed as unsuitable), so they answer as a version that does not exist.
  absl::StatusOr<std::optional<ProgrammeVersionRecord>> next =
      uow.programmes().FindVersion(latest.record.clinic_id, latest.record.id, version + 1);
  if (!next.ok()) {
    return next.status();
  }
  if (!latest.record.activate_time.has_value() || !next->has_value() ||
      (*next)->create_time <= *latest.record.activate_time) {
    return InvalidField("log.programme_version", "is not a version of the programme");
  }
  absl::StatusOr<OpenedProgramme> earlier = LoadProgramme(
      uow, cipher, latest.record.clinic_id, latest.record.client_id, latest.record.id, version);
  if (earlier.status().code() == absl::StatusCode::kNotFound) {
    return InvalidField("log.programme_version", "is not a version of the programme");
  }
  return earlier;
}

absl::StatusOr<ProgressionSuggestionRecord> LoadSuggestion(RequestScope& scope,
                                                           std::string_view suggestion_id) {
  absl::StatusOr<std::optional<ProgressionSuggestionRecord>> found =
      scope.uow.progression_suggestions().Find(scope.principal->clinic_id, scope.client_id,
                                               suggestion_id);
  if (!found.ok()) {
    return found.status();
  }
  if (!found->has_value()) {
    return absl::NotFoundError("progression suggestion not found");
  }
  return **found;
}

absl::Status RequirePending(const ProgressionSuggestionRecord& suggestion) {
  switch (suggestion.status) {
    case v1::SUGGESTION_STATUS_PENDING:
      return absl::OkStatus();
    case v1::SUGGESTION_STATUS_ACCEPTED:
      return absl::FailedPreconditionError(
          "the suggestion is ACCEPTED; only a PENDING suggestion can be decided");
    case v1::SUGGESTION_STATUS_DECLINED:
      return absl::FailedPreconditionError(
          "the suggestion is DECLINED; only a PENDING suggestion can be decided");
    default:
      return absl::FailedPreconditionError(
          "the suggestion is SUPERSEDED; only a PENDING suggestion can be decided");
  }
}

}  // namespace

absl::StatusOr<v1::PracticeLog> PracticeService::LogPractice(const v1::LogPracticeRequest& request,
                                                             RequestScope& scope) {
  const Principal& who = *scope.principal;
  auto replay = [&]() -> absl::StatusOr<std::optional<v1::PracticeLog>> {
    return ReplayEarlier<v1::PracticeLog, PracticeLogRecord>(
        scope, scope.uow.practice_logs().FindByRequestId(who.clinic_id, request.request_id()),
        [&](const PracticeLogRecord& earlier) {
          scope.audit.resource = LogResource(scope.client_id, earlier.id);
          return OpenPracticeLog(cipher_, scope.uow, earlier, IsPatient(scope));
        });
  };
  auto create = [&]() -> absl::StatusOr<v1::PracticeLog> {
    const v1::PracticeLog& log = request.log();
    const std::string log_id = ids_.NewId();
    scope.audit.resource = LogResource(scope.client_id, log_id);
    if (absl::Status writable = RequireWritableClient(scope); !writable.ok()) {
      return writable;
    }
    absl::StatusOr<OpenedProgramme> latest = LoadProgramme(
        scope.uow, cipher_, who.clinic_id, scope.client_id, log.programme_id(), /*version=*/0);
    if (!latest.ok()) {
      return latest.status();
    }
    const int status = latest->record.status;
    if (status == v1::PROGRAMME_STATUS_DRAFT) {
      // She has never been shown a draft: it answers as if it did not exist.
      return absl::NotFoundError("programme not found");
    }
    if (status != v1::PROGRAMME_STATUS_ACTIVE) {
      return absl::FailedPreconditionError(
          absl::StrCat("the programme is ", std::string(StatusName(status)),
                       "; practice is logged against an ACTIVE programme"));
    }
    absl::StatusOr<OpenedProgramme> practised =
        PractisedVersion(scope.uow, cipher_, *latest, log.programme_version());
    if (!practised.ok()) {
      return practised.status();
    }
    const v1::ProgrammeItem* item = FindItem(practised->programme, log.item_id());
    if (item == nullptr) {
      return InvalidField("log.item_id", "is not an item of that programme version");
    }
    if (absl::Status s = CheckPracticeAgainst(log, *item, scope.now); !s.ok()) {
      return s;
    }
    absl::StatusOr<absl::TimeZone> zone = LoadProgrammeZone(latest->record.time_zone);
    if (!zone.ok()) {
      return absl::InternalError("the programme's time zone cannot be loaded");
    }
    const absl::Time practiced_at = StoredTime(FromTimestamp(log.practiced_at()));
    const bool skipped = log.completion() == v1::PRACTICE_COMPLETION_SKIPPED;
    PracticeLogRecord record{.id = log_id,
                             .clinic_id = who.clinic_id,
                             .client_id = scope.client_id,
                             .programme_id = latest->record.id,
                             .programme_version = practised->programme.version(),
                             .item_id = log.item_id(),
                             .practiced_at = practiced_at,
                             .local_date = LocalDate(practiced_at, *zone),
                             .duration_minutes = log.duration_minutes(),
                             .completion = log.completion(),
                             .dilator_size = skipped ? 0 : log.dilator_size(),
                             .pain = log.has_pain() ? log.pain() : -1,
                             .anxiety = log.has_anxiety() ? log.anxiety() : -1,
                             .recorded_by_user_id = who.user_id,
                             .create_time = StoredTime(scope.now),
                             .request_id = request.request_id()};
    if (!log.feelings().empty()) {
      absl::StatusOr<std::string> sealed =
          SealFeelings(cipher_, scope.uow, who.clinic_id, scope.client_id, log_id, log.feelings());
      if (!sealed.ok()) {
        return sealed.status();
      }
      record.feelings_sealed = *std::move(sealed);
    }
    absl::Status stored = scope.uow.Atomically([&]() -> absl::Status {
      absl::StatusOr<std::optional<ProgressionSuggestionRecord>> suggestion =
          LadderAfter(scope.uow, *latest, record, ids_.NewId(), StoredTime(scope.now));
      if (!suggestion.ok()) {
        return suggestion.status();
      }
      if (suggestion->has_value()) {
        // Another log of the item may have made one first (several servers): one PENDING per
        // item is the rule, so this session then simply adds to the evidence.
        absl::Status inserted = scope.uow.Atomically(
            [&] { return scope.uow.progression_suggestions().Insert(**suggestion); });
        if (inserted.ok()) {
          record.suggestion_id = (*suggestion)->id;
        } else if (inserted.code() != absl::StatusCode::kAlreadyExists) {
          return inserted;
        }
      }
      return scope.uow.practice_logs().Insert(record);
    });
    if (!stored.ok()) {
      return stored;
    }
    return OpenPracticeLog(cipher_, scope.uow, record, IsPatient(scope));
  };
  return CreateOnce<v1::PracticeLog>(request.request_id(), replay, create);
}

absl::StatusOr<v1::ListPracticeLogsResponse> PracticeService::ListPracticeLogs(
    const v1::ListPracticeLogsRequest& request, RequestScope& scope) {
  scope.audit.resource = absl::StrCat("clients/", scope.client_id, "/practiceLogs");
  absl::StatusOr<int> page_size = EffectivePageSize(request.page_size());
  if (!page_size.ok()) {
    return page_size.status();
  }
  PracticeLogQuery query{.clinic_id = scope.principal->clinic_id,
                         .client_id = scope.client_id,
                         .programme_id = request.programme_id(),
                         .item_id = request.item_id(),
                         .limit = *page_size + 1};
  if (request.has_start_time()) {
    query.start = FromTimestamp(request.start_time());
  }
  if (request.has_end_time()) {
    query.end = FromTimestamp(request.end_time());
  }
  if (!request.page_token().empty()) {
    absl::StatusOr<std::pair<absl::Time, std::string>> after =
        DecodeLogsPageToken(request.page_token());
    if (!after.ok()) {
      return after.status();
    }
    query.after_practiced_at = after->first;
    query.after_id = after->second;
  }
  absl::StatusOr<std::vector<PracticeLogRecord>> rows = scope.uow.practice_logs().List(query);
  if (!rows.ok()) {
    return rows.status();
  }
  v1::ListPracticeLogsResponse response;
  const int shown = std::min(*page_size, static_cast<int>(rows->size()));
  for (int i = 0; i < shown; ++i) {
    absl::StatusOr<v1::PracticeLog> log =
        OpenPracticeLog(cipher_, scope.uow, (*rows)[i], IsPatient(scope));
    if (!log.ok()) {
      return log.status();
    }
    *response.add_logs() = *std::move(log);
  }
  if (static_cast<int>(rows->size()) > *page_size) {
    const PracticeLogRecord& last = (*rows)[shown - 1];
    response.set_next_page_token(EncodeLogsPageToken(last.practiced_at, last.id));
  }
  return response;
}

absl::StatusOr<v1::ListProgressionSuggestionsResponse> PracticeService::ListProgressionSuggestions(
    const v1::ListProgressionSuggestionsRequest& request, RequestScope& scope) {
  scope.audit.resource = absl::StrCat("clients/", scope.client_id, "/progressionSuggestions");
  absl::StatusOr<int> page_size = EffectivePageSize(request.page_size());
  if (!page_size.ok()) {
    return page_size.status();
  }
  std::string after;
  if (!request.page_token().empty()) {
    absl::StatusOr<std::string> last =
        DecodePageToken(kSuggestionsList, request.page_token(), "ListProgressionSuggestions");
    if (!last.ok()) {
      return last.status();
    }
    after = *std::move(last);
  }
  absl::StatusOr<std::vector<ProgressionSuggestionRecord>> rows =
      scope.uow.progression_suggestions().ListOfClient(scope.principal->clinic_id, scope.client_id,
                                                       request.status(), after, *page_size + 1);
  if (!rows.ok()) {
    return rows.status();
  }
  v1::ListProgressionSuggestionsResponse response;
  const int shown = std::min(*page_size, static_cast<int>(rows->size()));
  for (int i = 0; i < shown; ++i) {
    *response.add_suggestions() = ProgressionSuggestionOf((*rows)[i]);
  }
  if (static_cast<int>(rows->size()) > *page_size) {
    response.set_next_page_token(EncodePageToken(kSuggestionsList, (*rows)[shown - 1].id));
  }
  return response;
}

absl::StatusOr<v1::Programme> PracticeService::Accept(
    const v1::DecideProgressionSuggestionRequest& request, RequestScope& scope) {
  const Principal& who = *scope.principal;
  // Before the lookup, so a refused attempt on an unknown id is audited with that id.
  scope.audit.resource = SuggestionResource(scope.client_id, request.suggestion_id());
  absl::StatusOr<ProgressionSuggestionRecord> suggestion =
      LoadSuggestion(scope, request.suggestion_id());
  if (!suggestion.ok()) {
    return suggestion.status();
  }
  if (absl::Status writable = RequireWritableClient(scope); !writable.ok()) {
    return writable;
  }
  if (absl::Status pending = RequirePending(*suggestion); !pending.ok()) {
    return pending;
  }
  absl::StatusOr<OpenedProgramme> current = LoadProgramme(
      scope.uow, cipher_, who.clinic_id, scope.client_id, suggestion->programme_id, 0);
  if (!current.ok()) {
    return current.status();
  }
  if (request.programme_etag() != ProgrammeEtag(current->record)) {
    return StaleEtag("programme");
  }
  if (current->record.status == v1::PROGRAMME_STATUS_ENDED) {
    return absl::FailedPreconditionError(
        "the programme is ENDED; an ended programme does not change");
  }
  v1::Programme next = current->programme;
  v1::ProgrammeItem* item = nullptr;
  for (v1::ProgrammeItem& candidate : *next.mutable_items()) {
    if (candidate.id() == suggestion->item_id) {
      item = &candidate;
    }
  }
  // WriteNextVersion supersedes a suggestion whose item's size changes another way, so these
  // hold for a PENDING one; checked all the same, as the programme is what a patient follows.
  if (item == nullptr || !item->has_dilator() ||
      item->dilator().current_size() != suggestion->from_size ||
      !HasSize(item->dilator(), suggestion->to_size)) {
    return absl::FailedPreconditionError(
        "the item's dilator size changed since the suggestion was made");
  }
  item->mutable_dilator()->set_current_size(suggestion->to_size);
  ProgressionSuggestionRecord decided = *suggestion;
  decided.status = v1::SUGGESTION_STATUS_ACCEPTED;
  decided.decided_by_user_id = who.user_id;
  decided.decide_time = StoredTime(scope.now);
  decided.accepted_version = current->record.latest_version + 1;
  std::optional<OpenedProgramme> written;
  absl::Status stored = scope.uow.Atomically([&]() -> absl::Status {
    // Decided first: WriteNextVersion supersedes what is still PENDING for a changed item.
    if (absl::Status s = scope.uow.progression_suggestions().Decide(decided); !s.ok()) {
      return s;
    }
    absl::StatusOr<OpenedProgramme> made = WriteNextVersion(
        scope.uow, cipher_, *current, std::move(next), who.user_id, StoredTime(scope.now));
    if (!made.ok()) {
      return made.status();
    }
    written = *std::move(made);
    return absl::OkStatus();
  });
  if (!stored.ok()) {
    return stored;
  }
  return written->programme;
}

absl::StatusOr<v1::ProgressionSuggestion> PracticeService::Decline(
    const v1::DecideProgressionSuggestionRequest& request, RequestScope& scope) {
  // Before the lookup, so a refused attempt on an unknown id is audited with that id.
  scope.audit.resource = SuggestionResource(scope.client_id, request.suggestion_id());
  absl::StatusOr<ProgressionSuggestionRecord> suggestion =
      LoadSuggestion(scope, request.suggestion_id());
  if (!suggestion.ok()) {
    return suggestion.status();
  }
  if (absl::Status writable = RequireWritableClient(scope); !writable.ok()) {
    return writable;
  }
  if (absl::Status pending = RequirePending(*suggestion); !pending.ok()) {
    return pending;
  }
  ProgressionSuggestionRecord decided = *suggestion;
  decided.status = v1::SUGGESTION_STATUS_DECLINED;
  decided.decided_by_user_id = scope.principal->user_id;
  decided.decide_time = StoredTime(scope.now);
  if (absl::Status s = scope.uow.progression_suggestions().Decide(decided); !s.ok()) {
    return s;
  }
  return ProgressionSuggestionOf(decided);
}

void PracticeService::Register(MethodTable& table) {
  table.Add(MethodDefinition<v1::LogPracticeRequest, v1::PracticeLog>{
      .full_name = "confide.v1.ProgrammeService.LogPractice",
      .mode = TransactionMode::kWrite,
      .action = Action::kLogPractice,
      .target_client = [](const v1::LogPracticeRequest& r) { return r.client_id(); },
      .validate = ValidateLogPractice,
      .handler = [this](const auto& r, RequestScope& s) { return LogPractice(r, s); }});
  table.Add(MethodDefinition<v1::ListPracticeLogsRequest, v1::ListPracticeLogsResponse>{
      .full_name = "confide.v1.ProgrammeService.ListPracticeLogs",
      .mode = TransactionMode::kRead,
      .action = Action::kReadPracticeLog,
      .target_client = [](const v1::ListPracticeLogsRequest& r) { return r.client_id(); },
      .validate = ValidateListPracticeLogs,
      .handler = [this](const auto& r, RequestScope& s) { return ListPracticeLogs(r, s); }});
  table.Add(MethodDefinition<v1::ListProgressionSuggestionsRequest,
                             v1::ListProgressionSuggestionsResponse>{
      .full_name = "confide.v1.ProgrammeService.ListProgressionSuggestions",
      .mode = TransactionMode::kRead,
      .action = Action::kReadClinicalPlan,
      .target_client = [](const v1::ListProgressionSuggestionsRequest& r) { return r.client_id(); },
      .validate = ValidateListProgressionSuggestions,
      .handler = [this](const auto& r,
                        RequestScope& s) { return ListProgressionSuggestions(r, s); }});
  table.Add(MethodDefinition<v1::DecideProgressionSuggestionRequest, v1::Programme>{
      .full_name = "confide.v1.ProgrammeService.AcceptProgressionSuggestion",
      .mode = TransactionMode::kWrite,
      .action = Action::kWriteClinical,
      .target_client =
          [](const v1::DecideProgressionSuggestionRequest& r) { return r.client_id(); },
      .validate = ValidateAcceptProgressionSuggestion,
      .handler = [this](const auto& r, RequestScope& s) { return Accept(r, s); }});
  table.Add(MethodDefinition<v1::DecideProgressionSuggestionRequest, v1::ProgressionSuggestion>{
      .full_name = "confide.v1.ProgrammeService.DeclineProgressionSuggestion",
      .mode = TransactionMode::kWrite,
      .action = Action::kWriteClinical,
      .target_client =
          [](const v1::DecideProgressionSuggestionRequest& r) { return r.client_id(); },
      .validate = ValidateDeclineProgressionSuggestion,
      .handler = [this](const auto& r, RequestScope& s) { return Decline(r, s); }});
}

}  // namespace confide
