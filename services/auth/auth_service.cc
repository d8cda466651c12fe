#include "services/auth/auth_service.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "services/api/error_info.h"
#include "services/api/field_errors.h"
#include "services/auth/ports/session_repository.h"
#include "services/auth/ports/sign_in_throttle_repository.h"
#include "services/auth/ports/user_repository.h"
#include "services/auth/totp.h"
#include "services/common/text_checks.h"
#include "services/common/timestamps.h"

namespace confide {
namespace {

absl::Status WrongCredentials() {
  return absl::UnauthenticatedError("email or password is incorrect");
}

absl::Status MfaRequired() {
  return WithErrorInfo(
      absl::UnauthenticatedError("a code from the authenticator app (totpCode) or a recovery code "
                                 "(recoveryCode) is required"),
      "MFA_REQUIRED");
}

absl::Status MfaCodeInvalid() {
  return WithErrorInfo(
      absl::UnauthenticatedError("the authentication code is wrong, expired or already used"),
      "MFA_CODE_INVALID");
}

absl::Status Locked(absl::Duration remaining) {
  const int64_t seconds =
      std::max<int64_t>(1, absl::ToInt64Seconds(absl::Ceil(remaining, absl::Seconds(1))));
  return WithErrorInfo(absl::ResourceExhaustedError(absl::StrCat(
                           "too many failed sign-ins; try again in ", seconds, " seconds")),
                       "SIGN_IN_LOCKED", {{"retryAfterSeconds", absl::StrCat(seconds)}});
}

absl::Status ValidateLogin(const v1::LoginRequest& request) {
  std::vector<FieldViolation> violations;
  // Anything but an email address is refused before anything is stored about it (a password
  // typed into the email field must not end up in the lockout table, even as a digest).
  if (!IsAccountEmail(request.email())) {
    violations.push_back({"email", "must be an email address (at most 254 characters)"});
  }
  if (request.password().empty() || request.password().size() > 256 ||
      !IsValidUtf8(request.password())) {
    violations.push_back({"password", "is required (at most 256 characters)"});
  }
  if (request.totp_code().size() > 8 ||
      !std::all_of(request.totp_code().begin(), request.totp_code().end(),
                   [](char c) { return c >= '0' && c <= '9'; })) {
    violations.push_back({"totp_code", "must be the 6 digits the authenticator app shows"});
  }
  if (request.recovery_code().size() > 64 || !HasNoControlCharacters(request.recovery_code()) ||
      !IsValidUtf8(request.recovery_code())) {
    violations.push_back({"recovery_code", "is at most 64 characters"});
  }
  if (!request.totp_code().empty() && !request.recovery_code().empty()) {
    violations.push_back({"recovery_code", "give either totp_code or recovery_code, not both"});
  }
  return InvalidFields(violations);
}

// What VerifyPassword hands to Login.
struct SignInAttempt {
  std::string email_key;
  std::string address_key;
  // Empty when no account has the email.
  std::string user_id;
  bool password_ok = false;
  // Set when the stored hash was made with other costs and must be replaced.
  std::string new_password_hash;
};

}  // namespace

std::string TotpSecretContext(std::string_view user_id) {
  return absl::StrCat("users.totp_secret_sealed:", std::string(user_id));
}

std::string PendingTotpSecretContext(std::string_view user_id) {
  return absl::StrCat("users.totp_pending_sealed:", std::string(user_id));
}

std::string NormalizeRecoveryCode(std::string_view code) {
  std::string normalized;
  for (char c : code) {
    if (c != '-' && c != ' ') {
      normalized.push_back(absl::ascii_toupper(static_cast<unsigned char>(c)));
    }
  }
  return normalized;
}

AuthService::AuthService(PasswordChecker& passwords, SecretGenerator& secrets, IdGenerator& ids,
                         const SecretBox& box, const MessageAuthenticator& mac,
                         SessionPolicy sessions, LockoutPolicy lockout)
    : passwords_(passwords),
      secrets_(secrets),
      ids_(ids),
      box_(box),
      mac_(mac),
      session_policy_(sessions),
      throttle_(std::move(lockout)) {}

absl::Status AuthService::VerifyPassword(const v1::LoginRequest& request, PrepareScope& scope) {
  const std::string email = NormalizeEmail(request.email());
  scope.audit.resource = "sessions";
  SignInAttempt attempt;
  attempt.email_key = EmailThrottleKey(mac_, throttle_.policy(), email);
  attempt.address_key = absl::StrCat("address:", scope.call.source_address);
  std::optional<UserRecord> account;
  absl::Duration locked_for;
  absl::Status read = scope.transactions.Run(TransactionMode::kRead, [&](UnitOfWork& uow) {
    absl::StatusOr<std::optional<UserRecord>> found = uow.users().FindByEmail(email);
    if (!found.ok()) {
      return found.status();
    }
    account = *std::move(found);
    for (const std::string* key : {&attempt.email_key, &attempt.address_key}) {
      absl::StatusOr<std::optional<ThrottleRecord>> record = uow.sign_in_throttle().Find(*key);
      if (!record.ok()) {
        return record.status();
      }
      locked_for = std::max(locked_for, SignInThrottle::LockedFor(*record, scope.now));
    }
    return absl::OkStatus();
  });
  if (!read.ok()) {
    return read;
  }
  if (account.has_value()) {
    scope.audit.actor_user_id = account->user.id();
    scope.audit.clinic_id = account->user.clinic_id();
    scope.audit.actor_role = RoleName(account->user.role());
  }
  if (locked_for > absl::ZeroDuration()) {
    // Known and unknown emails lock alike, and no password is checked while locked.
    return Locked(locked_for);
  }
  // Unknown emails verify against a dummy hash: the same argon2 work either way.
  absl::StatusOr<bool> matches =
      passwords_.Verify(request.password(), account.has_value() ? account->password_hash : "");
  if (!matches.ok()) {
    return matches.status();
  }
  attempt.password_ok = *matches;
  if (account.has_value()) {
    attempt.user_id = account->user.id();
    if (attempt.password_ok && passwords_.NeedsRehash(account->password_hash)) {
      // Made under an older cost setting: replace it now that the password is known to be right.
      absl::StatusOr<std::string> rehashed = passwords_.Hash(request.password());
      if (rehashed.ok()) {
        attempt.new_password_hash = *std::move(rehashed);
      }
    }
  }
  scope.prepared = std::move(attempt);
  return absl::OkStatus();
}

absl::StatusOr<v1::LoginResponse> AuthService::Login(const v1::LoginRequest& request,
                                                     RequestScope& scope) {
  const auto* attempt = std::any_cast<SignInAttempt>(scope.prepared);
  if (attempt == nullptr) {
    return absl::InternalError("sign-in was not verified");
  }
  const absl::Time now = scope.now;
  scope.record_failure = [this, attempt, now](UnitOfWork& uow) -> absl::Status {
    const std::pair<const std::string*, int> keys[] = {
        {&attempt->email_key, throttle_.policy().email_threshold},
        {&attempt->address_key, throttle_.policy().address_threshold}};
    for (const auto& [key, threshold] : keys) {
      absl::StatusOr<std::optional<ThrottleRecord>> before = uow.sign_in_throttle().Find(*key);
      if (!before.ok()) {
        return before.status();
      }
      if (absl::Status put =
              uow.sign_in_throttle().Put(throttle_.AfterFailure(*key, *before, threshold, now));
          !put.ok()) {
        return put;
      }
    }
    return uow.sign_in_throttle().ForgetOlderThan(now - throttle_.policy().forget_after);
  };
  // Checked again here, in the write transaction: sign-ins that were already hashing when the
  // lock began must not each get their answer (that would let parallel guesses through).
  absl::Duration locked_for;
  for (const std::string* key : {&attempt->email_key, &attempt->address_key}) {
    absl::StatusOr<std::optional<ThrottleRecord>> record = scope.uow.sign_in_throttle().Find(*key);
    if (!record.ok()) {
      return record.status();
    }
    locked_for = std::max(locked_for, SignInThrottle::LockedFor(*record, now));
  }
  if (locked_for > absl::ZeroDuration()) {
    scope.record_failure = nullptr;
    return Locked(locked_for);
  }
  if (!attempt->password_ok) {
    return WrongCredentials();
  }
  // Read again inside the write transaction: the account may have been deactivated meanwhile.
  absl::StatusOr<std::optional<UserRecord>> found = scope.uow.users().FindById(attempt->user_id);
  if (!found.ok()) {
    return found.status();
  }
  if (!found->has_value() || !(*found)->active) {
    return WrongCredentials();
  }
  const UserRecord& account = **found;
  bool mfa_verified = false;
  if (!account.totp_secret_sealed.empty()) {
    if (request.totp_code().empty() && request.recovery_code().empty()) {
      // The normal first step of a two-step sign-in, not a failure.
      scope.record_failure = nullptr;
      return MfaRequired();
    }
    if (!request.totp_code().empty()) {
      absl::StatusOr<std::string> secret =
          box_.Open(account.totp_secret_sealed, TotpSecretContext(account.user.id()));
      if (!secret.ok()) {
        return absl::InternalError("the account's second factor cannot be read");
      }
      std::optional<int64_t> step =
          MatchTotp(mac_, *secret, request.totp_code(), now, account.totp_last_step);
      if (!step.has_value()) {
        return MfaCodeInvalid();
      }
      absl::StatusOr<bool> advanced = scope.uow.users().AdvanceTotpStep(account.user.id(), *step);
      if (!advanced.ok()) {
        return advanced.status();
      }
      if (!*advanced) {
        return MfaCodeInvalid();
      }
    } else {
      absl::StatusOr<bool> used = scope.uow.users().UseRecoveryCode(
          account.user.id(), secrets_.Digest(NormalizeRecoveryCode(request.recovery_code())), now);
      if (!used.ok()) {
        return used.status();
      }
      if (!*used) {
        return MfaCodeInvalid();
      }
    }
    mfa_verified = true;
  }
  if (!attempt->new_password_hash.empty()) {
    if (absl::Status s =
            scope.uow.users().UpdatePasswordHash(account.user.id(), attempt->new_password_hash);
        !s.ok()) {
      return s;
    }
  }
  if (absl::Status cleared = scope.uow.sign_in_throttle().Clear(attempt->email_key);
      !cleared.ok()) {
    return cleared;
  }
  const bool staff = IsStaffRole(account.user.role());
  SessionRecord session;
  session.id = ids_.NewId();
  const std::string token = secrets_.NewSessionToken();
  session.token_digest = secrets_.Digest(token);
  session.user_id = account.user.id();
  session.clinic_id = account.user.clinic_id();
  session.create_time = now;
  session.last_seen_time = now;
  session.expire_time =
      now + (staff ? session_policy_.staff_absolute : session_policy_.patient_absolute);
  session.idle_timeout = staff ? session_policy_.staff_idle : session_policy_.patient_idle;
  session.mfa_verified = mfa_verified;
  session.source_address = scope.call.source_address;
  if (absl::Status stored = scope.uow.sessions().Insert(session); !stored.ok()) {
    return stored;
  }
  scope.audit.resource = absl::StrCat("sessions/", session.id);
  v1::LoginResponse response;
  response.set_session_token(token);
  *response.mutable_expire_time() = ToTimestamp(session.expire_time);
  *response.mutable_user() = account.user;
  response.set_mfa_enrollment_required(staff && !mfa_verified);
  return response;
}

absl::StatusOr<google::protobuf::Empty> AuthService::Logout(const v1::LogoutRequest&,
                                                            RequestScope& scope) {
  scope.audit.resource = absl::StrCat("sessions/", scope.principal->session_id);
  if (absl::Status revoked = scope.uow.sessions().Revoke(scope.principal->session_id, scope.now);
      !revoked.ok()) {
    return revoked;
  }
  return google::protobuf::Empty();
}

absl::StatusOr<v1::User> AuthService::GetCurrentUser(const v1::GetCurrentUserRequest&,
                                                     RequestScope& scope) {
  scope.audit.resource = absl::StrCat("users/", scope.principal->user_id);
  absl::StatusOr<std::optional<UserRecord>> found =
      scope.uow.users().FindById(scope.principal->user_id);
  if (!found.ok()) {
    return found.status();
  }
  if (!found->has_value()) {
    // A session outliving its account is refused by authentication; this is a race with that.
    return absl::UnauthenticatedError("the session has ended");
  }
  return (*found)->user;
}

absl::StatusOr<v1::ListMySessionsResponse> AuthService::ListMySessions(
    const v1::ListMySessionsRequest&, RequestScope& scope) {
  scope.audit.resource = "sessions";
  absl::StatusOr<std::vector<SessionRecord>> live =
      scope.uow.sessions().ListLiveOfUser(scope.principal->user_id, scope.now);
  if (!live.ok()) {
    return live.status();
  }
  v1::ListMySessionsResponse response;
  for (const SessionRecord& record : *live) {
    const absl::Time idle_expire = record.idle_timeout > absl::ZeroDuration()
                                       ? record.last_seen_time + record.idle_timeout
                                       : record.expire_time;
    if (idle_expire <= scope.now) {
      continue;
    }
    v1::Session* session = response.add_sessions();
    session->set_id(record.id);
    *session->mutable_create_time() = ToTimestamp(record.create_time);
    *session->mutable_last_seen_time() = ToTimestamp(record.last_seen_time);
    *session->mutable_expire_time() = ToTimestamp(record.expire_time);
    *session->mutable_idle_expire_time() = ToTimestamp(std::min(idle_expire, record.expire_time));
    session->set_source_address(record.source_address);
    session->set_current(record.id == scope.principal->session_id);
  }
  return response;
}

absl::StatusOr<google::protobuf::Empty> AuthService::RevokeMySession(
    const v1::RevokeMySessionRequest& request, RequestScope& scope) {
  absl::StatusOr<std::vector<SessionRecord>> live =
      scope.uow.sessions().ListLiveOfUser(scope.principal->user_id, scope.now);
  if (!live.ok()) {
    return live.status();
  }
  // Only the caller's own sessions are found; anyone else's is as if it did not exist.
  auto mine = std::find_if(live->begin(), live->end(),
                           [&](const SessionRecord& s) { return s.id == request.session_id(); });
  if (mine == live->end()) {
    return absl::NotFoundError("session not found");
  }
  scope.audit.resource = absl::StrCat("sessions/", mine->id);
  if (absl::Status revoked = scope.uow.sessions().Revoke(mine->id, scope.now); !revoked.ok()) {
    return revoked;
  }
  return google::protobuf::Empty();
}

void AuthService::Register(MethodTable& table) {
  table.Add(MethodDefinition<v1::LoginRequest, v1::LoginResponse>{
      .full_name = "confide.v1.AuthService.Login",
      .mode = TransactionMode::kWrite,
      .is_public = true,
      .validate = ValidateLogin,
      .handler = [this](const auto& r, RequestScope& s) { return Login(r, s); },
      .prepare = [this](const auto& r, PrepareScope& s) { return VerifyPassword(r, s); }});
  table.Add(MethodDefinition<v1::LogoutRequest, google::protobuf::Empty>{
      .full_name = "confide.v1.AuthService.Logout",
      .mode = TransactionMode::kWrite,
      .allowed_before_mfa = true,
      .handler = [this](const auto& r, RequestScope& s) { return Logout(r, s); }});
  table.Add(MethodDefinition<v1::GetCurrentUserRequest, v1::User>{
      .full_name = "confide.v1.AuthService.GetCurrentUser",
      .mode = TransactionMode::kRead,
      .allowed_before_mfa = true,
      .handler = [this](const auto& r, RequestScope& s) { return GetCurrentUser(r, s); }});
  table.Add(MethodDefinition<v1::ListMySessionsRequest, v1::ListMySessionsResponse>{
      .full_name = "confide.v1.AuthService.ListMySessions",
      .mode = TransactionMode::kRead,
      .allowed_before_mfa = true,
      .handler = [this](const auto& r, RequestScope& s) { return ListMySessions(r, s); }});
  table.Add(MethodDefinition<v1::RevokeMySessionRequest, google::protobuf::Empty>{
      .full_name = "confide.v1.AuthService.RevokeMySession",
      .mode = TransactionMode::kWrite,
      .allowed_before_mfa = true,
      .validate =
          [](const v1::RevokeMySessionRequest& r) {
            return IsUuidText(r.session_id()) ? absl::OkStatus()
                                              : InvalidField("session_id", "must be a session id");
          },
      .handler = [this](const auto& r, RequestScope& s) { return RevokeMySession(r, s); }});
}

}  // namespace confide
