#include "services/audit/audit_service.h"

#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "services/api/field_checker.h"
#include "services/api/field_errors.h"
#include "services/api/page_token.h"
#include "services/audit/access_wording.h"
#include "services/audit/audit_export_rpc.h"
#include "services/audit/ports/audit_signing_key_repository.h"
#include "services/audit/ports/audit_trail_repository.h"
#include "services/auth/ports/user_repository.h"
#include "services/break_glass/break_glass_service.h"
#include "services/break_glass/ports/break_glass_repository.h"
#include "services/common/text_checks.h"
#include "services/common/timestamps.h"
#include "services/partners/ports/partner_link_repository.h"

namespace confide {
namespace {

constexpr char kEventsList[] = "auditEvents";
constexpr char kAccessList[] = "recordAccess";
constexpr int kMaxActionLength = 200;
// The access report leaves some events out (the patient's own, failed requests), so one page
// may read several chunks of the trail; after this many it returns what it has with a token.
constexpr int kMaxAccessChunks = 20;
// Timestamps a request may carry: 0001-01-01 to 9999-12-31, as google.protobuf.Timestamp.
constexpr int64_t kMinTimestampSeconds = -62135596800;
constexpr int64_t kMaxTimestampSeconds = 253402300799;

bool IsValidTimestamp(const google::protobuf::Timestamp& t) {
  return t.seconds() >= kMinTimestampSeconds && t.seconds() <= kMaxTimestampSeconds &&
         t.nanos() >= 0 && t.nanos() <= 999999999;
}

// An RPC full name: letters, digits, '_' and '.'.
bool IsActionName(std::string_view action) {
  if (action.empty() || action.size() > kMaxActionLength) {
    return false;
  }
  for (char c : action) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '.') {
      return false;
    }
  }
  return true;
}

void CheckTimeRange(FieldChecker& check, const google::protobuf::Timestamp* start,
                    const google::protobuf::Timestamp* end) {
  if (start != nullptr && !IsValidTimestamp(*start)) {
    check.Fail("start_time", "must be a valid time");
  }
  if (end != nullptr && !IsValidTimestamp(*end)) {
    check.Fail("end_time", "must be a valid time");
  }
  if (check.ok() && start != nullptr && end != nullptr &&
      FromTimestamp(*end) <= FromTimestamp(*start)) {
    check.Fail("end_time", "must be after start_time");
  }
}

void CheckPageSize(FieldChecker& check, int page_size) {
  if (page_size < 0 || page_size > kMaxPageSize) {
    check.Fail("page_size", "must be between 0 and 500 (0 means 50)");
  }
}

absl::Status ValidateListAuditEvents(const v1::ListAuditEventsRequest& request) {
  FieldChecker check;
  CheckTimeRange(check, request.has_start_time() ? &request.start_time() : nullptr,
                 request.has_end_time() ? &request.end_time() : nullptr);
  if (!request.actor_user_id().empty() && !IsUuidText(request.actor_user_id())) {
    check.Fail("actor_user_id", "must be a user id");
  }
  if (!request.client_id().empty() && !IsUuidText(request.client_id())) {
    check.Fail("client_id", "must be a client id");
  }
  if (!request.action().empty() && !IsActionName(request.action())) {
    check.Fail("action", "must be an RPC full name, e.g. confide.v1.ClientService.GetClient");
  }
  if (!v1::AuditOutcome_IsValid(request.outcome())) {
    check.Fail("outcome", "must be an AuditOutcome value");
  }
  CheckPageSize(check, request.page_size());
  return check.Result();
}

absl::Status ValidateListRecordAccess(const v1::ListRecordAccessRequest& request) {
  FieldChecker check;
  if (request.client_id().empty()) {
    check.Fail("client_id", "is required: a client id, or \"me\"");
  }
  CheckTimeRange(check, request.has_start_time() ? &request.start_time() : nullptr,
                 request.has_end_time() ? &request.end_time() : nullptr);
  CheckPageSize(check, request.page_size());
  return check.Result();
}

