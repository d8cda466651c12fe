#include "services/clients/client_service.h"

#include <string>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/field_mask_util.h"
#include "services/api/etag.h"
#include "services/api/field_errors.h"
#include "services/api/page_token.h"
#include "services/clients/client_validation.h"
#include "services/clients/ports/client_repository.h"
#include "services/common/text_checks.h"
#include "services/common/timestamps.h"

namespace confide {
namespace {

using google::protobuf::util::FieldMaskUtil;

v1::Client Present(const ClientRecord& record) {
  v1::Client client = record.client;
  client.set_etag(EtagOf(record.version));
  return client;
}

// Admins manage the practice, not care (DESIGN.md "Who uses it"), and clinic systems (service
// accounts) need contact details only: they see demographics, never why the client came.
v1::Client PresentFor(const Principal& who, const ClientRecord& record) {
  v1::Client client = Present(record);
  if (who.role == v1::ROLE_ADMIN || who.role == v1::ROLE_SERVICE) {
    client.clear_presenting_concern();
    client.clear_presenting_concern_other();
    client.clear_referral_source();
  }
  return client;
}

absl::StatusOr<ClientRecord> Load(RequestScope& scope, std::string_view client_id) {
  absl::StatusOr<std::optional<ClientRecord>> record =
      scope.uow.clients().Find(scope.principal->clinic_id, client_id);
  if (!record.ok()) {
    return record.status();
  }
  if (!record->has_value()) {
    return absl::NotFoundError("client not found");
  }
  return **std::move(record);
}

// Fields UpdateClient may change; everything else is output only or has its own RPC.
bool IsUpdatablePath(const std::string& path) {
  static constexpr const char* kPaths[] = {"legal_given_name",
                                           "legal_family_name",
                                           "preferred_name",
                                           "pronouns",
                                           "date_of_birth",
                                           "email",
                                           "phone",
                                           "discreet_contact",
                                           "emergency_contact",
                                           "referral_source",
                                           "presenting_concern",
                                           "presenting_concern_other",
                                           "status"};
  for (const char* allowed : kPaths) {
    if (path == allowed || absl::StartsWith(path, absl::StrCat(allowed, "."))) {
      return true;
    }
  }
  return false;
}

// Returns the client an earlier create with this request id made, or nullopt when there was
// none. A retried create returns the first result instead of a second client — but only to a
// caller who may read it: a guessed request id must not reveal someone else's client.
absl::StatusOr<std::optional<v1::Client>> ReplayCreate(RequestScope& scope,
                                                       const std::string& request_id) {
  const Principal& who = *scope.principal;
  ClientRepository& clients = scope.uow.clients();
  absl::StatusOr<std::optional<std::string>> earlier =
      clients.FindByCreateRequestId(who.clinic_id, request_id);
  if (!earlier.ok()) {
    return earlier.status();
  }
  if (!earlier->has_value()) {
    return std::nullopt;
  }
  absl::StatusOr<std::optional<ClientAccessFacts>> facts =
      clients.FindAccessFacts(who.clinic_id, **earlier);
  if (!facts.ok()) {
    return facts.status();
  }
  if (!facts->has_value() || Decide(who, Action::kReadClient, &**facts) != Decision::kAllow) {
    return absl::AlreadyExistsError("request_id was already used for another request");
  }
  scope.audit.client_id = **earlier;
  scope.audit.resource = absl::StrCat("clients/", **earlier);
  absl::StatusOr<ClientRecord> record = Load(scope, **earlier);
  if (!record.ok()) {
    return record.status();
  }
  return PresentFor(who, *record);
}

}  // namespace

absl::StatusOr<v1::Client> ClientService::Create(const v1::CreateClientRequest& request,
                                                 RequestScope& scope) {
  const Principal& who = *scope.principal;
  ClientRepository& clients = scope.uow.clients();
  if (!request.request_id().empty()) {
    absl::StatusOr<std::optional<v1::Client>> replay = ReplayCreate(scope, request.request_id());
    if (!replay.ok()) {
      return replay.status();
    }
    if (replay->has_value()) {
      return **std::move(replay);
    }
  }
  ClientRecord record;
  record.clinic_id = who.clinic_id;
  record.version = 1;
  record.client = request.client();
  v1::Client& client = record.client;
  client.set_id(ids_.NewId());
  client.clear_care_team();
  client.clear_etag();
  if (client.status() == v1::CLIENT_STATUS_UNSPECIFIED) {
    client.set_status(v1::CLIENT_STATUS_ENQUIRY);
  }
  *client.mutable_create_time() = ToTimestamp(scope.now);
  *client.mutable_update_time() = ToTimestamp(scope.now);
  if (who.role == v1::ROLE_CLINICIAN) {
    v1::CareTeamMember* creator = client.add_care_team();
    creator->set_user_id(who.user_id);
    creator->set_primary(true);
  }
  scope.client_id = client.id();
  scope.audit.client_id = client.id();
  scope.audit.resource = absl::StrCat("clients/", client.id());
  if (absl::Status born = ValidateBirthDateNotInFuture(client, "client", scope.now); !born.ok()) {
    return born;
  }
  absl::Status inserted =
      scope.uow.Atomically([&] { return clients.Insert(record, request.request_id()); });
  if (inserted.code() == absl::StatusCode::kAlreadyExists && !request.request_id().empty()) {
    // Two retries of one create raced (PostgreSQL, several servers): the loser replays the
    // winner's result instead of failing.
    absl::StatusOr<std::optional<v1::Client>> replay = ReplayCreate(scope, request.request_id());
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
  absl::StatusOr<ClientRecord> stored = Load(scope, client.id());
  if (!stored.ok()) {
    return stored.status();
  }
  return PresentFor(who, *stored);
}

absl::StatusOr<v1::Client> ClientService::Get(const v1::GetClientRequest&, RequestScope& scope) {
  absl::StatusOr<ClientRecord> record = Load(scope, scope.client_id);
  if (!record.ok()) {
    return record.status();
  }
  return PresentFor(*scope.principal, *record);
}

absl::StatusOr<v1::ListClientsResponse> ClientService::List(const v1::ListClientsRequest& request,
                                                            RequestScope& scope) {
  const Principal& who = *scope.principal;
  ClientQuery query;
  query.clinic_id = who.clinic_id;
  query.status = request.status();
  // Archived records are kept for the legal record but stay out of everyday lists unless asked
  // for by status.
  query.exclude_archived = request.status() == v1::CLIENT_STATUS_UNSPECIFIED;
  query.name_prefix = absl::AsciiStrToLower(absl::StripAsciiWhitespace(request.name_prefix()));
  query.limit = request.page_size() == 0 ? kDefaultPageSize : request.page_size();
  if (who.role == v1::ROLE_CLINICIAN) {
    query.care_team_user_id = who.user_id;
  } else if (who.role == v1::ROLE_PATIENT) {
    query.only_client_id = who.client_id.empty() ? "-" : who.client_id;
  }
  if (!request.page_token().empty()) {
    absl::StatusOr<std::string> after =
        DecodePageToken("clients", request.page_token(), "ListClients");
    if (!after.ok()) {
      return after.status();
    }
    query.after_id = *std::move(after);
  }
  const int page_size = query.limit;
  query.limit = page_size + 1;  // one extra row says whether another page exists
  absl::StatusOr<std::vector<ClientRecord>> rows = scope.uow.clients().List(query);
  if (!rows.ok()) {
    return rows.status();
  }
  v1::ListClientsResponse response;
  for (int i = 0; i < static_cast<int>(rows->size()) && i < page_size; ++i) {
    *response.add_clients() = PresentFor(who, (*rows)[i]);
  }
  if (static_cast<int>(rows->size()) > page_size) {
    response.set_next_page_token(EncodePageToken("clients", (*rows)[page_size - 1].client.id()));
  }
  scope.audit.resource = "clients";
  return response;
}

absl::StatusOr<v1::Client> ClientService::Update(const v1::UpdateClientRequest& request,
                                                 RequestScope& scope) {
  std::vector<FieldViolation> bad_paths;
  for (const std::string& path : request.update_mask().paths()) {
    if (!IsUpdatablePath(path)) {
      bad_paths.push_back({"update_mask", absl::StrCat("cannot update '", path, "'")});
    }
  }
  if (!bad_paths.empty()) {
    return InvalidFields(bad_paths);
  }
  if (!FieldMaskUtil::IsValidFieldMask<v1::Client>(request.update_mask())) {
    return InvalidField("update_mask", "names a field that does not exist");
  }
  absl::StatusOr<ClientRecord> record = Load(scope, scope.client_id);
  if (!record.ok()) {
    return record.status();
  }
  if (request.client().etag() != EtagOf(record->version)) {
    return StaleEtag("client");
  }
  if (record->client.status() == v1::CLIENT_STATUS_ARCHIVED) {
    return absl::FailedPreconditionError("client is archived; archived records are read-only");
  }
  const v1::ClientStatus old_status = record->client.status();
  ClientRecord updated = *record;
  FieldMaskUtil::MergeOptions options;
  options.set_replace_message_fields(true);
  options.set_replace_repeated_fields(true);
  FieldMaskUtil::MergeMessageTo(request.client(), request.update_mask(), options, &updated.client);
  if (absl::Status valid = ValidateClientFields(updated.client, "client"); !valid.ok()) {
    return valid;
  }
  if (absl::Status born = ValidateBirthDateNotInFuture(updated.client, "client", scope.now);
      !born.ok()) {
    return born;
  }
  if (!IsAllowedStatusChange(old_status, updated.client.status())) {
    return InvalidField("client.status",
                        "care moves forward (enquiry, intake, active, discharged); use "
                        "ArchiveClient to archive");
  }
  updated.version = record->version + 1;
  *updated.client.mutable_update_time() = ToTimestamp(scope.now);
  if (absl::Status stored = scope.uow.clients().Update(updated, record->version); !stored.ok()) {
    return stored;
  }
  return Present(updated);
}

absl::StatusOr<v1::Client> ClientService::Archive(const v1::ArchiveClientRequest& request,
                                                  RequestScope& scope) {
  absl::StatusOr<ClientRecord> record = Load(scope, scope.client_id);
  if (!record.ok()) {
    return record.status();
  }
  if (request.etag() != EtagOf(record->version)) {
    return StaleEtag("client");
  }
  if (record->client.status() == v1::CLIENT_STATUS_ARCHIVED) {
    return PresentFor(*scope.principal, *record);
  }
  ClientRecord archived = *record;
  archived.client.set_status(v1::CLIENT_STATUS_ARCHIVED);
  archived.version = record->version + 1;
  *archived.client.mutable_update_time() = ToTimestamp(scope.now);
  if (absl::Status stored = scope.uow.clients().Update(archived, record->version); !stored.ok()) {
    return stored;
  }
  return PresentFor(*scope.principal, archived);
}

void ClientService::Register(MethodTable& table) {
  table.Add(MethodDefinition<v1::CreateClientRequest, v1::Client>{
      .full_name = "confide.v1.ClientService.CreateClient",
      .mode = TransactionMode::kWrite,
      .action = Action::kCreateClient,
      .validate = ValidateCreateClient,
      .handler = [this](const auto& r, RequestScope& s) { return Create(r, s); }});
  table.Add(MethodDefinition<v1::GetClientRequest, v1::Client>{
      .full_name = "confide.v1.ClientService.GetClient",
      .mode = TransactionMode::kRead,
      .action = Action::kReadClient,
      .target_client = [](const v1::GetClientRequest& r) { return r.client_id(); },
      .validate = ValidateGetClient,
      .handler = [this](const auto& r, RequestScope& s) { return Get(r, s); }});
  table.Add(MethodDefinition<v1::ListClientsRequest, v1::ListClientsResponse>{
      .full_name = "confide.v1.ClientService.ListClients",
      .mode = TransactionMode::kRead,
      .action = Action::kListClients,
      .validate = ValidateListClients,
      .handler = [this](const auto& r, RequestScope& s) { return List(r, s); }});
  table.Add(MethodDefinition<v1::UpdateClientRequest, v1::Client>{
      .full_name = "confide.v1.ClientService.UpdateClient",
      .mode = TransactionMode::kWrite,
      .action = Action::kUpdateClient,
      .target_client = [](const v1::UpdateClientRequest& r) { return r.client().id(); },
      .validate = ValidateUpdateClient,
      .handler = [this](const auto& r, RequestScope& s) { return Update(r, s); }});
  table.Add(MethodDefinition<v1::ArchiveClientRequest, v1::Client>{
      .full_name = "confide.v1.ClientService.ArchiveClient",
      .mode = TransactionMode::kWrite,
      .action = Action::kArchiveClient,
      .target_client = [](const v1::ArchiveClientRequest& r) { return r.client_id(); },
      .validate = ValidateArchiveClient,
      .handler = [this](const auto& r, RequestScope& s) { return Archive(r, s); }});
}

}  // namespace confide
