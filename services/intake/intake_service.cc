#include "services/intake/intake_service.h"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>

#include "absl/functional/function_ref.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/field_mask_util.h"
#include "services/api/etag.h"
#include "services/clients/writable_client.h"
#include "services/common/timestamps.h"
#include "services/crypto/sealed_message.h"
#include "services/intake/intake_validation.h"
#include "services/intake/ports/intake_repository.h"

namespace confide {
namespace {

using google::protobuf::util::FieldMaskUtil;

constexpr char kTable[] = "intakes";
constexpr char kAnswersColumn[] = "answers_sealed";
constexpr char kSummaryColumn[] = "clinician_summary_sealed";

// The intake as the service works on it: the stored row (version 0 and `exists` false when
// nothing was saved yet) with its sealed parts opened.
struct LoadedIntake {
  bool exists = false;
  IntakeRecord record;
  // Input fields only.
  v1::Intake answers;
  std::string clinician_summary;
};

// Only what the client (or clinician) answered: the part sealed as the answers column. Output
// fields live in plain columns or, for the clinician's summary, in a column of their own.
v1::Intake AnswersOnly(v1::Intake intake) {
  intake.clear_client_id();
  intake.clear_status();
  intake.clear_clinician_summary();
  intake.clear_reviewed_by_user_id();
  intake.clear_review_time();
  intake.clear_submit_time();
  intake.clear_create_time();
  intake.clear_update_time();
  intake.clear_etag();
  return intake;
}

bool IsPatient(const RequestScope& scope) { return scope.principal->role == v1::ROLE_PATIENT; }

// Who reads the clinician's summary and its reviewer: clinicians and admins, an allow-list so
// a role added later sees nothing by default. The pipeline has already let them in: clinicians
// on the care team or with live break-glass, admins only on the care team (Decide). The
// summary is not even decrypted for anyone else.
bool MaySeeSummary(const RequestScope& scope) {
  const v1::Role role = scope.principal->role;
  return role == v1::ROLE_CLINICIAN || role == v1::ROLE_ADMIN;
}

// Whether `mask` replaces `field` (itself, or a message holding it).
bool MaskReplaces(const google::protobuf::FieldMask& mask, absl::string_view field) {
  for (const std::string& path : mask.paths()) {
    if (path == field || absl::StartsWith(field, absl::StrCat(path, "."))) {
      return true;
    }
  }
  return false;
}

// A partial mask can change an answer that another depends on while leaving the dependent one
// as stored: the stored text then no longer applies and is dropped, rather than refusing a
// change the caller could not make any other way. Sent together, a conflict is still refused.
void ClearStaleDependentAnswers(const google::protobuf::FieldMask& mask, v1::Intake& answers) {
  // Read through the const getters: a cleared answer must not add an empty message.
  const v1::PresentingProblem& problem = answers.presenting_problem();
  const bool has_other = std::find(problem.conditions().begin(), problem.conditions().end(),
                                   v1::PAIN_CONDITION_OTHER) != problem.conditions().end();
  if (!has_other && !problem.condition_other().empty() &&
      MaskReplaces(mask, "presenting_problem.conditions") &&
      !MaskReplaces(mask, "presenting_problem.condition_other")) {
    answers.mutable_presenting_problem()->clear_condition_other();
  }
  const v1::TraumaHistory& trauma = answers.trauma_history();
  if (trauma.disclosure() != v1::TRAUMA_DISCLOSURE_YES && !trauma.details().empty() &&
      MaskReplaces(mask, "trauma_history.disclosure") &&
      !MaskReplaces(mask, "trauma_history.details")) {
    answers.mutable_trauma_history()->clear_details();
  }
}

class IntakeStore {
 public:
  IntakeStore(ClientDataCipher& cipher, RequestScope& scope)
      : cipher_(cipher),
        scope_(scope),
        clinic_id_(scope.principal->clinic_id),
        client_id_(scope.client_id) {}

