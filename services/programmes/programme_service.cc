#include "services/programmes/programme_service.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/field_mask_util.h"
#include "services/api/etag.h"
#include "services/api/field_errors.h"
#include "services/api/list_page.h"
#include "services/api/page_token.h"
#include "services/api/request_replay.h"
#include "services/clients/writable_client.h"
#include "services/common/text_checks.h"
#include "services/common/timestamps.h"
#include "services/exercises/exercise_store.h"
#include "services/plans/plan_store.h"
#include "services/programmes/ports/progression_suggestion_repository.h"
#include "services/programmes/programme_store.h"
#include "services/programmes/programme_validation.h"

namespace confide {
namespace {

using google::protobuf::util::FieldMaskUtil;

constexpr std::string_view kProgrammesList = "programmes";
constexpr std::string_view kVersionsListStem = "programme_versions.";

// The patient herself and a partner see the patient's view: activated programmes only, the
// latest version, no clinician notes. Everyone else the pipeline lets through is care team
// (or break-glass).
bool SeesPatientView(const RequestScope& scope) {
  const v1::Role role = scope.principal->role;
  return role == v1::ROLE_PATIENT || role == v1::ROLE_PARTNER;
}

std::string StatusName(int status) {
  return v1::ProgrammeStatus_Name(static_cast<v1::ProgrammeStatus>(status))
      .substr(std::string_view("PROGRAMME_STATUS_").size());
}

absl::Status ProgrammeNotFound() { return absl::NotFoundError("programme not found"); }

// ListProgrammeVersions' page token after `last_version` of `programme_id`: page_token.h's
// token names the list "programme_versions.<last version>" and holds the programme id, so a
// token works only for its own programme.
std::string EncodeVersionToken(std::string_view programme_id, int last_version) {
  return EncodePageToken(absl::StrCat(std::string(kVersionsListStem), last_version), programme_id);
}

absl::StatusOr<int> DecodeVersionToken(std::string_view programme_id, std::string_view token) {
  const absl::Status bad =
      InvalidField("page_token",
                   "is not a token from a previous ListProgrammeVersions response for this "
                   "programme");
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
  absl::StatusOr<std::string> programme =
      DecodePageToken(decoded.substr(0, colon), token, "ListProgrammeVersions");
  if (!programme.ok() || *programme != programme_id) {
    return bad;
  }
  return version;
}

// The goal ids of the latest version of the client's plan `plan_id`; INVALID_ARGUMENT naming
// `field` when the client has no such plan.
absl::StatusOr<std::set<std::string>> PlanGoalIds(ClientDataCipher& cipher, RequestScope& scope,
                                                  const std::string& plan_id,
                                                  const std::string& field) {
  absl::StatusOr<PlanRecord> plan = LoadPlan(scope, plan_id);
  if (absl::IsNotFound(plan.status())) {
    return InvalidField(field, "names no plan of this client");
  }
  if (!plan.ok()) {
    return plan.status();
  }
  absl::StatusOr<v1::TherapyPlan> latest = LoadVersion(cipher, scope, *plan, plan->latest_version);
  if (!latest.ok()) {
    return latest.status();
  }
  std::set<std::string> ids;
  for (const v1::Goal& goal : latest->goals()) {
    ids.insert(goal.id());
  }
  return ids;
}

// Goal links: each item's goals are goals of the programme's plan (its latest version).
absl::Status CheckGoalLinks(ClientDataCipher& cipher, RequestScope& scope,
                            const v1::Programme& content) {
  std::vector<FieldViolation> violations;
  if (content.plan_id().empty()) {
    for (int i = 0; i < content.items_size(); ++i) {
      if (content.items(i).goal_ids_size() > 0) {
        violations.push_back({absl::StrCat("programme.items[", i, "].goal_ids"),
                              "needs the programme's plan_id: goals belong to a plan"});
      }
    }
    return InvalidFields(violations);
  }
  absl::StatusOr<std::set<std::string>> goals =
      PlanGoalIds(cipher, scope, content.plan_id(), "programme.plan_id");
  if (!goals.ok()) {
    return goals.status();
  }
  for (int i = 0; i < content.items_size(); ++i) {
    const v1::ProgrammeItem& item = content.items(i);
    for (int g = 0; g < item.goal_ids_size(); ++g) {
      if (goals->count(item.goal_ids(g)) == 0) {
        violations.push_back({absl::StrCat("programme.items[", i, "].goal_ids[", g, "]"),
                              "names no goal of the programme's plan"});
      }
    }
  }
  return InvalidFields(violations);
}

// Runs `work` in a savepoint, so a refused write leaves nothing behind but its audit event.
absl::StatusOr<OpenedProgramme> InSavepoint(
    RequestScope& scope, absl::FunctionRef<absl::StatusOr<OpenedProgramme>()> work) {
  std::optional<OpenedProgramme> result;
  absl::Status status = scope.uow.Atomically([&]() -> absl::Status {
    absl::StatusOr<OpenedProgramme> done = work();
    if (!done.ok()) {
      return done.status();
    }
    result.emplace(*std::move(done));
    return absl::OkStatus();
  });
  if (!status.ok()) {
    return status;
  }
  return *std::move(result);
}

}  // namespace

absl::Status ProgrammeService::PrepareItems(RequestScope& scope, v1::Programme& content,
                                            const v1::Programme* previous) {
  std::map<std::string, const v1::ProgrammeItem*> before;
  if (previous != nullptr) {
    for (const v1::ProgrammeItem& item : previous->items()) {
      before.emplace(item.id(), &item);
    }
  }
  std::vector<FieldViolation> violations;
  for (int i = 0; i < content.items_size(); ++i) {
    v1::ProgrammeItem& item = *content.mutable_items(i);
    const std::string at = absl::StrCat("programme.items[", i, "]");
    // Output-only: the server fixes the snapshot and the size's start.
    item.clear_exercise();
    if (item.has_dilator()) {
      item.mutable_dilator()->clear_current_size_since();
    }
    if (item.id().empty()) {
      item.set_id(ids_.NewId());
    }
    auto earlier = before.find(item.id());
    const v1::ProgrammeItem* same =
        earlier != before.end() && earlier->second->exercise_id() == item.exercise_id()
            ? earlier->second
            : nullptr;
    if (same != nullptr &&
        (item.exercise_version() == 0 || item.exercise_version() == same->exercise_version())) {
      // The version prescribed stays: a later library edit never changes a prescription.
      item.set_exercise_version(same->exercise_version());
      *item.mutable_exercise() = same->exercise();
    } else {
      absl::StatusOr<v1::Exercise> latest =
          LoadExerciseVersion(scope.uow, scope.principal->clinic_id, item.exercise_id(), 0);
      if (absl::IsNotFound(latest.status())) {
        violations.push_back({at + ".exercise_id", "names no exercise of the library"});
        continue;
      }
      if (!latest.ok()) {
        return latest.status();
      }
      if (same == nullptr && latest->archived()) {
        violations.push_back(
            {at + ".exercise_id", "names an archived exercise: it is not offered any more"});
        continue;
      }
      v1::Exercise prescribed = *std::move(latest);
      if (item.exercise_version() != 0 && item.exercise_version() != prescribed.version()) {
        absl::StatusOr<v1::Exercise> chosen = LoadExerciseVersion(
            scope.uow, scope.principal->clinic_id, item.exercise_id(), item.exercise_version());
        if (absl::IsNotFound(chosen.status())) {
          violations.push_back({at + ".exercise_version", "is not a version of this exercise"});
          continue;
        }
        if (!chosen.ok()) {
          return chosen.status();
        }
        prescribed = *std::move(chosen);
      }
      item.set_exercise_version(prescribed.version());
      *item.mutable_exercise() = std::move(prescribed);
    }
    if (absl::Status fits = ValidateItemAgainstExercise(item, item.exercise(), at); !fits.ok()) {
      return fits;
    }
  }
  if (!violations.empty()) {
    return InvalidFields(violations);
  }
  return CheckGoalLinks(cipher_, scope, content);
}

absl::StatusOr<v1::Programme> ProgrammeService::Create(const v1::CreateProgrammeRequest& request,
                                                       RequestScope& scope) {
  const Principal& who = *scope.principal;
  auto replay = [&]() -> absl::StatusOr<std::optional<v1::Programme>> {
    return ReplayEarlier<v1::Programme, ProgrammeRecord>(
        scope, scope.uow.programmes().FindByCreateRequestId(who.clinic_id, request.request_id()),
        [&](const ProgrammeRecord& earlier) -> absl::StatusOr<v1::Programme> {
          scope.audit.resource = ProgrammeResource(scope.client_id, earlier.id);
          absl::StatusOr<OpenedProgramme> first =
              LoadProgramme(scope.uow, cipher_, who.clinic_id, scope.client_id, earlier.id, 1);
          if (!first.ok()) {
            return first.status();
          }
          return std::move(first->programme);
        });
  };
  return CreateOnce<v1::Programme>(
      request.request_id(), replay, [&]() -> absl::StatusOr<v1::Programme> {
        if (absl::Status writable = RequireWritableClient(scope); !writable.ok()) {
          return writable;
        }
        const std::string programme_id = ids_.NewId();
        const absl::Time now = StoredTime(scope.now);
        // Before validation, so a refused create is audited with the programme it would make.
        scope.audit.resource = ProgrammeResource(scope.client_id, programme_id);
        v1::Programme content = ProgrammeContent(request.programme());
        // Fields this server does not know (a newer client's, or smuggled) are never stored.
        content.DiscardUnknownFields();
        if (absl::Status valid = ValidateProgrammeContent(content, "programme"); !valid.ok()) {
          return valid;
        }
        if (absl::Status prepared = PrepareItems(scope, content, nullptr); !prepared.ok()) {
          return prepared;
        }
        for (v1::ProgrammeItem& item : *content.mutable_items()) {
          if (item.has_dilator()) {
            *item.mutable_dilator()->mutable_current_size_since() = ToTimestamp(now);
          }
        }
        const ProgrammeRecord record{.id = programme_id,
                                     .clinic_id = who.clinic_id,
                                     .client_id = scope.client_id,
                                     .latest_version = 1,
                                     .status = v1::PROGRAMME_STATUS_DRAFT,
                                     .revision = 1,
                                     .time_zone = content.time_zone(),
                                     .activate_time = std::nullopt,
                                     .create_time = now,
                                     .created_by = who.user_id};
        absl::StatusOr<OpenedProgramme> made =
            InSavepoint(scope, [&]() -> absl::StatusOr<OpenedProgramme> {
              if (absl::Status s = scope.uow.programmes().Insert(record, request.request_id());
                  !s.ok()) {
                return s;
              }
              if (absl::Status s = StoreProgrammeVersion(scope.uow, cipher_, record, 1, content,
                                                         who.user_id, now);
                  !s.ok()) {
                return s;
              }
              return LoadProgramme(scope.uow, cipher_, who.clinic_id, scope.client_id, programme_id,
                                   1);
            });
        if (!made.ok()) {
          return made.status();
        }
        return std::move(made->programme);
      });
}

absl::StatusOr<v1::Programme> ProgrammeService::Get(const v1::GetProgrammeRequest& request,
                                                    RequestScope& scope) {
  const bool patient_view = SeesPatientView(scope);
  // Ids only, and before the lookup, so an attempt on an unknown id is audited with that id.
  scope.audit.resource = ProgrammeResource(scope.client_id, request.programme_id());
  absl::StatusOr<OpenedProgramme> opened =
      LoadProgramme(scope.uow, cipher_, scope.principal->clinic_id, scope.client_id,
                    request.programme_id(), patient_view ? 0 : request.version());
  if (!opened.ok()) {
    return opened.status();
  }
  scope.audit.resource = ProgrammeResource(scope.client_id, opened->record.id);
  if (!patient_view) {
    return std::move(opened->programme);
  }
  // She sees what she was given: never a draft, and only the latest version.
  if (opened->record.status == v1::PROGRAMME_STATUS_DRAFT ||
      (request.version() != 0 && request.version() != opened->record.latest_version)) {
    return ProgrammeNotFound();
  }
  return ProgrammeForPatient(std::move(opened->programme));
}

absl::StatusOr<v1::ListProgrammesResponse> ProgrammeService::List(
    const v1::ListProgrammesRequest& request, RequestScope& scope) {
  scope.audit.resource = absl::StrCat("clients/", scope.client_id, "/programmes");
  absl::StatusOr<ListPage> page =
      StartListPage(request.page_size(), request.page_token(), kProgrammesList, "ListProgrammes");
  if (!page.ok()) {
    return page.status();
  }
  const bool patient_view = SeesPatientView(scope);
  std::vector<int> statuses;
  if (patient_view) {
    statuses = {v1::PROGRAMME_STATUS_ACTIVE, v1::PROGRAMME_STATUS_PAUSED,
                v1::PROGRAMME_STATUS_ENDED};
  }
  // One row more than the page shows tells whether there is a next page.
  absl::StatusOr<std::vector<ProgrammeRecord>> rows = scope.uow.programmes().ListOfClient(
      scope.principal->clinic_id, scope.client_id, statuses, page->after, page->size + 1);
  if (!rows.ok()) {
    return rows.status();
  }
  v1::ListProgrammesResponse response;
  const int shown = std::min(page->size, static_cast<int>(rows->size()));
  for (int i = 0; i < shown; ++i) {
    const ProgrammeRecord& record = (*rows)[i];
    absl::StatusOr<std::optional<ProgrammeVersionRecord>> row =
        scope.uow.programmes().FindVersion(record.clinic_id, record.id, record.latest_version);
    if (!row.ok()) {
      return row.status();
    }
    if (!row->has_value()) {
      return absl::InternalError("a programme's latest version is missing");
    }
    absl::StatusOr<v1::Programme> latest = OpenProgrammeVersion(scope.uow, cipher_, record, **row);
    if (!latest.ok()) {
      return latest.status();
    }
    *response.add_programmes() =
        patient_view ? ProgrammeForPatient(*std::move(latest)) : *std::move(latest);
  }
  if (static_cast<int>(rows->size()) > page->size) {
    response.set_next_page_token(EncodePageToken(kProgrammesList, (*rows)[shown - 1].id));
  }
  return response;
}

absl::StatusOr<v1::ListProgrammeVersionsResponse> ProgrammeService::ListVersions(
    const v1::ListProgrammeVersionsRequest& request, RequestScope& scope) {
  scope.audit.resource = ProgrammeResource(scope.client_id, request.programme_id());
  if (!IsUuidText(request.programme_id())) {
    return ProgrammeNotFound();
  }
  absl::StatusOr<std::optional<ProgrammeRecord>> record = scope.uow.programmes().Find(
      scope.principal->clinic_id, scope.client_id, request.programme_id());
  if (!record.ok()) {
    return record.status();
  }
  // Versions are the care team's working history; the patient sees the latest (GetProgramme).
  if (!record->has_value() || SeesPatientView(scope)) {
    return ProgrammeNotFound();
  }
  const ProgrammeRecord& programme = **record;
  scope.audit.resource = ProgrammeResource(scope.client_id, programme.id);
  absl::StatusOr<int> page_size = EffectivePageSize(request.page_size());
  if (!page_size.ok()) {
    return page_size.status();
  }
  int before = 0;
  if (!request.page_token().empty()) {
    absl::StatusOr<int> last = DecodeVersionToken(programme.id, request.page_token());
    if (!last.ok()) {
      return last.status();
    }
    before = *last;
  }
  absl::StatusOr<std::vector<ProgrammeVersionRecord>> rows = scope.uow.programmes().ListVersions(
      programme.clinic_id, programme.id, before, *page_size + 1);
  if (!rows.ok()) {
    return rows.status();
  }
  v1::ListProgrammeVersionsResponse response;
  const int shown = std::min(*page_size, static_cast<int>(rows->size()));
  for (int i = 0; i < shown; ++i) {
    absl::StatusOr<v1::Programme> version =
        OpenProgrammeVersion(scope.uow, cipher_, programme, (*rows)[i]);
    if (!version.ok()) {
      return version.status();
    }
    *response.add_versions() = *std::move(version);
  }
  if (static_cast<int>(rows->size()) > *page_size) {
    response.set_next_page_token(EncodeVersionToken(programme.id, (*rows)[shown - 1].version));
  }
  return response;
}

absl::StatusOr<v1::Programme> ProgrammeService::Update(const v1::UpdateProgrammeRequest& request,
                                                       RequestScope& scope) {
  const Principal& who = *scope.principal;
  scope.audit.resource = ProgrammeResource(scope.client_id, request.programme().id());
  absl::StatusOr<OpenedProgramme> latest = LoadProgramme(
      scope.uow, cipher_, who.clinic_id, scope.client_id, request.programme().id(), 0);
  if (!latest.ok()) {
    return latest.status();
  }
  scope.audit.resource = ProgrammeResource(scope.client_id, latest->record.id);
  if (absl::Status writable = RequireWritableClient(scope); !writable.ok()) {
    return writable;
  }
  if (request.programme().etag() != ProgrammeEtag(latest->record)) {
    return StaleEtag("programme");
  }
  if (latest->record.status == v1::PROGRAMME_STATUS_ENDED) {
    return absl::FailedPreconditionError("the programme is ENDED and can no longer change");
  }
  if (absl::Status mask = ValidateProgrammeUpdateMask(request.update_mask()); !mask.ok()) {
    return mask;
  }
  v1::Programme next = ProgrammeContent(latest->programme);
  FieldMaskUtil::MergeOptions options;
  options.set_replace_message_fields(true);
  options.set_replace_repeated_fields(true);
  FieldMaskUtil::MergeMessageTo(ProgrammeContent(request.programme()), request.update_mask(),
                                options, &next);
  // Unknown fields inside the replaced messages survive the merge: drop them.
  next.DiscardUnknownFields();
  if (absl::Status valid = ValidateProgrammeContent(next, "programme"); !valid.ok()) {
    return valid;
  }
  if (absl::Status prepared = PrepareItems(scope, next, &latest->programme); !prepared.ok()) {
    return prepared;
  }
  absl::StatusOr<OpenedProgramme> written =
      InSavepoint(scope, [&]() -> absl::StatusOr<OpenedProgramme> {
        return WriteNextVersion(scope.uow, cipher_, *latest, next, who.user_id, scope.now);
      });
  if (!written.ok()) {
    return written.status();
  }
  return std::move(written->programme);
}

absl::StatusOr<v1::Programme> ProgrammeService::ChangeStatus(
    const v1::ChangeProgrammeStatusRequest& request, RequestScope& scope, v1::ProgrammeStatus to) {
  scope.audit.resource = ProgrammeResource(scope.client_id, request.programme_id());
  absl::StatusOr<OpenedProgramme> latest = LoadProgramme(
      scope.uow, cipher_, scope.principal->clinic_id, scope.client_id, request.programme_id(), 0);
  if (!latest.ok()) {
    return latest.status();
  }
  scope.audit.resource = ProgrammeResource(scope.client_id, latest->record.id);
  if (absl::Status writable = RequireWritableClient(scope); !writable.ok()) {
    return writable;
  }
  if (request.etag() != ProgrammeEtag(latest->record)) {
    return StaleEtag("programme");
  }
  const int from = latest->record.status;
  bool allowed = false;
  switch (to) {
    case v1::PROGRAMME_STATUS_ACTIVE:
      allowed = from == v1::PROGRAMME_STATUS_DRAFT || from == v1::PROGRAMME_STATUS_PAUSED;
      break;
    case v1::PROGRAMME_STATUS_PAUSED:
      allowed = from == v1::PROGRAMME_STATUS_ACTIVE;
      break;
    case v1::PROGRAMME_STATUS_ENDED:
      allowed = from == v1::PROGRAMME_STATUS_ACTIVE || from == v1::PROGRAMME_STATUS_PAUSED;
      break;
    default:
      break;
  }
  if (!allowed) {
    return absl::FailedPreconditionError(
        absl::StrCat("the programme is ", StatusName(from), " and cannot become ", StatusName(to)));
  }
  ProgrammeRecord next = latest->record;
  next.status = to;
  if (to == v1::PROGRAMME_STATUS_ACTIVE && !next.activate_time.has_value()) {
    next.activate_time = StoredTime(scope.now);
  }
  if (absl::Status updated = scope.uow.programmes().Update(next, latest->record.revision);
      !updated.ok()) {
    return updated;
  }
  if (to == v1::PROGRAMME_STATUS_ENDED) {
    // An ended programme no longer changes, so a suggestion still waiting for its ladder can
    // never be accepted: it would only sit on the caseload as "pending" for good.
    for (const v1::ProgrammeItem& item : latest->programme.items()) {
      if (!item.has_dilator()) {
        continue;
      }
      absl::StatusOr<int> superseded = scope.uow.progression_suggestions().SupersedePending(
          scope.principal->clinic_id, latest->record.id, item.id());
      if (!superseded.ok()) {
        return superseded.status();
      }
    }
  }
  next.revision = latest->record.revision + 1;
  v1::Programme programme = std::move(latest->programme);
  programme.set_status(to);
  if (next.activate_time.has_value()) {
    *programme.mutable_activate_time() = ToTimestamp(*next.activate_time);
  }
  programme.set_etag(ProgrammeEtag(next));
  return programme;
}

absl::StatusOr<v1::Programme> ProgrammeService::Activate(
    const v1::ChangeProgrammeStatusRequest& request, RequestScope& scope) {
  return ChangeStatus(request, scope, v1::PROGRAMME_STATUS_ACTIVE);
}

absl::StatusOr<v1::Programme> ProgrammeService::Pause(
    const v1::ChangeProgrammeStatusRequest& request, RequestScope& scope) {
  return ChangeStatus(request, scope, v1::PROGRAMME_STATUS_PAUSED);
}

absl::StatusOr<v1::Programme> ProgrammeService::End(const v1::ChangeProgrammeStatusRequest& request,
                                                    RequestScope& scope) {
  return ChangeStatus(request, scope, v1::PROGRAMME_STATUS_ENDED);
}

void ProgrammeService::Register(MethodTable& table) {
  table.Add(MethodDefinition<v1::CreateProgrammeRequest, v1::Programme>{
      .full_name = "confide.v1.ProgrammeService.CreateProgramme",
      .mode = TransactionMode::kWrite,
      .action = Action::kWriteClinical,
      .target_client = [](const v1::CreateProgrammeRequest& r) { return r.client_id(); },
      .validate = ValidateCreateProgramme,
      .handler = [this](const auto& r, RequestScope& s) { return Create(r, s); }});
  table.Add(MethodDefinition<v1::GetProgrammeRequest, v1::Programme>{
      .full_name = "confide.v1.ProgrammeService.GetProgramme",
      .mode = TransactionMode::kRead,
      .action = Action::kReadProgrammeSchedule,
      .target_client = [](const v1::GetProgrammeRequest& r) { return r.client_id(); },
      .validate = ValidateGetProgramme,
      .handler = [this](const auto& r, RequestScope& s) { return Get(r, s); }});
  table.Add(MethodDefinition<v1::ListProgrammesRequest, v1::ListProgrammesResponse>{
      .full_name = "confide.v1.ProgrammeService.ListProgrammes",
      .mode = TransactionMode::kRead,
      .action = Action::kReadProgrammeSchedule,
      .target_client = [](const v1::ListProgrammesRequest& r) { return r.client_id(); },
      .validate = ValidateListProgrammes,
      .handler = [this](const auto& r, RequestScope& s) { return List(r, s); }});
  table.Add(MethodDefinition<v1::ListProgrammeVersionsRequest, v1::ListProgrammeVersionsResponse>{
      .full_name = "confide.v1.ProgrammeService.ListProgrammeVersions",
      .mode = TransactionMode::kRead,
      .action = Action::kReadClinicalPlan,
      .target_client = [](const v1::ListProgrammeVersionsRequest& r) { return r.client_id(); },
      .validate = ValidateListProgrammeVersions,
      .handler = [this](const auto& r, RequestScope& s) { return ListVersions(r, s); }});
  table.Add(MethodDefinition<v1::UpdateProgrammeRequest, v1::Programme>{
      .full_name = "confide.v1.ProgrammeService.UpdateProgramme",
      .mode = TransactionMode::kWrite,
      .action = Action::kWriteClinical,
      .target_client =
          [](const v1::UpdateProgrammeRequest& r) { return r.programme().client_id(); },
      .validate = ValidateUpdateProgramme,
      .handler = [this](const auto& r, RequestScope& s) { return Update(r, s); }});
  table.Add(MethodDefinition<v1::ChangeProgrammeStatusRequest, v1::Programme>{
      .full_name = "confide.v1.ProgrammeService.ActivateProgramme",
      .mode = TransactionMode::kWrite,
      .action = Action::kWriteClinical,
      .target_client = [](const v1::ChangeProgrammeStatusRequest& r) { return r.client_id(); },
      .validate = ValidateChangeProgrammeStatus,
      .handler = [this](const auto& r, RequestScope& s) { return Activate(r, s); }});
  table.Add(MethodDefinition<v1::ChangeProgrammeStatusRequest, v1::Programme>{
      .full_name = "confide.v1.ProgrammeService.PauseProgramme",
      .mode = TransactionMode::kWrite,
      .action = Action::kWriteClinical,
      .target_client = [](const v1::ChangeProgrammeStatusRequest& r) { return r.client_id(); },
      .validate = ValidateChangeProgrammeStatus,
      .handler = [this](const auto& r, RequestScope& s) { return Pause(r, s); }});
  table.Add(MethodDefinition<v1::ChangeProgrammeStatusRequest, v1::Programme>{
      .full_name = "confide.v1.ProgrammeService.EndProgramme",
      .mode = TransactionMode::kWrite,
      .action = Action::kWriteClinical,
      .target_client = [](const v1::ChangeProgrammeStatusRequest& r) { return r.client_id(); },
      .validate = ValidateChangeProgrammeStatus,
      .handler = [this](const auto& r, RequestScope& s) { return End(r, s); }});
}

}  // namespace confide
