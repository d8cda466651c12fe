#include "services/break_glass/break_glass_service.h"

#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "services/api/field_errors.h"
#include "services/api/page_token.h"
#include "services/break_glass/ports/break_glass_repository.h"
#include "services/common/text_checks.h"
#include "services/common/timestamps.h"

namespace confide {

std::string BreakGlassReasonContext(std::string_view grant_id) {
  return absl::StrCat("break_glass_grants.reason_sealed:", std::string(grant_id));
}

namespace {

constexpr absl::Duration kDefaultDuration = absl::Minutes(60);
constexpr absl::Duration kMaxDuration = absl::Hours(4);

absl::Status ValidateBreakGlass(const v1::BreakGlassRequest& request) {
  std::vector<FieldViolation> violations;
  if (request.client_id().empty()) {
    violations.push_back({"client_id", "is required"});
  }
  const std::string reason(absl::StripAsciiWhitespace(request.reason()));
  if (reason.size() < 10 || request.reason().size() > 1000 || !IsValidUtf8(request.reason()) ||
      !HasNoControlCharacters(request.reason())) {
    violations.push_back(
        {"reason", "is required: 10 to 1000 characters saying why access is needed"});
  }
  if (request.has_duration()) {
    const absl::Duration d =
        absl::Seconds(request.duration().seconds()) + absl::Nanoseconds(request.duration().nanos());
    if (d < absl::Minutes(1) || d > kMaxDuration) {
      violations.push_back({"duration", "must be between 1 minute and 4 hours"});
    }
  }
  return InvalidFields(violations);
}

}  // namespace

absl::StatusOr<v1::BreakGlassGrant> BreakGlassService::BreakGlass(
    const v1::BreakGlassRequest& request, RequestScope& scope) {
  absl::Duration duration = kDefaultDuration;
  if (request.has_duration()) {
    duration =
        absl::Seconds(request.duration().seconds()) + absl::Nanoseconds(request.duration().nanos());
  }
  BreakGlassRecord record;
  record.id = ids_.NewId();
  record.clinic_id = scope.principal->clinic_id;
  record.client_id = scope.client_id;
  record.user_id = scope.principal->user_id;
  record.create_time = scope.now;
  record.expire_time = scope.now + duration;
  const std::string reason(absl::StripAsciiWhitespace(request.reason()));
  absl::StatusOr<std::string> sealed = box_.Seal(reason, BreakGlassReasonContext(record.id));
  if (!sealed.ok()) {
    return sealed.status();
  }
  record.reason_sealed = *std::move(sealed);
  if (absl::Status stored = scope.uow.break_glass().Insert(record); !stored.ok()) {
    return stored;
  }
  scope.audit.break_glass = true;
  scope.audit.resource = absl::StrCat("clients/", scope.client_id, "/breakGlassGrants/", record.id);
  v1::BreakGlassGrant grant;
  grant.set_id(record.id);
  grant.set_client_id(record.client_id);
  grant.set_user_id(record.user_id);
  grant.set_reason(reason);
  *grant.mutable_create_time() = ToTimestamp(record.create_time);
  *grant.mutable_expire_time() = ToTimestamp(record.expire_time);
  return grant;
}

absl::StatusOr<v1::ListBreakGlassGrantsResponse> BreakGlassService::List(
    const v1::ListBreakGlassGrantsRequest& request, RequestScope& scope) {
  scope.audit.resource = "breakGlassGrants";
  absl::StatusOr<int> page_size = EffectivePageSize(request.page_size());
  if (!page_size.ok()) {
    return page_size.status();
  }
  BreakGlassQuery query;
  query.clinic_id = scope.principal->clinic_id;
  if (!request.client_id().empty()) {
    if (!IsUuidText(request.client_id())) {
      return InvalidField("client_id", "must be a client id");
    }
    query.client_id = request.client_id();
  }
  query.limit = *page_size + 1;
  if (!request.page_token().empty()) {
    absl::StatusOr<std::string> before =
        DecodePageToken("breakGlassGrants", request.page_token(), "ListBreakGlassGrants");
    if (!before.ok()) {
      return before.status();
    }
    query.before_id = *std::move(before);
  }
  absl::StatusOr<std::vector<BreakGlassRecord>> rows = scope.uow.break_glass().List(query);
  if (!rows.ok()) {
    return rows.status();
  }
  v1::ListBreakGlassGrantsResponse response;
  const bool show_reason = scope.principal->role == v1::ROLE_ADMIN;
  for (int i = 0; i < static_cast<int>(rows->size()) && i < *page_size; ++i) {
    const BreakGlassRecord& record = (*rows)[i];
    v1::BreakGlassGrant* grant = response.add_grants();
    grant->set_id(record.id);
    grant->set_client_id(record.client_id);
    grant->set_user_id(record.user_id);
    if (show_reason) {
      // Auditors see that access happened, not the clinical reason for it.
      absl::StatusOr<std::string> reason =
          box_.Open(record.reason_sealed, BreakGlassReasonContext(record.id));
      if (!reason.ok()) {
        return absl::InternalError("a break-glass reason cannot be read");
      }
      grant->set_reason(*reason);
    }
    *grant->mutable_create_time() = ToTimestamp(record.create_time);
    *grant->mutable_expire_time() = ToTimestamp(record.expire_time);
  }
  if (static_cast<int>(rows->size()) > *page_size) {
    response.set_next_page_token(EncodePageToken("breakGlassGrants", (*rows)[*page_size - 1].id));
  }
  return response;
}

void BreakGlassService::Register(MethodTable& table) {
  table.Add(MethodDefinition<v1::BreakGlassRequest, v1::BreakGlassGrant>{
      .full_name = "confide.v1.BreakGlassService.BreakGlass",
      .mode = TransactionMode::kWrite,
      .action = Action::kBreakGlass,
      .target_client = [](const v1::BreakGlassRequest& r) { return r.client_id(); },
      .validate = ValidateBreakGlass,
      .handler = [this](const auto& r, RequestScope& s) { return BreakGlass(r, s); }});
  table.Add(MethodDefinition<v1::ListBreakGlassGrantsRequest, v1::ListBreakGlassGrantsResponse>{
      .full_name = "confide.v1.BreakGlassService.ListBreakGlassGrants",
      .mode = TransactionMode::kRead,
      .action = Action::kListBreakGlassGrants,
      .handler = [this](const auto& r, RequestScope& s) { return List(r, s); }});
}

}  // namespace confide