std::string OutcomeName(v1::AuditOutcome outcome) {
  switch (outcome) {
    case v1::AUDIT_OUTCOME_SUCCESS:
      return "success";
    case v1::AUDIT_OUTCOME_DENIED:
      return "denied";
    case v1::AUDIT_OUTCOME_FAILURE:
      return "failure";
    default:
      return "";
  }
}

v1::AuditOutcome OutcomeOf(std::string_view name) {
  if (name == "success") {
    return v1::AUDIT_OUTCOME_SUCCESS;
  }
  if (name == "denied") {
    return v1::AUDIT_OUTCOME_DENIED;
  }
  if (name == "failure") {
    return v1::AUDIT_OUTCOME_FAILURE;
  }
  return v1::AUDIT_OUTCOME_UNSPECIFIED;
}

// "clinician" (as the trail stores it) → "ROLE_CLINICIAN" (the v1.Role name).
std::string RoleEnumName(std::string_view stored) {
  return stored.empty() ? "" : absl::StrCat("ROLE_", absl::AsciiStrToUpper(std::string(stored)));
}

// The role as a patient reads it in her access report.
std::string RoleWords(std::string_view stored) {
  if (stored == "clinician") {
    return "clinician";
  }
  if (stored == "admin") {
    return "clinic administrator";
  }
  if (stored == "partner") {
    return "partner";
  }
  if (stored == "auditor") {
    return "auditor";
  }
  if (stored == "service") {
    return "clinic system";
  }
  return "";
}

// Where a newest-first page of events ends.
struct Keyset {
  absl::Time time;
  int64_t seq = 0;
};

Keyset KeysetOf(const AuditEvent& event) { return Keyset{event.time, event.seq}; }

// A short digest of the filters a token was issued for, so a token is refused by a request with
// other filters (its position would be meaningless there).
std::string FilterDigest(const Sha256Hasher& hasher, const std::vector<std::string>& parts) {
  std::string canonical;
  for (const std::string& part : parts) {
    absl::StrAppend(&canonical, part.size(), ":", part, ";");
  }
  return absl::BytesToHexString(hasher.Hash(canonical).substr(0, 12));
}

std::string TimeOrDash(const google::protobuf::Timestamp* t) {
  return t == nullptr ? "-" : absl::StrCat(absl::ToUnixMicros(FromTimestamp(*t)));
}

std::string EncodeKeyset(std::string_view list, std::string_view digest, const Keyset& at) {
  return absl::WebSafeBase64Escape(absl::StrCat(std::string(list),
                                                ":v1:", absl::ToUnixMicros(at.time), ":", at.seq,
                                                ":", std::string(digest)));
}

absl::StatusOr<Keyset> DecodeKeyset(std::string_view list, std::string_view digest,
                                    std::string_view token, std::string_view method) {
  const absl::Status bad = InvalidField(
      "page_token",
      absl::StrCat("is not a token from a previous ", std::string(method), " response"));
  std::string decoded;
  if (token.size() > 512 || !absl::WebSafeBase64Unescape(std::string(token), &decoded)) {
    return bad;
  }
  std::vector<std::string> parts = absl::StrSplit(decoded, ':');
  int64_t micros = 0;
  int64_t seq = 0;
  if (parts.size() != 5 || parts[0] != list || parts[1] != "v1" ||
      !absl::SimpleAtoi(parts[2], &micros) || !absl::SimpleAtoi(parts[3], &seq) || seq <= 0) {
    return bad;
  }
  if (parts[4] != digest) {
    return InvalidField("page_token",
                        absl::StrCat("belongs to a ", std::string(method),
                                     " request with other filters: repeat the first page's "
                                     "filters, or start again without a token"));
  }
  return Keyset{absl::FromUnixMicros(micros), seq};
}

