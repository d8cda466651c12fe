#include "services/records/client_data_erasure_service.h"

#include <optional>

#include "absl/strings/str_cat.h"
#include "services/clients/ports/client_repository.h"
#include "services/common/timestamps.h"
#include "services/crypto/ports/client_data_key_repository.h"
#include "services/programmes/ports/practice_log_repository.h"
#include "services/programmes/ports/progression_suggestion_repository.h"
#include "services/records/client_data_erasure_validation.h"

namespace confide {

std::string DataKeyResource(std::string_view client_id) {
  return absl::StrCat("clients/", std::string(client_id), "/dataKey");
}

namespace {

// Why she came (the presenting concern, its free text, who referred her) is clinical, not
// demographic (admins never see it), but it is a plain column of her client row, not sealed: the
// erasure clears it, or it would outlive the data key in the live database.
absl::Status ClearClinicalClientFields(RequestScope& scope, const ClientRecord& stored) {
  const v1::Client& client = stored.client;
  if (client.presenting_concern() == v1::PRESENTING_CONCERN_UNSPECIFIED &&
      client.presenting_concern_other().empty() && client.referral_source().empty()) {
    return absl::OkStatus();
  }
  ClientRecord cleared = stored;
  cleared.client.clear_presenting_concern();
  cleared.client.clear_presenting_concern_other();
  cleared.client.clear_referral_source();
  cleared.version = stored.version + 1;
  *cleared.client.mutable_update_time() = ToTimestamp(StoredTime(scope.now));
  return scope.uow.clients().Update(cleared, stored.version);
}

// Her practice logs and the ladder's suggestions hold clinical numbers in plain columns (pain,
// anxiety, dilator sizes, durations, completion; the suggestions' pain and anxiety evidence), so
// progress is computed in SQL; deleting the key would leave them readable. The rows go whole:
// with her programmes sealed they can never be read against anything again, nothing refers to
// them by key, and the audit trail keeps that each was written (ids and times). Cleared rows
// would instead be served as sessions that never happened (UNSPECIFIED completion, no scores).
absl::Status DeletePracticeRecords(RequestScope& scope) {
  const std::string& clinic_id = scope.principal->clinic_id;
  if (absl::StatusOr<int> deleted =
          scope.uow.progression_suggestions().DeleteAllOfClient(clinic_id, scope.client_id);
      !deleted.ok()) {
    return deleted.status();
  }
  absl::StatusOr<int> deleted =
      scope.uow.practice_logs().DeleteAllOfClient(clinic_id, scope.client_id);
  return deleted.ok() ? absl::OkStatus() : deleted.status();
}

}  // namespace

absl::StatusOr<v1::ClientDataErasure> ClientDataErasureService::Erase(
    const v1::EraseClientDataRequest&, RequestScope& scope) {
  scope.audit.resource = DataKeyResource(scope.client_id);
  const std::string& clinic_id = scope.principal->clinic_id;
  absl::StatusOr<std::optional<ClientRecord>> client =
      scope.uow.clients().Find(clinic_id, scope.client_id);
  if (!client.ok()) {
    return client.status();
  }
  if (!client->has_value()) {
    return absl::NotFoundError("client not found");
  }
  // Retention is decided on an archived record: a client in care keeps her record readable.
  if ((*client)->client.status() != v1::CLIENT_STATUS_ARCHIVED) {
    return absl::FailedPreconditionError(
        "only an archived client's clinical content can be erased; archive the client first");
  }
  absl::StatusOr<DataKeyErasure> erased =
      scope.uow.client_data_keys().Erase(clinic_id, scope.client_id, StoredTime(scope.now));
  if (!erased.ok()) {
    return erased.status();
  }
  if (absl::Status cleared = ClearClinicalClientFields(scope, **client); !cleared.ok()) {
    return cleared;
  }
  if (absl::Status deleted = DeletePracticeRecords(scope); !deleted.ok()) {
    return deleted;
  }
  v1::ClientDataErasure answer;
  answer.set_client_id(scope.client_id);
  *answer.mutable_erase_time() = ToTimestamp(erased->erase_time);
  // Who erased first is in the audit trail; the key row does not record it.
  if (erased->erased_now) {
    answer.set_erased_by_user_id(scope.principal->user_id);
  }
  return answer;
}

void ClientDataErasureService::Register(MethodTable& table) {
  table.Add(MethodDefinition<v1::EraseClientDataRequest, v1::ClientDataErasure>{
      .full_name = "confide.v1.RecordService.EraseClientData",
      .mode = TransactionMode::kWrite,
      .action = Action::kEraseClientData,
      .target_client = [](const v1::EraseClientDataRequest& r) { return r.client_id(); },
      .validate = ValidateEraseClientData,
      .handler = [this](const auto& r, RequestScope& s) { return Erase(r, s); }});
}

}  // namespace confide
