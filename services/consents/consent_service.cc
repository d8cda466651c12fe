#include "services/consents/consent_service.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/clients/ports/client_repository.h"
#include "services/common/text_checks.h"
#include "services/common/timestamps.h"
#include "services/consents/consent_validation.h"
#include "services/consents/ports/consent_repository.h"
#include "services/partners/partner_revocation.h"

namespace confide {
namespace {

absl::Status ConsentNotFound() { return absl::NotFoundError("consent not found"); }

v1::Consent Present(const ConsentRecord& record) {
  v1::Consent consent;
  consent.set_id(record.id);
  consent.set_client_id(record.client_id);
  consent.set_kind(record.kind);
  consent.set_text_version(record.text_version);
  consent.set_state(record.state);
  *consent.mutable_give_time() = ToTimestamp(record.give_time);
  consent.set_recorded_by_user_id(record.recorded_by_user_id);
  consent.set_recorded_by_role(record.recorded_by_role);
  if (record.end_time.has_value()) {
    *consent.mutable_end_time() = ToTimestamp(*record.end_time);
  }
  consent.set_withdrawn_by_user_id(record.withdrawn_by_user_id);
  consent.set_withdrawn_by_role(record.withdrawn_by_role);
  return consent;
}

std::string ResourceOf(std::string_view client_id, std::string_view consent_id) {
  return absl::StrCat("clients/", std::string(client_id), "/consents/", std::string(consent_id));
}

// The consent an earlier RecordConsent with this request id made, or nullopt when there was
// none. The pipeline has already let the caller act on scope.client_id; a request id used for
// another client, or for a grant of another kind or text version, is refused without saying
// what it was used for (a retry repeats the request exactly).
absl::StatusOr<std::optional<v1::Consent>> ReplayRecord(RequestScope& scope,
                                                        const v1::RecordConsentRequest& request) {
  absl::StatusOr<std::optional<ConsentRecord>> earlier =
      scope.uow.consents().FindByRecordRequestId(scope.principal->clinic_id, request.request_id());
  if (!earlier.ok()) {
    return earlier.status();
  }
  if (!earlier->has_value()) {
    return std::nullopt;
  }
  if ((*earlier)->client_id != scope.client_id || (*earlier)->kind != request.kind() ||
      (*earlier)->text_version != request.text_version()) {
    return absl::AlreadyExistsError("request_id was already used for another request");
  }
  scope.audit.resource = ResourceOf(scope.client_id, (*earlier)->id);
  return Present(**earlier);
}

}  // namespace

absl::StatusOr<v1::Consent> ConsentService::Record(const v1::RecordConsentRequest& request,
                                                   RequestScope& scope) {
  const Principal& who = *scope.principal;
  if (!request.request_id().empty()) {
    absl::StatusOr<std::optional<v1::Consent>> replay = ReplayRecord(scope, request);
    if (!replay.ok()) {
      return replay.status();
    }
    if (replay->has_value()) {
      return **std::move(replay);
    }
  }
  absl::StatusOr<std::optional<ClientRecord>> client =
      scope.uow.clients().Find(who.clinic_id, scope.client_id);
  if (!client.ok()) {
    return client.status();
  }
  if (!client->has_value()) {
    return absl::NotFoundError("client not found");
  }
  if ((*client)->client.status() == v1::CLIENT_STATUS_ARCHIVED) {
    return absl::FailedPreconditionError("client is archived; archived records are read-only");
  }
  ConsentRecord record{.id = ids_.NewId(),
                       .clinic_id = who.clinic_id,
                       .client_id = scope.client_id,
                       .kind = request.kind(),
                       .text_version = request.text_version(),
                       .state = v1::CONSENT_STATE_GIVEN,
                       .give_time = scope.now,
                       .recorded_by_user_id = who.user_id,
                       .recorded_by_role = who.role};
  scope.audit.resource = ResourceOf(scope.client_id, record.id);
  ConsentRepository& consents = scope.uow.consents();
  absl::Status stored = scope.uow.Atomically([&]() -> absl::Status {
    // One grant per kind is current: the one in force is kept, marked superseded.
    absl::StatusOr<std::optional<ConsentRecord>> current =
        consents.FindInForce(who.clinic_id, scope.client_id, request.kind());
    if (!current.ok()) {
      return current.status();
    }
    if (current->has_value()) {
      if (absl::Status ended =
              consents.End(who.clinic_id, (*current)->id, v1::CONSENT_STATE_SUPERSEDED, scope.now,
                           "", v1::ROLE_UNSPECIFIED);
          !ended.ok()) {
        return ended;
      }
    }
    return consents.Insert(record, request.request_id());
  });
  const bool raced = stored.code() == absl::StatusCode::kAlreadyExists ||
                     stored.code() == absl::StatusCode::kFailedPrecondition;
  if (raced && !request.request_id().empty()) {
    // Two retries of one request may have raced: the loser returns the winner's result. On
    // PostgreSQL the loser either hits the unique request id (ALREADY_EXISTS) or, having waited
    // for the winner to supersede the same old grant, finds it no longer in force
    // (FAILED_PRECONDITION); either way the winner has committed and is visible now.
    absl::StatusOr<std::optional<v1::Consent>> replay = ReplayRecord(scope, request);
    if (!replay.ok()) {
      return replay.status();
    }
    if (replay->has_value()) {
      return **std::move(replay);
    }
  }
  if (raced) {
    return absl::AbortedError(
        "a consent of this kind was recorded or withdrawn at the same time; reload and retry");
  }
  if (!stored.ok()) {
    return stored;
  }
  return Present(record);
}

absl::StatusOr<v1::Consent> ConsentService::Withdraw(const v1::WithdrawConsentRequest& request,
                                                     RequestScope& scope) {
  const Principal& who = *scope.principal;
  if (!IsUuidText(request.consent_id())) {
    return ConsentNotFound();
  }
  absl::StatusOr<std::optional<ConsentRecord>> found =
      scope.uow.consents().Find(who.clinic_id, request.consent_id());
  if (!found.ok()) {
    return found.status();
  }
  if (!found->has_value() || (*found)->client_id != scope.client_id) {
    return ConsentNotFound();
  }
  ConsentRecord record = **std::move(found);
  scope.audit.resource = ResourceOf(scope.client_id, record.id);
  if (record.state != v1::CONSENT_STATE_GIVEN) {
    return absl::FailedPreconditionError(
        "the consent is not in force (already withdrawn or superseded); nothing to withdraw");
  }
  absl::Status ended = scope.uow.Atomically([&]() -> absl::Status {
    // The consent row first: requests that relied on it (RequireConsent) lock it too, so this
    // waits for them to commit and the revocation below then sees what they created.
    if (absl::Status s =
            scope.uow.consents().End(who.clinic_id, record.id, v1::CONSENT_STATE_WITHDRAWN,
                                     scope.now, who.user_id, who.role);
        !s.ok()) {
      return s;
    }
    // What depended on the consent stops at once: every partner loses access now, and no
    // pending partner invitation can be accepted any more.
    if (record.kind == v1::CONSENT_KIND_PARTNER_INVOLVEMENT) {
      return RevokeAllPartnersOfClient(scope.uow, who.clinic_id, scope.client_id, scope.now);
    }
    return absl::OkStatus();
  });
  if (!ended.ok()) {
    return ended;
  }
  record.state = v1::CONSENT_STATE_WITHDRAWN;
  record.end_time = scope.now;
  record.withdrawn_by_user_id = who.user_id;
  record.withdrawn_by_role = who.role;
  return Present(record);
}

absl::StatusOr<std::vector<v1::Consent>> ReadConsents(RequestScope& scope, bool in_force_only) {
  absl::StatusOr<std::vector<ConsentRecord>> records =
      scope.uow.consents().ListOfClient(scope.principal->clinic_id, scope.client_id, in_force_only);
  if (!records.ok()) {
    return records.status();
  }
  std::vector<v1::Consent> consents;
  consents.reserve(records->size());
  for (const ConsentRecord& record : *records) {
    consents.push_back(Present(record));
  }
  return consents;
}

absl::StatusOr<v1::ListConsentsResponse> ConsentService::List(
    const v1::ListConsentsRequest& request, RequestScope& scope) {
  absl::StatusOr<std::vector<v1::Consent>> consents = ReadConsents(scope, request.in_force_only());
  if (!consents.ok()) {
    return consents.status();
  }
  scope.audit.resource = absl::StrCat("clients/", scope.client_id, "/consents");
  v1::ListConsentsResponse response;
  for (v1::Consent& consent : *consents) {
    *response.add_consents() = std::move(consent);
  }
  return response;
}

void ConsentService::Register(MethodTable& table) {
  table.Add(MethodDefinition<v1::RecordConsentRequest, v1::Consent>{
      .full_name = "confide.v1.ConsentService.RecordConsent",
      .mode = TransactionMode::kWrite,
      .action = Action::kRecordConsent,
      .target_client = [](const v1::RecordConsentRequest& r) { return r.client_id(); },
      .validate = ValidateRecordConsent,
      .handler = [this](const auto& r, RequestScope& s) { return Record(r, s); }});
  table.Add(MethodDefinition<v1::WithdrawConsentRequest, v1::Consent>{
      .full_name = "confide.v1.ConsentService.WithdrawConsent",
      .mode = TransactionMode::kWrite,
      .action = Action::kRecordConsent,
      .target_client = [](const v1::WithdrawConsentRequest& r) { return r.client_id(); },
      .validate = ValidateWithdrawConsent,
      .handler = [this](const auto& r, RequestScope& s) { return Withdraw(r, s); }});
  table.Add(MethodDefinition<v1::ListConsentsRequest, v1::ListConsentsResponse>{
      .full_name = "confide.v1.ConsentService.ListConsents",
      .mode = TransactionMode::kRead,
      .action = Action::kReadConsents,
      .target_client = [](const v1::ListConsentsRequest& r) { return r.client_id(); },
      .validate = ValidateListConsents,
      .handler = [this](const auto& r, RequestScope& s) { return List(r, s); }});
}

}  // namespace confide