void FillView(const AuditEventRow& row, v1::AuditEventView& view) {
  const AuditEvent& e = row.event;
  view.set_sequence(e.seq);
  view.set_id(e.id);
  *view.mutable_time() = ToTimestamp(e.time);
  view.set_actor_user_id(e.actor_user_id);
  view.set_actor_role(RoleEnumName(e.actor_role));
  view.set_action(e.action);
  view.set_resource(e.resource);
  view.set_client_id(e.client_id);
  view.set_outcome(OutcomeOf(e.outcome));
  view.set_status_code(e.status_code);
  view.set_request_id(e.request_id);
  view.set_source_address(e.source_address);
  view.set_break_glass(e.break_glass);
  view.set_detail(e.detail);
  view.set_batch_number(row.batch_no);
}

v1::AuditCheckpoint CheckpointOf(const AuditBatchHeader& h) {
  v1::AuditCheckpoint c;
  c.set_clinic_id(h.clinic_id);
  c.set_batch_number(h.batch_no);
  c.set_tree_size(h.tree_size);
  c.set_leaf_count(h.leaf_count);
  c.set_root_hash(h.root_hash);
  c.set_previous_header_hash(h.prev_hash);
  c.set_header_hash(h.header_hash);
  *c.mutable_seal_time() = ToTimestamp(h.seal_time);
  c.set_key_id(h.key_id);
  c.set_signature(h.signature);
  c.set_sequence_after(h.seq_after);
  c.set_sequence_through(h.seq_through);
  return c;
}

// The access report's view of the people and break-glass grants its events name, each read
// once per page.
class AccessReportContext {
 public:
  AccessReportContext(RequestScope& scope, const SecretBox& box) : scope_(scope), box_(box) {}

  // The accessor's display name, or "Someone at your clinic" when the account is gone.
  absl::StatusOr<std::string> NameOf(const std::string& user_id) {
    auto known = names_.find(user_id);
    if (known != names_.end()) {
      return known->second;
    }
    std::string name = "Someone at your clinic";
    if (!user_id.empty()) {
      absl::StatusOr<std::optional<UserRecord>> user = scope_.uow.users().FindById(user_id);
      if (!user.ok()) {
        return user.status();
      }
      if (user->has_value() && (*user)->user.clinic_id() == scope_.principal->clinic_id &&
          !(*user)->user.display_name().empty()) {
        name = (*user)->user.display_name();
      }
    }
    names_.emplace(user_id, name);
    return name;
  }

  // Why the accessor opened break-glass access for this event: the grant the BreakGlass event
  // names, or the accessor's grant live at the event's time. "" when none is found.
  absl::StatusOr<std::string> BreakGlassReason(const AuditEvent& event) {
    if (!grants_.has_value()) {
      if (absl::Status loaded = LoadGrants(event.client_id); !loaded.ok()) {
        return loaded;
      }
    }
    const std::string named_prefix =
        absl::StrCat("clients/", event.client_id, "/breakGlassGrants/");
    const BreakGlassRecord* grant = nullptr;
    for (const BreakGlassRecord& candidate : *grants_) {
      if (candidate.user_id != event.actor_user_id) {
        continue;
      }
      if (event.resource == named_prefix + candidate.id) {
        grant = &candidate;
        break;
      }
      if (candidate.create_time <= event.time && event.time <= candidate.expire_time &&
          (grant == nullptr || candidate.create_time > grant->create_time)) {
        grant = &candidate;
      }
    }
    if (grant == nullptr) {
      return std::string();
    }
    absl::StatusOr<std::string> reason =
        box_.Open(grant->reason_sealed, BreakGlassReasonContext(grant->id));
    if (!reason.ok()) {
      return absl::InternalError("a break-glass reason cannot be read");
    }
    return *reason;
  }

  // True when `user_id` is (or was) linked to this client as her partner. Anyone else's partner
  // must stay anonymous in her report: their name would tell her who is a partner of another
  // patient of the clinic.
  absl::StatusOr<bool> IsHerPartner(const std::string& user_id, const std::string& client_id) {
    if (!partners_.has_value()) {
      absl::StatusOr<std::vector<PartnerLinkRecord>> links =
          scope_.uow.partner_links().ListOfClient(scope_.principal->clinic_id, client_id);
      if (!links.ok()) {
        return links.status();
      }
      partners_.emplace();
      for (const PartnerLinkRecord& link : *links) {
        partners_->insert(link.partner_user_id);
      }
    }
    return partners_->contains(user_id);
  }

