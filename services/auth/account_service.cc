#include "services/auth/account_service.h"

#include <functional>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "services/api/field_errors.h"
#include "services/auth/auth_service.h"
#include "services/auth/invitations.h"
#include "services/auth/ports/one_time_token_repository.h"
#include "services/auth/ports/session_repository.h"
#include "services/auth/ports/sign_in_throttle_repository.h"
#include "services/auth/ports/user_repository.h"
#include "services/auth/totp.h"
#include "services/common/base32.h"
#include "services/common/text_checks.h"
#include "services/consents/consent_requirements.h"
#include "services/partners/ports/partner_link_repository.h"

namespace confide {
namespace {

constexpr int kRecoveryCodeCount = 10;
// 80 bits each: out of reach of offline guessing against the stored SHA-256 digests.
constexpr size_t kRecoveryCodeBytes = 10;
constexpr size_t kTotpSecretBytes = 20;
constexpr char kIssuer[] = "Confide";
constexpr absl::Duration kResetRequestInterval = absl::Hours(1);
constexpr std::initializer_list<TokenPurpose> kInvitationPurposes = {
    TokenPurpose::kStaffInvitation, TokenPurpose::kPatientInvitation,
    TokenPurpose::kPartnerInvitation};

// What a prepare step leaves: a hash of the new password, and whether the current one matched.
struct PreparedPassword {
  std::string new_hash;
  bool current_ok = true;
};

absl::Status BadToken() { return InvalidField("token", "is invalid, expired or already used"); }

bool IsUsable(const OneTimeTokenRecord& record, std::initializer_list<TokenPurpose> purposes,
              absl::Time now) {
  return std::find(purposes.begin(), purposes.end(), record.purpose) != purposes.end() &&
         record.expire_time > now && !record.use_time.has_value() &&
         !record.revoke_time.has_value();
}

// Finds a usable token of one of `purposes` and marks it used; BadToken otherwise. When set,
// `still_valid` runs on the usable token before it is marked used; its error is returned as is.
absl::StatusOr<OneTimeTokenRecord> Redeem(
    UnitOfWork& uow, const SecretGenerator& secrets, std::string_view token,
    std::initializer_list<TokenPurpose> purposes, absl::Time now,
    const std::function<absl::Status(const OneTimeTokenRecord&)>& still_valid = nullptr) {
  absl::StatusOr<std::optional<OneTimeTokenRecord>> found =
      uow.one_time_tokens().FindByDigest(secrets.Digest(token));
  if (!found.ok()) {
    return found.status();
  }
  if (!found->has_value()) {
    return BadToken();
  }
  const OneTimeTokenRecord& record = **found;
  if (!IsUsable(record, purposes, now)) {
    return BadToken();
  }
  if (still_valid) {
    if (absl::Status valid = still_valid(record); !valid.ok()) {
      return valid;
    }
  }
  absl::StatusOr<bool> marked = uow.one_time_tokens().MarkUsed(record.id, now);
  if (!marked.ok()) {
    return marked.status();
  }
  if (!*marked) {
    return BadToken();
  }
  return record;
}

// Once a second factor is enrolled, only a session that passed it may replace it: otherwise
// whoever learnt the password (or holds an unverified session) could take the factor over.
absl::Status MayReplaceSecondFactor(const UserRecord& account, const Principal& who) {
  if (!account.totp_secret_sealed.empty() && !who.mfa_verified) {
    return absl::PermissionDeniedError(
        "sign in with the current authenticator code before enrolling a new one");
  }
  return absl::OkStatus();
}

absl::Status ValidateToken(std::string_view token) {
  return (token.empty() || token.size() > 256 || !IsValidUtf8(token) ||
          !HasNoControlCharacters(token))
             ? InvalidField("token", "is required")
             : absl::OkStatus();
}

std::string FormatRecoveryCode(std::string_view base32) {
  std::string code;
  for (size_t i = 0; i < base32.size(); ++i) {
    if (i > 0 && i % 4 == 0) {
      code.push_back('-');
    }
    code.push_back(base32[i]);
  }
  return code;
}

}  // namespace

absl::Status AccountService::HashForToken(std::string_view token, std::string_view password,
                                          std::initializer_list<TokenPurpose> purposes,
                                          PrepareScope& scope) {
  // Only a live token earns an argon2 hash: otherwise anyone could keep the hashing slots busy
  // with made-up tokens and starve sign-ins.
  bool usable = false;
  absl::Status read = scope.transactions.Run(TransactionMode::kRead, [&](UnitOfWork& uow) {
    absl::StatusOr<std::optional<OneTimeTokenRecord>> found =
        uow.one_time_tokens().FindByDigest(secrets_.Digest(token));
    if (!found.ok()) {
      return found.status();
    }
    usable = found->has_value() && IsUsable(**found, purposes, scope.now);
    return absl::OkStatus();
  });
  if (!read.ok()) {
    return read;
  }
  if (!usable) {
    return BadToken();
  }
  return HashNewPassword(password, scope);
}

absl::Status AccountService::HashNewPassword(std::string_view password, PrepareScope& scope) {
  absl::StatusOr<std::string> hash = passwords_.Hash(password);
  if (!hash.ok()) {
    return hash.status();
  }
  scope.prepared = PreparedPassword{.new_hash = *std::move(hash), .current_ok = true};
  return absl::OkStatus();
}

absl::Status AccountService::PrepareChangePassword(const v1::ChangePasswordRequest& request,
                                                   PrepareScope& scope) {
  std::string current_hash;
  absl::Status read = scope.transactions.Run(TransactionMode::kRead, [&](UnitOfWork& uow) {
    absl::StatusOr<std::optional<UserRecord>> me = uow.users().FindById(scope.principal->user_id);
    if (!me.ok()) {
      return me.status();
    }
    if (me->has_value()) {
      current_hash = (*me)->password_hash;
    }
    return absl::OkStatus();
  });
  if (!read.ok()) {
    return read;
  }
  absl::StatusOr<bool> matches = passwords_.Verify(request.current_password(), current_hash);
  if (!matches.ok()) {
    return matches.status();
  }
  if (!*matches) {
    scope.prepared = PreparedPassword{.new_hash = {}, .current_ok = false};
    return absl::OkStatus();
  }
  return HashNewPassword(request.new_password(), scope);
}

absl::StatusOr<google::protobuf::Empty> AccountService::ChangePassword(
    const v1::ChangePasswordRequest&, RequestScope& scope) {
  const auto* prepared = std::any_cast<PreparedPassword>(scope.prepared);
  if (prepared == nullptr) {
    // The session changed between the prepare step and now (e.g. its second factor was just
    // confirmed elsewhere): nothing was done, and the same request will work.
    return absl::UnavailableError("the session changed during the request; retry");
  }
  scope.audit.resource = absl::StrCat("users/", scope.principal->user_id);
  if (!prepared->current_ok) {
    return InvalidField("current_password", "is incorrect");
  }
  if (absl::Status s =
          scope.uow.users().UpdatePasswordHash(scope.principal->user_id, prepared->new_hash);
      !s.ok()) {
    return s;
  }
  // Whoever else holds a session of this account (perhaps the reason for the change) is out.
  absl::StatusOr<int> revoked = scope.uow.sessions().RevokeAllOfUser(
      scope.principal->user_id, scope.principal->session_id, scope.now);
  if (!revoked.ok()) {
    return revoked.status();
  }
  return google::protobuf::Empty();
}

absl::StatusOr<google::protobuf::Empty> AccountService::RequestPasswordReset(
    const v1::RequestPasswordResetRequest& request, RequestScope& scope) {
  const std::string email = NormalizeEmail(request.email());
  scope.audit.resource = "passwordResets";
  // Every address is paced alike (one request an hour goes through), known or not, so the
  // answer and most of the work are the same, and nobody can flood an inbox.
  const std::string pace_key = absl::StrCat("reset:", secrets_.Digest(email));
  absl::StatusOr<std::optional<ThrottleRecord>> last = scope.uow.sign_in_throttle().Find(pace_key);
  if (!last.ok()) {
    return last.status();
  }
  if (last->has_value() && scope.now - (*last)->last_failure_time < kResetRequestInterval) {
    return google::protobuf::Empty();
  }
  if (absl::Status paced = scope.uow.sign_in_throttle().Put(
          ThrottleRecord{.key = pace_key, .failures = 1, .last_failure_time = scope.now});
      !paced.ok()) {
    return paced;
  }
  absl::StatusOr<std::optional<UserRecord>> account = scope.uow.users().FindByEmail(email);
  if (!account.ok()) {
    return account.status();
  }
  // Service accounts have no password; deactivated accounts stay closed. Either way, and for
  // unknown emails, the answer is the same.
  if (!account->has_value() || !(*account)->active || (*account)->user.role() == v1::ROLE_SERVICE) {
    return google::protobuf::Empty();
  }
  const UserRecord& user = **account;
  // The caller is anonymous: the account is what the request is about, not who made it.
  scope.audit.clinic_id = user.user.clinic_id();
  scope.audit.resource = absl::StrCat("users/", user.user.id(), "/passwordResets");
  OneTimeTokenRecord record;
  record.purpose = TokenPurpose::kPasswordReset;
  record.clinic_id = user.user.clinic_id();
  record.user_id = user.user.id();
  record.created_by = user.user.id();
  // An anonymous request must not cancel a reset an admin or clinician sent: older links stay.
  absl::StatusOr<v1::Invitation> issued =
      IssueOneTimeToken(scope.uow, secrets_, ids_, box_, std::move(record), user.user.email(),
                        scope.now, kPasswordResetLifetime, /*replace_outstanding=*/false);
  if (!issued.ok()) {
    return issued.status();
  }
  return google::protobuf::Empty();
}

absl::StatusOr<google::protobuf::Empty> AccountService::ResetPassword(
    const v1::ResetPasswordRequest& request, RequestScope& scope) {
  const auto* prepared = std::any_cast<PreparedPassword>(scope.prepared);
  if (prepared == nullptr) {
    // The session changed between the prepare step and now (e.g. its second factor was just
    // confirmed elsewhere): nothing was done, and the same request will work.
    return absl::UnavailableError("the session changed during the request; retry");
  }
  absl::StatusOr<OneTimeTokenRecord> token =
      Redeem(scope.uow, secrets_, request.token(), {TokenPurpose::kPasswordReset}, scope.now);
  if (!token.ok()) {
    return token.status();
  }
  scope.audit.clinic_id = token->clinic_id;
  scope.audit.actor_user_id = token->user_id;
  scope.audit.resource = absl::StrCat("users/", token->user_id);
  if (absl::Status s = scope.uow.users().UpdatePasswordHash(token->user_id, prepared->new_hash);
      !s.ok()) {
    return s.code() == absl::StatusCode::kNotFound ? BadToken() : s;
  }
  absl::StatusOr<int> revoked = scope.uow.sessions().RevokeAllOfUser(token->user_id, "", scope.now);
  if (!revoked.ok()) {
    return revoked.status();
  }
  return google::protobuf::Empty();
}

absl::StatusOr<v1::User> AccountService::AcceptInvitation(
    const v1::AcceptInvitationRequest& request, RequestScope& scope) {
  const auto* prepared = std::any_cast<PreparedPassword>(scope.prepared);
  if (prepared == nullptr) {
    // The session changed between the prepare step and now (e.g. its second factor was just
    // confirmed elsewhere): nothing was done, and the same request will work.
    return absl::UnavailableError("the session changed during the request; retry");
  }
  // A partner invitation counts only while the client's partner-involvement consent is in
  // force. Withdrawing it revokes pending invitations, so an older one is answered exactly like
  // any revoked or used token, without saying why. The consent is locked before the token (the
  // order a withdrawal takes them in: consent, then links and invitations), so a withdrawal
  // running at the same time waits for this acceptance and then revokes the new link.
  auto consent_in_force = [&](const OneTimeTokenRecord& found) -> absl::Status {
    if (found.purpose != TokenPurpose::kPartnerInvitation) {
      return absl::OkStatus();
    }
    absl::Status consent = RequireConsent(scope.uow, found.clinic_id, found.client_id,
                                          v1::CONSENT_KIND_PARTNER_INVOLVEMENT);
    return consent.code() == absl::StatusCode::kFailedPrecondition ? BadToken() : consent;
  };
  absl::StatusOr<OneTimeTokenRecord> token = Redeem(
      scope.uow, secrets_, request.token(), kInvitationPurposes, scope.now, consent_in_force);
  if (!token.ok()) {
    return token.status();
  }
  if (token->purpose == TokenPurpose::kPatientInvitation) {
    // One portal account per client record, even if two invitations went out to two addresses.
    absl::StatusOr<std::optional<UserRecord>> existing =
        scope.uow.users().FindPatientOfClient(token->clinic_id, token->client_id);
    if (!existing.ok()) {
      return existing.status();
    }
    if (existing->has_value()) {
      return absl::AlreadyExistsError(
          "this client already has a portal account; sign in or ask the clinic for a reset link");
    }
  }
  UserRecord account;
  account.user.set_id(ids_.NewId());
  account.user.set_clinic_id(token->clinic_id);
  account.user.set_email(token->email);
  account.user.set_display_name(request.display_name().empty() ? token->display_name
                                                               : request.display_name());
  account.user.set_role(token->role);
  account.user.set_discipline(token->discipline);
  account.user.set_client_id(token->client_id);
  account.password_hash = prepared->new_hash;
  scope.audit.clinic_id = token->clinic_id;
  scope.audit.actor_user_id = account.user.id();
  scope.audit.actor_role = RoleName(token->role);
  scope.audit.client_id = token->client_id;
  scope.audit.resource = absl::StrCat("users/", account.user.id());
  if (absl::Status inserted = scope.uow.users().Insert(account, scope.now); !inserted.ok()) {
    if (inserted.code() == absl::StatusCode::kAlreadyExists) {
      return absl::AlreadyExistsError(
          "an account with this email already exists; sign in or reset its password");
    }
    return inserted;
  }
  if (token->purpose == TokenPurpose::kPartnerInvitation) {
    PartnerLinkRecord link{.id = ids_.NewId(),
                           .clinic_id = token->clinic_id,
                           .client_id = token->client_id,
                           .partner_user_id = account.user.id(),
                           .shares = token->partner_shares,
                           .create_time = scope.now,
                           .update_time = scope.now,
                           .revoke_time = std::nullopt};
    if (absl::Status linked = scope.uow.partner_links().Insert(link); !linked.ok()) {
      return linked;
    }
  }
  return account.user;
}

absl::StatusOr<v1::BeginTotpEnrollmentResponse> AccountService::BeginTotpEnrollment(
    const v1::BeginTotpEnrollmentRequest&, RequestScope& scope) {
  const std::string& user_id = scope.principal->user_id;
  scope.audit.resource = absl::StrCat("users/", user_id, "/totp");
  absl::StatusOr<std::optional<UserRecord>> me = scope.uow.users().FindById(user_id);
  if (!me.ok()) {
    return me.status();
  }
  if (!me->has_value()) {
    return absl::NotFoundError("account not found");
  }
  if (absl::Status allowed = MayReplaceSecondFactor(**me, *scope.principal); !allowed.ok()) {
    return allowed;
  }
  const std::string secret = secrets_.RandomBytes(kTotpSecretBytes);
  absl::StatusOr<std::string> sealed = box_.Seal(secret, PendingTotpSecretContext(user_id));
  if (!sealed.ok()) {
    return sealed.status();
  }
  if (absl::Status stored =
          scope.uow.users().UpdateTotpSecrets(user_id, (*me)->totp_secret_sealed, *sealed);
      !stored.ok()) {
    return stored;
  }
  v1::BeginTotpEnrollmentResponse response;
  response.set_secret(Base32Encode(secret));
  response.set_otpauth_uri(OtpauthUri(kIssuer, (*me)->user.email(), response.secret()));
  return response;
}

absl::StatusOr<v1::ConfirmTotpEnrollmentResponse> AccountService::ConfirmTotpEnrollment(
    const v1::ConfirmTotpEnrollmentRequest& request, RequestScope& scope) {
  const std::string& user_id = scope.principal->user_id;
  scope.audit.resource = absl::StrCat("users/", user_id, "/totp");
  absl::StatusOr<std::optional<UserRecord>> me = scope.uow.users().FindById(user_id);
  if (!me.ok()) {
    return me.status();
  }
  if (!me->has_value() || (*me)->totp_pending_sealed.empty()) {
    return absl::FailedPreconditionError(
        "no enrolment in progress: call BeginTotpEnrollment first");
  }
  if (absl::Status allowed = MayReplaceSecondFactor(**me, *scope.principal); !allowed.ok()) {
    return allowed;
  }
  absl::StatusOr<std::string> secret =
      box_.Open((*me)->totp_pending_sealed, PendingTotpSecretContext(user_id));
  if (!secret.ok()) {
    return absl::InternalError("the pending second factor cannot be read");
  }
  std::optional<int64_t> step =
      MatchTotp(mac_, *secret, request.totp_code(), scope.now, (*me)->totp_last_step);
  if (!step.has_value()) {
    return InvalidField("totp_code", "does not match the new secret (check the device's clock)");
  }
  absl::StatusOr<bool> advanced = scope.uow.users().AdvanceTotpStep(user_id, *step);
  if (!advanced.ok()) {
    return advanced.status();
  }
  if (!*advanced) {
    return InvalidField("totp_code", "was already used; wait for the next code");
  }
  absl::StatusOr<std::string> sealed = box_.Seal(*secret, TotpSecretContext(user_id));
  if (!sealed.ok()) {
    return sealed.status();
  }
  if (absl::Status stored = scope.uow.users().UpdateTotpSecrets(user_id, *sealed, "");
      !stored.ok()) {
    return stored;
  }
  v1::ConfirmTotpEnrollmentResponse response;
  std::vector<std::string> digests;
  for (int i = 0; i < kRecoveryCodeCount; ++i) {
    const std::string code =
        FormatRecoveryCode(Base32Encode(secrets_.RandomBytes(kRecoveryCodeBytes)));
    digests.push_back(secrets_.Digest(NormalizeRecoveryCode(code)));
    response.add_recovery_codes(code);
  }
  if (absl::Status stored = scope.uow.users().ReplaceRecoveryCodes(user_id, digests);
      !stored.ok()) {
    return stored;
  }
  // This session just proved possession of the new factor. Any other session of the account
  // (perhaps someone who learnt the password before the factor existed) ends.
  if (absl::Status marked = scope.uow.sessions().MarkMfaVerified(scope.principal->session_id);
      !marked.ok()) {
    return marked;
  }
  absl::StatusOr<int> ended =
      scope.uow.sessions().RevokeAllOfUser(user_id, scope.principal->session_id, scope.now);
  if (!ended.ok()) {
    return ended.status();
  }
  return response;
}

void AccountService::Register(MethodTable& table) {
  table.Add(MethodDefinition<v1::ChangePasswordRequest, google::protobuf::Empty>{
      .full_name = "confide.v1.AuthService.ChangePassword",
      .mode = TransactionMode::kWrite,
      .validate =
          [](const v1::ChangePasswordRequest& r) {
            if (r.current_password().empty() || r.current_password().size() > 256) {
              return InvalidField("current_password", "is required");
            }
            return CheckNewPassword(r.new_password(), "new_password");
          },
      .handler = [this](const auto& r, RequestScope& s) { return ChangePassword(r, s); },
      .prepare = [this](const auto& r, PrepareScope& s) { return PrepareChangePassword(r, s); }});
  table.Add(MethodDefinition<v1::RequestPasswordResetRequest, google::protobuf::Empty>{
      .full_name = "confide.v1.AuthService.RequestPasswordReset",
      .mode = TransactionMode::kWrite,
      .is_public = true,
      .validate =
          [](const v1::RequestPasswordResetRequest& r) {
            return IsAccountEmail(r.email())
                       ? absl::OkStatus()
                       : InvalidField("email", "must be an email address (at most 254 characters)");
          },
      .handler = [this](const auto& r, RequestScope& s) { return RequestPasswordReset(r, s); }});
  table.Add(MethodDefinition<v1::ResetPasswordRequest, google::protobuf::Empty>{
      .full_name = "confide.v1.AuthService.ResetPassword",
      .mode = TransactionMode::kWrite,
      .is_public = true,
      .validate =
          [](const v1::ResetPasswordRequest& r) {
            if (absl::Status token = ValidateToken(r.token()); !token.ok()) {
              return token;
            }
            return CheckNewPassword(r.new_password(), "new_password");
          },
      .handler = [this](const auto& r, RequestScope& s) { return ResetPassword(r, s); },
      .prepare =
          [this](const auto& r, PrepareScope& s) {
            return HashForToken(r.token(), r.new_password(), {TokenPurpose::kPasswordReset}, s);
          }});
  table.Add(MethodDefinition<v1::AcceptInvitationRequest, v1::User>{
      .full_name = "confide.v1.AuthService.AcceptInvitation",
      .mode = TransactionMode::kWrite,
      .is_public = true,
      .validate =
          [](const v1::AcceptInvitationRequest& r) {
            if (absl::Status token = ValidateToken(r.token()); !token.ok()) {
              return token;
            }
            if (r.display_name().size() > 200 || !IsValidUtf8(r.display_name()) ||
                !HasNoControlCharacters(r.display_name())) {
              return InvalidField("display_name", "is at most 200 characters of text");
            }
            return CheckNewPassword(r.password(), "password");
          },
      .handler = [this](const auto& r, RequestScope& s) { return AcceptInvitation(r, s); },
      .prepare =
          [this](const auto& r, PrepareScope& s) {
            return HashForToken(r.token(), r.password(), kInvitationPurposes, s);
          }});
  table.Add(MethodDefinition<v1::BeginTotpEnrollmentRequest, v1::BeginTotpEnrollmentResponse>{
      .full_name = "confide.v1.AuthService.BeginTotpEnrollment",
      .mode = TransactionMode::kWrite,
      .allowed_before_mfa = true,
      .handler = [this](const auto& r, RequestScope& s) { return BeginTotpEnrollment(r, s); }});
  table.Add(MethodDefinition<v1::ConfirmTotpEnrollmentRequest, v1::ConfirmTotpEnrollmentResponse>{
      .full_name = "confide.v1.AuthService.ConfirmTotpEnrollment",
      .mode = TransactionMode::kWrite,
      .allowed_before_mfa = true,
      .validate =
          [](const v1::ConfirmTotpEnrollmentRequest& r) {
            return (r.totp_code().size() == 6 &&
                    std::all_of(r.totp_code().begin(), r.totp_code().end(),
                                [](char c) { return c >= '0' && c <= '9'; }))
                       ? absl::OkStatus()
                       : InvalidField("totp_code", "must be 6 digits");
          },
      .handler = [this](const auto& r, RequestScope& s) { return ConfirmTotpEnrollment(r, s); }});
}

}  // namespace confide
