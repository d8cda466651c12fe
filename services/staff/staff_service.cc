#include "services/staff/staff_service.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "services/api/field_errors.h"
#include "services/api/page_token.h"
#include "services/auth/invitations.h"
#include "services/auth/ports/session_repository.h"
#include "services/auth/ports/user_repository.h"
#include "services/clinics/ports/clinic_repository.h"
#include "services/common/text_checks.h"
#include "services/common/timestamps.h"

namespace confide {
namespace {

absl::Status StaffNotFound() { return absl::NotFoundError("staff member not found"); }

constexpr absl::Duration kServiceTokenLifetime = absl::Hours(24 * 365);
// argon2 never verifies this (not a PHC string): a service account cannot sign in.
constexpr char kNoPassword[] = "!service-account";

bool IsStaffOrService(v1::Role role) { return IsStaffRole(role) || role == v1::ROLE_SERVICE; }

v1::StaffMember ToStaffMember(const UserRecord& record) {
  v1::StaffMember member;
  *member.mutable_user() = record.user;
  member.set_active(record.active);
  member.set_mfa_enrolled(!record.totp_secret_sealed.empty());
  return member;
}

// The staff account `user_id` of the caller's clinic; NOT_FOUND for anyone else (patients,
// other clinics, unknown ids).
absl::StatusOr<UserRecord> FindStaff(UnitOfWork& uow, const Principal& who,
                                     std::string_view user_id) {
  if (!IsUuidText(user_id)) {
    return StaffNotFound();
  }
  absl::StatusOr<std::optional<UserRecord>> found = uow.users().FindById(user_id);
  if (!found.ok()) {
    return found.status();
  }
  if (!found->has_value() || (*found)->user.clinic_id() != who.clinic_id ||
      !IsStaffOrService((*found)->user.role())) {
    return StaffNotFound();
  }
  return **std::move(found);
}

absl::Status ValidateUserId(std::string_view user_id) {
  return user_id.empty() ? InvalidField("user_id", "is required") : absl::OkStatus();
}

}  // namespace

absl::Status ValidateInviteEmail(std::string_view email, std::string_view field) {
  return IsAccountEmail(email)
             ? absl::OkStatus()
             : InvalidField(field, "must be an email address (at most 254 characters)");
}

absl::Status ValidateDisplayName(std::string_view name, std::string_view field, bool required) {
  if ((required && absl::StripAsciiWhitespace(std::string(name)).empty()) || name.size() > 200 ||
      !IsValidUtf8(name) || !HasNoControlCharacters(name)) {
    return InvalidField(
        field, required ? "is required (at most 200 characters)" : "is at most 200 characters");
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::Clinic> StaffService::GetMyClinic(const v1::GetMyClinicRequest&,
                                                     RequestScope& scope) {
  scope.audit.resource = absl::StrCat("clinics/", scope.principal->clinic_id);
  absl::StatusOr<std::optional<ClinicRecord>> clinic =
      scope.uow.clinics().Find(scope.principal->clinic_id);
  if (!clinic.ok()) {
    return clinic.status();
  }
  if (!clinic->has_value()) {
    return absl::NotFoundError("clinic not found");
  }
  v1::Clinic response;
  response.set_id((*clinic)->id);
  response.set_name((*clinic)->name);
  return response;
}

absl::StatusOr<v1::Invitation> StaffService::InviteStaff(const v1::InviteStaffRequest& request,
                                                         RequestScope& scope) {
  OneTimeTokenRecord record;
  record.purpose = TokenPurpose::kStaffInvitation;
  record.clinic_id = scope.principal->clinic_id;
  record.email = NormalizeEmail(request.email());
  record.display_name = std::string(absl::StripAsciiWhitespace(request.display_name()));
  record.role = request.role();
  record.discipline =
      request.role() == v1::ROLE_CLINICIAN ? request.discipline() : v1::DISCIPLINE_UNSPECIFIED;
  record.created_by = scope.principal->user_id;
  const std::string recipient = record.email;
  absl::StatusOr<v1::Invitation> invitation =
      IssueOneTimeToken(scope.uow, secrets_, ids_, box_, std::move(record), recipient, scope.now,
                        kInvitationLifetime);
  if (invitation.ok()) {
    scope.audit.resource = absl::StrCat("invitations/", invitation->id());
  }
  return invitation;
}

absl::StatusOr<v1::ListStaffResponse> StaffService::ListStaff(const v1::ListStaffRequest& request,
                                                              RequestScope& scope) {
  scope.audit.resource = "staff";
  absl::StatusOr<int> page_size = EffectivePageSize(request.page_size());
  if (!page_size.ok()) {
    return page_size.status();
  }
  UserQuery query;
  query.clinic_id = scope.principal->clinic_id;
  query.roles = {v1::ROLE_ADMIN, v1::ROLE_CLINICIAN, v1::ROLE_AUDITOR, v1::ROLE_SERVICE};
  query.limit = *page_size + 1;
  if (!request.page_token().empty()) {
    absl::StatusOr<std::string> after = DecodePageToken("staff", request.page_token(), "ListStaff");
    if (!after.ok()) {
      return after.status();
    }
    query.after_id = *std::move(after);
  }
  absl::StatusOr<std::vector<UserRecord>> rows = scope.uow.users().List(query);
  if (!rows.ok()) {
    return rows.status();
  }
  v1::ListStaffResponse response;
  for (int i = 0; i < static_cast<int>(rows->size()) && i < *page_size; ++i) {
    *response.add_staff() = ToStaffMember((*rows)[i]);
  }
  if (static_cast<int>(rows->size()) > *page_size) {
    response.set_next_page_token(EncodePageToken("staff", (*rows)[*page_size - 1].user.id()));
  }
  return response;
}

absl::StatusOr<v1::StaffMember> StaffService::SetActive(std::string_view user_id, bool active,
                                                        RequestScope& scope) {
  scope.audit.resource = absl::StrCat("staff/", std::string(user_id));
  absl::StatusOr<UserRecord> staff = FindStaff(scope.uow, *scope.principal, user_id);
  if (!staff.ok()) {
    return staff.status();
  }
  if (!active && staff->user.id() == scope.principal->user_id) {
    // An admin locking herself out could leave the clinic with no one to manage it.
    return absl::FailedPreconditionError("you cannot deactivate your own account");
  }
  if (absl::Status s = scope.uow.users().SetActive(staff->user.id(), active, scope.now); !s.ok()) {
    return s;
  }
  if (!active) {
    absl::StatusOr<int> revoked =
        scope.uow.sessions().RevokeAllOfUser(staff->user.id(), "", scope.now);
    if (!revoked.ok()) {
      return revoked.status();
    }
  }
  staff->active = active;
  return ToStaffMember(*staff);
}

absl::StatusOr<v1::ServiceAccountToken> StaffService::CreateServiceAccount(
    const v1::CreateServiceAccountRequest& request, RequestScope& scope) {
  UserRecord account;
  account.user.set_id(ids_.NewId());
  account.user.set_clinic_id(scope.principal->clinic_id);
  // Emails identify sign-in accounts; a service account gets a unique name that cannot receive
  // mail (RFC 6761 reserves .invalid).
  account.user.set_email(absl::StrCat("service-", account.user.id(), "@service.invalid"));
  account.user.set_display_name(std::string(absl::StripAsciiWhitespace(request.display_name())));
  account.user.set_role(v1::ROLE_SERVICE);
  account.password_hash = kNoPassword;
  scope.audit.resource = absl::StrCat("staff/", account.user.id());
  if (absl::Status s = scope.uow.users().Insert(account, scope.now); !s.ok()) {
    return s;
  }
  const std::string token = secrets_.NewSessionToken();
  SessionRecord session;
  session.id = ids_.NewId();
  session.token_digest = secrets_.Digest(token);
  session.user_id = account.user.id();
  session.clinic_id = account.user.clinic_id();
  session.create_time = scope.now;
  session.last_seen_time = scope.now;
  session.expire_time = scope.now + kServiceTokenLifetime;
  // No idle limit: a nightly export may call once a day. No second factor: no person signs in.
  session.idle_timeout = absl::ZeroDuration();
  session.mfa_verified = true;
  session.source_address = scope.call.source_address;
  if (absl::Status s = scope.uow.sessions().Insert(session); !s.ok()) {
    return s;
  }
  v1::ServiceAccountToken response;
  *response.mutable_user() = account.user;
  response.set_token(token);
  *response.mutable_expire_time() = ToTimestamp(session.expire_time);
  return response;
}

absl::StatusOr<v1::Invitation> StaffService::IssuePasswordReset(
    const v1::IssueStaffPasswordResetRequest& request, RequestScope& scope) {
  scope.audit.resource = absl::StrCat("staff/", request.user_id());
  absl::StatusOr<UserRecord> staff = FindStaff(scope.uow, *scope.principal, request.user_id());
  if (!staff.ok()) {
    return staff.status();
  }
  if (staff->user.role() == v1::ROLE_SERVICE) {
    return absl::FailedPreconditionError(
        "service accounts have no password; create a new service account to replace a token");
  }
  OneTimeTokenRecord record;
  record.purpose = TokenPurpose::kPasswordReset;
  record.clinic_id = scope.principal->clinic_id;
  record.user_id = staff->user.id();
  record.created_by = scope.principal->user_id;
  return IssueOneTimeToken(scope.uow, secrets_, ids_, box_, std::move(record), staff->user.email(),
                           scope.now, kPasswordResetLifetime);
}

void StaffService::Register(MethodTable& table) {
  table.Add(MethodDefinition<v1::GetMyClinicRequest, v1::Clinic>{
      .full_name = "confide.v1.ClinicService.GetMyClinic",
      .mode = TransactionMode::kRead,
      .action = Action::kReadClinic,
      .handler = [this](const auto& r, RequestScope& s) { return GetMyClinic(r, s); }});
  table.Add(MethodDefinition<v1::InviteStaffRequest, v1::Invitation>{
      .full_name = "confide.v1.StaffService.InviteStaff",
      .mode = TransactionMode::kWrite,
      .action = Action::kManageStaff,
      .validate =
          [](const v1::InviteStaffRequest& r) {
            std::vector<FieldViolation> violations;
            if (!ValidateInviteEmail(r.email(), "email").ok()) {
              violations.push_back({"email", "must be an email address (at most 254 characters)"});
            }
            if (!ValidateDisplayName(r.display_name(), "display_name", true).ok()) {
              violations.push_back({"display_name", "is required (at most 200 characters)"});
            }
            if (r.role() != v1::ROLE_ADMIN && r.role() != v1::ROLE_CLINICIAN &&
                r.role() != v1::ROLE_AUDITOR) {
              violations.push_back({"role", "must be ROLE_ADMIN, ROLE_CLINICIAN or ROLE_AUDITOR"});
            }
            if (r.role() == v1::ROLE_CLINICIAN && (r.discipline() == v1::DISCIPLINE_UNSPECIFIED ||
                                                   !v1::Discipline_IsValid(r.discipline()))) {
              violations.push_back({"discipline", "is required for clinicians"});
            }
            return InvalidFields(violations);
          },
      .handler = [this](const auto& r, RequestScope& s) { return InviteStaff(r, s); }});
  table.Add(MethodDefinition<v1::ListStaffRequest, v1::ListStaffResponse>{
      .full_name = "confide.v1.StaffService.ListStaff",
      .mode = TransactionMode::kRead,
      .action = Action::kListStaff,
      .handler = [this](const auto& r, RequestScope& s) { return ListStaff(r, s); }});
  table.Add(MethodDefinition<v1::DeactivateStaffRequest, v1::StaffMember>{
      .full_name = "confide.v1.StaffService.DeactivateStaff",
      .mode = TransactionMode::kWrite,
      .action = Action::kManageStaff,
      .validate = [](const v1::DeactivateStaffRequest& r) { return ValidateUserId(r.user_id()); },
      .handler = [this](const auto& r,
                        RequestScope& s) { return SetActive(r.user_id(), false, s); }});
  table.Add(MethodDefinition<v1::ReactivateStaffRequest, v1::StaffMember>{
      .full_name = "confide.v1.StaffService.ReactivateStaff",
      .mode = TransactionMode::kWrite,
      .action = Action::kManageStaff,
      .validate = [](const v1::ReactivateStaffRequest& r) { return ValidateUserId(r.user_id()); },
      .handler = [this](const auto& r,
                        RequestScope& s) { return SetActive(r.user_id(), true, s); }});
  table.Add(MethodDefinition<v1::CreateServiceAccountRequest, v1::ServiceAccountToken>{
      .full_name = "confide.v1.StaffService.CreateServiceAccount",
      .mode = TransactionMode::kWrite,
      .action = Action::kManageStaff,
      .validate =
          [](const v1::CreateServiceAccountRequest& r) {
            return ValidateDisplayName(r.display_name(), "display_name", true);
          },
      .handler = [this](const auto& r, RequestScope& s) { return CreateServiceAccount(r, s); }});
  table.Add(MethodDefinition<v1::IssueStaffPasswordResetRequest, v1::Invitation>{
      .full_name = "confide.v1.StaffService.IssueStaffPasswordReset",
      .mode = TransactionMode::kWrite,
      .action = Action::kManageStaff,
      .validate =
          [](const v1::IssueStaffPasswordResetRequest& r) { return ValidateUserId(r.user_id()); },
      .handler = [this](const auto& r, RequestScope& s) { return IssuePasswordReset(r, s); }});
}

}  // namespace confide