 private:
  absl::Status LoadGrants(const std::string& client_id) {
    grants_.emplace();
    BreakGlassQuery query;
    query.clinic_id = scope_.principal->clinic_id;
    query.client_id = client_id;
    query.limit = kMaxPageSize;
    // Grants to one client are few (each is an emergency); the bound keeps a page cheap.
    for (int round = 0; round < 20; ++round) {
      absl::StatusOr<std::vector<BreakGlassRecord>> page = scope_.uow.break_glass().List(query);
      if (!page.ok()) {
        return page.status();
      }
      grants_->insert(grants_->end(), page->begin(), page->end());
      if (static_cast<int>(page->size()) < query.limit) {
        break;
      }
      query.before_id = page->back().id;
    }
    return absl::OkStatus();
  }

  RequestScope& scope_;
  const SecretBox& box_;
  std::map<std::string, std::string> names_;
  std::optional<std::vector<BreakGlassRecord>> grants_;
  std::optional<std::set<std::string>> partners_;
};

// The report leaves out the patient's own actions and requests that failed for another reason
// than a refusal (they touched nothing).
bool ShownInAccessReport(const AuditEvent& event) {
  return event.actor_role != "patient" && event.outcome != "failure";
}

}  // namespace

absl::StatusOr<v1::ListAuditEventsResponse> AuditService::ListAuditEvents(
    const v1::ListAuditEventsRequest& request, RequestScope& scope) {
  scope.audit.resource = "auditEvents";
  const int page_size = request.page_size() == 0 ? kDefaultPageSize : request.page_size();
  const google::protobuf::Timestamp* start =
      request.has_start_time() ? &request.start_time() : nullptr;
  const google::protobuf::Timestamp* end = request.has_end_time() ? &request.end_time() : nullptr;
  const std::string digest = FilterDigest(
      hasher_, {scope.principal->clinic_id, TimeOrDash(start), TimeOrDash(end),
                request.actor_user_id(), request.client_id(), request.action(),
                OutcomeName(request.outcome()), request.break_glass_only() ? "1" : "0"});
  AuditEventFilter filter;
  filter.clinic_id = scope.principal->clinic_id;
  if (start != nullptr) {
    filter.start_time = FromTimestamp(*start);
  }
  if (end != nullptr) {
    filter.end_time = FromTimestamp(*end);
  }
  filter.actor_user_id = absl::AsciiStrToLower(request.actor_user_id());
  filter.client_id = absl::AsciiStrToLower(request.client_id());
  filter.action = request.action();
  filter.outcome = OutcomeName(request.outcome());
  filter.break_glass_only = request.break_glass_only();
  filter.limit = page_size + 1;
  if (!request.page_token().empty()) {
    absl::StatusOr<Keyset> at =
        DecodeKeyset(kEventsList, digest, request.page_token(), "ListAuditEvents");
    if (!at.ok()) {
      return at.status();
    }
    filter.before_time = at->time;
    filter.before_seq = at->seq;
  }
  absl::StatusOr<std::vector<AuditEventRow>> rows = scope.uow.audit_trail().Query(filter);
  if (!rows.ok()) {
    return rows.status();
  }
  v1::ListAuditEventsResponse response;
  for (int i = 0; i < static_cast<int>(rows->size()) && i < page_size; ++i) {
    FillView((*rows)[i], *response.add_events());
  }
  if (static_cast<int>(rows->size()) > page_size) {
    response.set_next_page_token(
        EncodeKeyset(kEventsList, digest, KeysetOf((*rows)[page_size - 1].event)));
  }
  return response;
}

absl::StatusOr<v1::AuditCheckpoint> AuditService::GetAuditCheckpoint(
    const v1::GetAuditCheckpointRequest& /*request*/, RequestScope& scope) {
  scope.audit.resource = "audit/checkpoint";
  absl::StatusOr<std::optional<AuditBatchHeader>> last =
      scope.uow.audit_trail().LastBatch(scope.principal->clinic_id);
  if (!last.ok()) {
    return last.status();
  }
  if (!last->has_value()) {
    return absl::NotFoundError(
        "no checkpoint yet: nothing in this clinic's audit trail has been sealed (sealing runs "
        "about every second; try again shortly)");
  }
  return CheckpointOf(**last);
}