  // `open_summary`: whether the clinician's summary is decrypted too (only for callers who
  // will see it).
  absl::StatusOr<LoadedIntake> Load(bool open_summary) {
    absl::StatusOr<std::optional<IntakeRecord>> found =
        scope_.uow.intakes().Find(clinic_id_, client_id_);
    if (!found.ok()) {
      return found.status();
    }
    LoadedIntake loaded;
    if (!found->has_value()) {
      // Nothing saved yet: a fresh draft, etag "v0". A read writes nothing.
      loaded.record.clinic_id = clinic_id_;
      loaded.record.client_id = client_id_;
      loaded.record.status = v1::INTAKE_STATUS_DRAFT;
      loaded.record.version = 0;
      return loaded;
    }
    loaded.exists = true;
    loaded.record = **std::move(found);
    if (absl::Status opened =
            OpenMessage(cipher_, scope_.uow, clinic_id_, client_id_, Where(kAnswersColumn),
                        loaded.record.answers_sealed, &loaded.answers);
        !opened.ok()) {
      return opened;
    }
    if (open_summary && !loaded.record.clinician_summary_sealed.empty()) {
      absl::StatusOr<std::string> summary =
          Open(kSummaryColumn, loaded.record.clinician_summary_sealed);
      if (!summary.ok()) {
        return summary.status();
      }
      loaded.clinician_summary = *std::move(summary);
    }
    return loaded;
  }

  // Seals `answers` into `record` (and the summary when given) and writes it: an insert for a
  // first save, else an update guarded by the version that was read.
  absl::Status Save(const LoadedIntake& before, IntakeRecord record,
                    const std::optional<v1::Intake>& answers,
                    const std::optional<std::string>& clinician_summary) {
    return scope_.uow.Atomically([&]() -> absl::Status {
      if (answers.has_value()) {
        absl::StatusOr<std::string> sealed =
            SealMessage(cipher_, scope_.uow, clinic_id_, client_id_, Where(kAnswersColumn),
                        AnswersOnly(*answers));
        if (!sealed.ok()) {
          return sealed.status();
        }
        record.answers_sealed = *std::move(sealed);
      }
      if (clinician_summary.has_value()) {
        absl::StatusOr<std::string> sealed = Seal(kSummaryColumn, *clinician_summary);
        if (!sealed.ok()) {
          return sealed.status();
        }
        record.clinician_summary_sealed = *std::move(sealed);
      }
      if (!before.exists) {
        absl::Status inserted = scope_.uow.intakes().Insert(record);
        // Someone else saved the first version meanwhile: the caller's "v0" is stale.
        return inserted.code() == absl::StatusCode::kAlreadyExists ? StaleEtag("intake") : inserted;
      }
      absl::Status updated = scope_.uow.intakes().Update(record, before.record.version);
      return updated.code() == absl::StatusCode::kAborted ? StaleEtag("intake") : updated;
    });
  }

 private:
  // One intake per client: the client id is the row id.
  FieldLocation Where(std::string_view column) const {
    return FieldLocation{.table = kTable, .column = column, .row_id = client_id_};
  }
  absl::StatusOr<std::string> Open(std::string_view column, std::string_view sealed) {
    return cipher_.Open(scope_.uow, clinic_id_, client_id_, Where(column), sealed);
  }
  absl::StatusOr<std::string> Seal(std::string_view column, std::string_view plaintext) {
    return cipher_.Seal(scope_.uow, clinic_id_, client_id_, Where(column), plaintext);
  }

