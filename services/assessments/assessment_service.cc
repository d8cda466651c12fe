#include "services/assessments/assessment_service.h"

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/api/field_errors.h"
#include "services/api/page_token.h"
#include "services/assessments/assessment_scoring.h"
#include "services/assessments/assessment_validation.h"
#include "services/assessments/assessment_view.h"
#include "services/assessments/decimal.h"
#include "services/assessments/ports/assessment_repository.h"
#include "services/common/timestamps.h"
#include "services/crypto/sealed_message.h"

namespace confide {
namespace {

constexpr char kTable[] = "assessments";
constexpr char kContentColumn[] = "content_sealed";

FieldLocation ContentLocation(const std::string& assessment_id) {
  return FieldLocation{.table = kTable, .column = kContentColumn, .row_id = assessment_id};
}

std::string ResourceOf(const std::string& client_id, const std::string& assessment_id) {
  return absl::StrCat("clients/", client_id, "/assessments/", assessment_id);
}

// A token from a list filtered by one instrument is refused by a list filtered by another.
std::string ListName(const std::string& instrument_id) {
  return absl::StrCat("assessments:", instrument_id);
}

// The stored record with its sealed answers and score opened.
absl::StatusOr<v1::Assessment> Open(ClientDataCipher& cipher, UnitOfWork& uow,
                                    const AssessmentRecord& record) {
  v1::Assessment assessment;
  if (absl::Status opened =
          OpenMessage(cipher, uow, record.clinic_id, record.client_id, ContentLocation(record.id),
                      record.content_sealed, &assessment);
      !opened.ok()) {
    return opened;
  }
  assessment.set_id(record.id);
  assessment.set_client_id(record.client_id);
  assessment.set_instrument_id(record.instrument_id);
  assessment.set_instrument_version(record.instrument_version);
  assessment.set_mode(record.mode);
  assessment.set_administered_by_user_id(record.administered_by);
  assessment.set_administered_by_role(record.role);
  *assessment.mutable_complete_time() = ToTimestamp(record.complete_time);
  return assessment;
}

// The change of `total` from `previous` as a signed decimal; empty when either is missing.
std::string ChangeBetween(const std::string& total, const std::string& previous) {
  const std::optional<Hundredths> now = ParseHundredths(total);
  const std::optional<Hundredths> before = ParseHundredths(previous);
  if (!now.has_value() || !before.has_value()) {
    return "";
  }
  return FormatHundredths(*now - *before);
}

// The answer to a submit whose request id was used before, or nullopt when it is new (or
// empty). A retry is the same request: same client, same submitter, same instrument; it gets
// the earlier result (whatever answers it carries now). Anything else reusing the id is refused
// without saying what the earlier request was.
std::optional<absl::StatusOr<v1::Assessment>> AnswerToRetry(
    ClientDataCipher& cipher, RequestScope& scope, const v1::SubmitAssessmentRequest& request) {
  if (request.request_id().empty()) {
    return std::nullopt;
  }
  absl::StatusOr<std::optional<AssessmentRecord>> earlier =
      scope.uow.assessments().FindByRequestId(scope.principal->clinic_id, request.request_id());
  if (!earlier.ok()) {
    return earlier.status();
  }
  if (!earlier->has_value()) {
    return std::nullopt;
  }
  const AssessmentRecord& record = **earlier;
  if (record.client_id != scope.client_id || record.administered_by != scope.principal->user_id ||
      record.instrument_id != request.instrument_id()) {
    return absl::AlreadyExistsError("request_id was already used for another request");
  }
  scope.audit.resource = ResourceOf(scope.client_id, record.id);
  return Open(cipher, scope.uow, record);
}

// The total of `record`, opened at most once per listing: `totals` keeps them by id.
absl::StatusOr<std::string> TotalOf(ClientDataCipher& cipher, UnitOfWork& uow,
                                    const AssessmentRecord& record,
                                    std::map<std::string, std::string>& totals) {
  auto known = totals.find(record.id);
  if (known != totals.end()) {
    return known->second;
  }
  absl::StatusOr<v1::Assessment> opened = Open(cipher, uow, record);
  if (!opened.ok()) {
    return opened.status();
  }
  totals.emplace(record.id, opened->score().total());
  return opened->score().total();
}

// The previous administration of rows[i]'s instrument: the next older row of it in `rows` (the
// page and its extra row), else the newest one before it in storage; nullopt for the first.
absl::StatusOr<std::optional<AssessmentRecord>> PreviousOf(
    AssessmentRepository& assessments, const std::vector<AssessmentRecord>& rows, size_t i) {
  const AssessmentRecord& record = rows[i];
  for (size_t j = i + 1; j < rows.size(); ++j) {
    if (rows[j].instrument_id == record.instrument_id) {
      return rows[j];
    }
  }
  absl::StatusOr<std::vector<AssessmentRecord>> older =
      assessments.List(AssessmentQuery{.clinic_id = record.clinic_id,
                                       .client_id = record.client_id,
                                       .instrument_id = record.instrument_id,
                                       .before_id = record.id,
                                       .limit = 1});
  if (!older.ok()) {
    return older.status();
  }
  if (older->empty()) {
    return std::nullopt;
  }
  return older->front();
}

// rows[i]'s change from the previous administration of its instrument ("" when there is none
// or either total is missing).
absl::StatusOr<std::string> ChangeFromPrevious(ClientDataCipher& cipher, UnitOfWork& uow,
                                               const std::vector<AssessmentRecord>& rows, size_t i,
                                               const std::string& total,
                                               std::map<std::string, std::string>& totals) {
  absl::StatusOr<std::optional<AssessmentRecord>> previous = PreviousOf(uow.assessments(), rows, i);
  if (!previous.ok()) {
    return previous.status();
  }
  if (!previous->has_value()) {
    return std::string();
  }
  absl::StatusOr<std::string> previous_total = TotalOf(cipher, uow, **previous, totals);
  if (!previous_total.ok()) {
    return previous_total.status();
  }
  return ChangeBetween(total, *previous_total);
}

}  // namespace

absl::StatusOr<v1::ListAssessmentsResponse> ReadAssessmentsPage(
    ClientDataCipher& cipher, const InstrumentCatalogue& catalogue, AssessmentQuery query,
    RequestScope& scope) {
  const size_t page_size = static_cast<size_t>(query.limit);
  query.limit = query.limit + 1;  // one extra row says whether another page exists
  absl::StatusOr<std::vector<AssessmentRecord>> rows = scope.uow.assessments().List(query);
  if (!rows.ok()) {
    return rows.status();
  }
  const size_t shown = std::min<size_t>(page_size, rows->size());
  std::map<std::string, std::string> totals;
  v1::ListAssessmentsResponse response;
  for (size_t i = 0; i < shown; ++i) {
    const AssessmentRecord& record = (*rows)[i];
    absl::StatusOr<v1::Assessment> assessment = Open(cipher, scope.uow, record);
    if (!assessment.ok()) {
      return assessment.status();
    }
    totals.emplace(record.id, assessment->score().total());
    absl::StatusOr<std::string> change =
        ChangeFromPrevious(cipher, scope.uow, *rows, i, assessment->score().total(), totals);
    if (!change.ok()) {
      return change.status();
    }
    assessment->set_change_from_previous(*std::move(change));
    ShapeForCaller(*scope.principal, catalogue, *assessment);
    *response.add_assessments() = *std::move(assessment);
  }
  if (rows->size() > shown) {
    response.set_next_page_token(
        EncodePageToken(ListName(query.instrument_id), (*rows)[shown - 1].id));
  }
  return response;
}

absl::StatusOr<v1::ListInstrumentsResponse> AssessmentService::ListInstruments(
    const v1::ListInstrumentsRequest&, RequestScope& scope) {
  v1::ListInstrumentsResponse response;
  for (const InstrumentDefinition& definition : catalogue_.All()) {
    *response.add_instruments() = definition.instrument;
  }
  scope.audit.resource = "instruments";
  return response;
}

absl::StatusOr<v1::Instrument> AssessmentService::GetInstrument(
    const v1::GetInstrumentRequest& request, RequestScope& scope) {
  const InstrumentDefinition* definition = catalogue_.Find(request.instrument_id());
  if (definition == nullptr) {
    return absl::NotFoundError("instrument not found");
  }
  scope.audit.resource = absl::StrCat("instruments/", definition->instrument.id());
  return definition->instrument;
}

absl::StatusOr<v1::Assessment> AssessmentService::Submit(const v1::SubmitAssessmentRequest& request,
                                                         RequestScope& scope) {
  absl::StatusOr<v1::Assessment> stored = Store(request, scope);
  if (stored.ok()) {
    ShapeForCaller(*scope.principal, catalogue_, *stored);
  }
  return stored;
}

absl::StatusOr<v1::Assessment> AssessmentService::Store(const v1::SubmitAssessmentRequest& request,
                                                        RequestScope& scope) {
  const Principal& who = *scope.principal;
  const InstrumentDefinition* definition = catalogue_.Find(request.instrument_id());
  if (definition == nullptr) {
    return InvalidField("instrument_id",
                        "is not an instrument this server scores (see ListInstruments)");
  }
  const bool self_report = who.role == v1::ROLE_PATIENT;
  if (self_report && !definition->instrument.self_report()) {
    return absl::PermissionDeniedError(
        "this instrument is administered by a clinician, not completed in the portal");
  }
  scope.audit.resource = absl::StrCat("clients/", scope.client_id, "/assessments");
  if (auto retry = AnswerToRetry(cipher_, scope, request); retry.has_value()) {
    return *std::move(retry);
  }
  absl::StatusOr<v1::AssessmentScore> score = ScoreAnswers(*definition, request.answers());
  if (!score.ok()) {
    return score.status();
  }
  AssessmentRecord record;
  record.id = ids_.NewId();
  record.clinic_id = who.clinic_id;
  record.client_id = scope.client_id;
  record.instrument_id = definition->instrument.id();
  record.instrument_version = definition->instrument.version();
  record.mode =
      self_report ? v1::ADMINISTRATION_MODE_SELF_REPORT : v1::ADMINISTRATION_MODE_CLINICIAN;
  record.administered_by = who.user_id;
  record.role = who.role;
  record.complete_time = scope.now;
  record.request_id = request.request_id();
  // Only the answers and the score are sealed; the rest are plain columns for lists.
  v1::Assessment content;
  *content.mutable_answers() = request.answers();
  *content.mutable_score() = *std::move(score);
  scope.audit.resource = ResourceOf(record.client_id, record.id);
  absl::Status inserted = scope.uow.Atomically([&]() -> absl::Status {
    absl::StatusOr<std::string> sealed =
        SealMessage(cipher_, scope.uow, record.clinic_id, record.client_id,
                    ContentLocation(record.id), content);
    if (!sealed.ok()) {
      return sealed.status();
    }
    record.content_sealed = *std::move(sealed);
    return scope.uow.assessments().Insert(record);
  });
  if (inserted.code() == absl::StatusCode::kAlreadyExists) {
    // Two retries of one submit raced (PostgreSQL, several servers): the loser replays the
    // winner's result instead of failing.
    if (auto retry = AnswerToRetry(cipher_, scope, request); retry.has_value()) {
      return *std::move(retry);
    }
  }
  if (!inserted.ok()) {
    return inserted;
  }
  return Open(cipher_, scope.uow, record);
}

absl::StatusOr<v1::Assessment> AssessmentService::Get(const v1::GetAssessmentRequest& request,
                                                      RequestScope& scope) {
  absl::StatusOr<std::optional<AssessmentRecord>> record = scope.uow.assessments().Find(
      scope.principal->clinic_id, scope.client_id, request.assessment_id());
  if (!record.ok()) {
    return record.status();
  }
  if (!record->has_value()) {
    return absl::NotFoundError("assessment not found");
  }
  scope.audit.resource = ResourceOf(scope.client_id, (*record)->id);
  absl::StatusOr<v1::Assessment> assessment = Open(cipher_, scope.uow, **record);
  if (assessment.ok()) {
    ShapeForCaller(*scope.principal, catalogue_, *assessment);
  }
  return assessment;
}

absl::StatusOr<v1::ListAssessmentsResponse> AssessmentService::List(
    const v1::ListAssessmentsRequest& request, RequestScope& scope) {
  absl::StatusOr<int> page_size = EffectivePageSize(request.page_size());
  if (!page_size.ok()) {
    return page_size.status();
  }
  AssessmentQuery query;
  query.clinic_id = scope.principal->clinic_id;
  query.client_id = scope.client_id;
  query.instrument_id = request.instrument_id();
  if (!request.page_token().empty()) {
    absl::StatusOr<std::string> before =
        DecodePageToken(ListName(request.instrument_id()), request.page_token(), "ListAssessments");
    if (!before.ok()) {
      return before.status();
    }
    query.before_id = *std::move(before);
  }
  query.limit = *page_size;
  scope.audit.resource = absl::StrCat("clients/", scope.client_id, "/assessments");
  return ReadAssessmentsPage(cipher_, catalogue_, query, scope);
}

void AssessmentService::Register(MethodTable& table) {
  table.Add(MethodDefinition<v1::ListInstrumentsRequest, v1::ListInstrumentsResponse>{
      .full_name = "confide.v1.AssessmentService.ListInstruments",
      .mode = TransactionMode::kRead,
      .action = Action::kReadClinic,
      .handler = [this](const auto& r, RequestScope& s) { return ListInstruments(r, s); }});
  table.Add(MethodDefinition<v1::GetInstrumentRequest, v1::Instrument>{
      .full_name = "confide.v1.AssessmentService.GetInstrument",
      .mode = TransactionMode::kRead,
      .action = Action::kReadClinic,
      .validate = ValidateGetInstrument,
      .handler = [this](const auto& r, RequestScope& s) { return GetInstrument(r, s); }});
  table.Add(MethodDefinition<v1::SubmitAssessmentRequest, v1::Assessment>{
      .full_name = "confide.v1.AssessmentService.SubmitAssessment",
      .mode = TransactionMode::kWrite,
      .action = Action::kCompleteAssessment,
      .target_client = [](const v1::SubmitAssessmentRequest& r) { return r.client_id(); },
      .validate = [this](const auto& r) { return ValidateSubmitAssessment(catalogue_, r); },
      .handler = [this](const auto& r, RequestScope& s) { return Submit(r, s); }});
  table.Add(MethodDefinition<v1::GetAssessmentRequest, v1::Assessment>{
      .full_name = "confide.v1.AssessmentService.GetAssessment",
      .mode = TransactionMode::kRead,
      .action = Action::kReadAssessments,
      .target_client = [](const v1::GetAssessmentRequest& r) { return r.client_id(); },
      .validate = ValidateGetAssessment,
      .handler = [this](const auto& r, RequestScope& s) { return Get(r, s); }});
  table.Add(MethodDefinition<v1::ListAssessmentsRequest, v1::ListAssessmentsResponse>{
      .full_name = "confide.v1.AssessmentService.ListAssessments",
      .mode = TransactionMode::kRead,
      .action = Action::kReadAssessments,
      .target_client = [](const v1::ListAssessmentsRequest& r) { return r.client_id(); },
      .validate = [this](const auto& r) { return ValidateListAssessments(catalogue_, r); },
      .handler = [this](const auto& r, RequestScope& s) { return List(r, s); }});
}

}  // namespace confide