absl::StatusOr<v1::ListAuditKeysResponse> AuditService::ListAuditKeys(
    const v1::ListAuditKeysRequest& /*request*/, RequestScope& scope) {
  scope.audit.resource = "audit/keys";
  absl::StatusOr<std::vector<AuditSigningKeyRecord>> keys =
      scope.uow.audit_signing_keys().ListForClinic(scope.principal->clinic_id);
  if (!keys.ok()) {
    return keys.status();
  }
  v1::ListAuditKeysResponse response;
  for (const AuditSigningKeyRecord& record : *keys) {
    v1::AuditKey* key = response.add_keys();
    key->set_key_id(record.key_id);
    key->set_algorithm("Ed25519");
    key->set_public_key(record.public_key);
    *key->mutable_create_time() = ToTimestamp(record.create_time);
    if (record.retire_time.has_value()) {
      *key->mutable_retire_time() = ToTimestamp(*record.retire_time);
    }
  }
  return response;
}

absl::StatusOr<v1::ListRecordAccessResponse> AuditService::ListRecordAccess(
    const v1::ListRecordAccessRequest& request, RequestScope& scope) {
  scope.audit.resource = absl::StrCat("clients/", scope.client_id, "/recordAccess");
  const int page_size = request.page_size() == 0 ? kDefaultPageSize : request.page_size();
  const google::protobuf::Timestamp* start =
      request.has_start_time() ? &request.start_time() : nullptr;
  const google::protobuf::Timestamp* end = request.has_end_time() ? &request.end_time() : nullptr;
  const std::string digest = FilterDigest(
      hasher_, {scope.principal->clinic_id, scope.client_id, TimeOrDash(start), TimeOrDash(end)});
  AuditEventFilter filter;
  filter.clinic_id = scope.principal->clinic_id;
  filter.client_id = scope.client_id;
  if (start != nullptr) {
    filter.start_time = FromTimestamp(*start);
  }
  if (end != nullptr) {
    filter.end_time = FromTimestamp(*end);
  }
  filter.limit = page_size + 1;
  if (!request.page_token().empty()) {
    absl::StatusOr<Keyset> at =
        DecodeKeyset(kAccessList, digest, request.page_token(), "ListRecordAccess");
    if (!at.ok()) {
      return at.status();
    }
    filter.before_time = at->time;
    filter.before_seq = at->seq;
  }
  // Collect up to page_size + 1 shown events (one more says there is a next page), reading the
  // trail in chunks since some events are left out.
  std::vector<AuditEvent> shown;
  std::optional<Keyset> last_read;
  bool exhausted = false;
  for (int chunk = 0; chunk < kMaxAccessChunks && static_cast<int>(shown.size()) <= page_size;
       ++chunk) {
    absl::StatusOr<std::vector<AuditEventRow>> rows = scope.uow.audit_trail().Query(filter);
    if (!rows.ok()) {
      return rows.status();
    }
    for (AuditEventRow& row : *rows) {
      last_read = KeysetOf(row.event);
      if (ShownInAccessReport(row.event)) {
        shown.push_back(std::move(row.event));
        if (static_cast<int>(shown.size()) > page_size) {
          break;
        }
      }
    }
    if (static_cast<int>(rows->size()) < filter.limit) {
      exhausted = true;
      break;
    }
    filter.before_time = last_read->time;
    filter.before_seq = last_read->seq;
  }
  AccessReportContext context(scope, box_);
  v1::ListRecordAccessResponse response;
  for (int i = 0; i < static_cast<int>(shown.size()) && i < page_size; ++i) {
    const AuditEvent& event = shown[i];
    v1::RecordAccess* access = response.add_accesses();
    *access->mutable_time() = ToTimestamp(event.time);
    bool anonymous = false;
    if (event.actor_role == "partner") {
      absl::StatusOr<bool> hers = context.IsHerPartner(event.actor_user_id, event.client_id);
      if (!hers.ok()) {
        return hers.status();
      }
      anonymous = !*hers;
    }
    if (anonymous) {
      access->set_accessor_name("Someone outside your care team");
    } else {
      access->set_accessor_user_id(event.actor_user_id);
      absl::StatusOr<std::string> name = context.NameOf(event.actor_user_id);
      if (!name.ok()) {
        return name.status();
      }
      access->set_accessor_name(*name);
      access->set_accessor_role(RoleWords(event.actor_role));
    }
    const bool refused = event.outcome == "denied";
    std::optional<AccessWording> wording = WordingForAction(event.action);
    if (refused) {
      access->set_kind(v1::RECORD_ACCESS_KIND_REFUSED);
    } else if (event.break_glass) {
      access->set_kind(v1::RECORD_ACCESS_KIND_BREAK_GLASS);
    } else {
      access->set_kind(wording ? wording->kind : v1::RECORD_ACCESS_KIND_VIEWED);
    }
    access->set_description(DescribeAccess(event.action, refused));
    if (event.break_glass && !refused) {
      access->set_break_glass(true);
      absl::StatusOr<std::string> reason = context.BreakGlassReason(event);
      if (!reason.ok()) {
        return reason.status();
      }
      access->set_break_glass_reason(*reason);
    }
  }
  if (static_cast<int>(shown.size()) > page_size) {
    response.set_next_page_token(EncodeKeyset(kAccessList, digest, KeysetOf(shown[page_size - 1])));
  } else if (!exhausted && last_read.has_value()) {
    // A short page: many left-out events in a row. The next page goes on from where this one
    // stopped reading.
    response.set_next_page_token(EncodeKeyset(kAccessList, digest, *last_read));
  }
  return response;
}