  ClientDataCipher& cipher_;
  RequestScope& scope_;
  std::string clinic_id_;
  std::string client_id_;
};

// The intake as `scope`'s caller may read it: only clinicians and admins see the clinician's
// summary and who reviewed it (DESIGN.md "Sensitive data"); the patient sees her answers and
// the lifecycle.
v1::Intake Present(const RequestScope& scope, const LoadedIntake& loaded) {
  v1::Intake intake = loaded.answers;
  const IntakeRecord& record = loaded.record;
  intake.set_client_id(record.client_id);
  intake.set_status(record.status);
  intake.set_etag(EtagOf(record.version));
  if (loaded.exists) {
    *intake.mutable_create_time() = ToTimestamp(record.create_time);
    *intake.mutable_update_time() = ToTimestamp(record.update_time);
  }
  if (record.submit_time.has_value()) {
    *intake.mutable_submit_time() = ToTimestamp(*record.submit_time);
  }
  if (record.review_time.has_value()) {
    *intake.mutable_review_time() = ToTimestamp(*record.review_time);
  }
  if (MaySeeSummary(scope)) {
    intake.set_clinician_summary(loaded.clinician_summary);
    intake.set_reviewed_by_user_id(record.reviewed_by_user_id);
  }
  return intake;
}

// The next version of `before`'s row, stamped now (a first save is also created now).
IntakeRecord NextVersion(const LoadedIntake& before, absl::Time now) {
  IntakeRecord next = before.record;
  next.version = before.record.version + 1;
  next.update_time = now;
  if (!before.exists) {
    next.create_time = now;
  }
  return next;
}

void NoteResource(RequestScope& scope) {
  scope.audit.resource = absl::StrCat("clients/", scope.client_id, "/intake");
}

// Which sealed columns a change rewrote; the others keep their stored sealed value.
struct Rewritten {
  bool answers = false;
  bool clinician_summary = false;
};

// A write RPC's own step: checks the loaded intake's status (returning that RPC's error) and
// edits `after`, which starts as a copy of `before` at the next version.
using IntakeChange =
    absl::FunctionRef<absl::StatusOr<Rewritten>(const LoadedIntake& before, LoadedIntake& after)>;

// What every intake write shares: a writable client, the load, the caller's etag, then `change`,
// the save and the intake as the caller may read it.
absl::StatusOr<v1::Intake> ChangeIntake(ClientDataCipher& client_data, RequestScope& scope,
                                        bool open_summary, const std::string& etag,
                                        IntakeChange change) {
  NoteResource(scope);
  if (absl::Status writable = RequireWritableClient(scope); !writable.ok()) {
    return writable;
  }
  IntakeStore store(client_data, scope);
  absl::StatusOr<LoadedIntake> loaded = store.Load(open_summary);
  if (!loaded.ok()) {
    return loaded.status();
  }
  if (etag != EtagOf(loaded->record.version)) {
    return StaleEtag("intake");
  }
  LoadedIntake after = *loaded;
  after.record = NextVersion(*loaded, scope.now);
  absl::StatusOr<Rewritten> rewritten = change(*loaded, after);
  if (!rewritten.ok()) {
    return rewritten.status();
  }
  if (absl::Status saved = store.Save(
          *loaded, after.record,
          rewritten->answers ? std::optional<v1::Intake>(after.answers) : std::nullopt,
          rewritten->clinician_summary ? std::optional<std::string>(after.clinician_summary)
                                       : std::nullopt);
      !saved.ok()) {
    return saved;
  }
  return Present(scope, after);
}

}  // namespace

absl::StatusOr<v1::Intake> IntakeService::Get(const v1::GetIntakeRequest&, RequestScope& scope) {
  NoteResource(scope);
  absl::StatusOr<LoadedIntake> loaded = IntakeStore(client_data_, scope).Load(MaySeeSummary(scope));
  if (!loaded.ok()) {
    return loaded.status();
  }
  return Present(scope, *loaded);
}

absl::StatusOr<std::optional<v1::Intake>> ReadSavedIntake(ClientDataCipher& client_data,
                                                          RequestScope& scope) {
  absl::StatusOr<LoadedIntake> loaded = IntakeStore(client_data, scope).Load(MaySeeSummary(scope));
  if (!loaded.ok()) {
    return loaded.status();
  }
  if (!loaded->exists) {
    return std::nullopt;
  }
  return Present(scope, *loaded);
}

absl::StatusOr<v1::Intake> IntakeService::Update(const v1::UpdateIntakeRequest& request,
                                                 RequestScope& scope) {
  return ChangeIntake(
      client_data_, scope, MaySeeSummary(scope), request.intake().etag(),
      [&](const LoadedIntake& before, LoadedIntake& after) -> absl::StatusOr<Rewritten> {
        if (absl::Status editable = CheckIntakeEditable(IsPatient(scope), before.record.status);
            !editable.ok()) {
          return editable;
        }
        FieldMaskUtil::MergeOptions options;
        options.set_replace_message_fields(true);
        options.set_replace_repeated_fields(true);
        FieldMaskUtil::MergeMessageTo(AnswersOnly(request.intake()), request.update_mask(), options,
                                      &after.answers);
        // Fields this server does not know (a newer client's, or smuggled) are never stored.
        after.answers.DiscardUnknownFields();
        ClearStaleDependentAnswers(request.update_mask(), after.answers);
        if (absl::Status valid = ValidateIntakeAnswers(after.answers, "intake"); !valid.ok()) {
          return valid;
        }
        after.exists = true;
        return Rewritten{.answers = true};
      });
}

absl::StatusOr<v1::Intake> IntakeService::Submit(const v1::SubmitIntakeRequest& request,
                                                 RequestScope& scope) {
  return ChangeIntake(
      client_data_, scope, MaySeeSummary(scope), request.etag(),
      [&](const LoadedIntake& before, LoadedIntake& after) -> absl::StatusOr<Rewritten> {
        if (absl::Status ready = CheckIntakeSubmittable(before.answers, before.record.status);
            !ready.ok()) {
          return ready;
        }
        after.record.status = v1::INTAKE_STATUS_SUBMITTED;
        after.record.submit_time = scope.now;
        // The answers did not change: their sealed value is kept as it is.
        return Rewritten{};
      });
}

absl::StatusOr<v1::Intake> IntakeService::Review(const v1::ReviewIntakeRequest& request,
                                                 RequestScope& scope) {
  // The review replaces the summary: the old one (none, as only a submitted intake is reviewed)
  // need not be opened.
  return ChangeIntake(
      client_data_, scope, /*open_summary=*/false, request.etag(),
      [&](const LoadedIntake& before, LoadedIntake& after) -> absl::StatusOr<Rewritten> {
        if (absl::Status reviewable = CheckIntakeReviewable(before.record.status);
            !reviewable.ok()) {
          return reviewable;
        }
        after.record.status = v1::INTAKE_STATUS_REVIEWED;
        after.record.review_time = scope.now;
        after.record.reviewed_by_user_id = scope.principal->user_id;
        after.clinician_summary = request.clinician_summary();
        return Rewritten{.clinician_summary = true};
      });
}

void IntakeService::Register(MethodTable& table) {
  table.Add(MethodDefinition<v1::GetIntakeRequest, v1::Intake>{
      .full_name = "confide.v1.IntakeService.GetIntake",
      .mode = TransactionMode::kRead,
      .action = Action::kReadIntake,
      .target_client = [](const v1::GetIntakeRequest& r) { return r.client_id(); },
      .validate = ValidateGetIntake,
      .handler = [this](const auto& r, RequestScope& s) { return Get(r, s); }});
  table.Add(MethodDefinition<v1::UpdateIntakeRequest, v1::Intake>{
      .full_name = "confide.v1.IntakeService.UpdateIntake",
      .mode = TransactionMode::kWrite,
      .action = Action::kWriteIntake,
      .target_client = [](const v1::UpdateIntakeRequest& r) { return r.intake().client_id(); },
      .validate = ValidateUpdateIntake,
      .handler = [this](const auto& r, RequestScope& s) { return Update(r, s); }});
  table.Add(MethodDefinition<v1::SubmitIntakeRequest, v1::Intake>{
      .full_name = "confide.v1.IntakeService.SubmitIntake",
      .mode = TransactionMode::kWrite,
      .action = Action::kWriteIntake,
      .target_client = [](const v1::SubmitIntakeRequest& r) { return r.client_id(); },
      .validate = ValidateSubmitIntake,
      .handler = [this](const auto& r, RequestScope& s) { return Submit(r, s); }});
  table.Add(MethodDefinition<v1::ReviewIntakeRequest, v1::Intake>{
      .full_name = "confide.v1.IntakeService.ReviewIntake",
      .mode = TransactionMode::kWrite,
      .action = Action::kWriteClinical,
      .target_client = [](const v1::ReviewIntakeRequest& r) { return r.client_id(); },
      .validate = ValidateReviewIntake,
      .handler = [this](const auto& r, RequestScope& s) { return Review(r, s); }});
}

}  // namespace confide