void AuditService::Register(MethodTable& table) {
  table.Add(MethodDefinition<v1::ListAuditEventsRequest, v1::ListAuditEventsResponse>{
      .full_name = "confide.v1.AuditService.ListAuditEvents",
      .mode = TransactionMode::kRead,
      .action = Action::kQueryAudit,
      .validate = ValidateListAuditEvents,
      .handler = [this](const auto& r, RequestScope& s) { return ListAuditEvents(r, s); }});
  table.Add(MethodDefinition<v1::ExportAuditEventsRequest, v1::ExportAuditEventsResponse>{
      .full_name = "confide.v1.AuditService.ExportAuditEvents",
      .mode = TransactionMode::kRead,
      .action = Action::kExportAudit,
      .handler = [this](const auto& r, RequestScope& s) {
        return ExportAuditPage(r, s, hasher_);
      }});
  table.Add(MethodDefinition<v1::GetAuditCheckpointRequest, v1::AuditCheckpoint>{
      .full_name = "confide.v1.AuditService.GetAuditCheckpoint",
      .mode = TransactionMode::kRead,
      .action = Action::kReadAuditCheckpoint,
      .handler = [this](const auto& r, RequestScope& s) { return GetAuditCheckpoint(r, s); }});
  table.Add(MethodDefinition<v1::ListAuditKeysRequest, v1::ListAuditKeysResponse>{
      .full_name = "confide.v1.AuditService.ListAuditKeys",
      .mode = TransactionMode::kRead,
      .action = Action::kReadAuditCheckpoint,
      .handler = [this](const auto& r, RequestScope& s) { return ListAuditKeys(r, s); }});
  table.Add(MethodDefinition<v1::ListRecordAccessRequest, v1::ListRecordAccessResponse>{
      .full_name = "confide.v1.AuditService.ListRecordAccess",
      .mode = TransactionMode::kRead,
      .action = Action::kReadAccessReport,
      .target_client = [](const v1::ListRecordAccessRequest& r) { return r.client_id(); },
      .validate = ValidateListRecordAccess,
      .handler = [this](const auto& r, RequestScope& s) { return ListRecordAccess(r, s); }});
}

}  // namespace confide
