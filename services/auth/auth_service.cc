#include "services/auth/auth_service.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "services/api/field_errors.h"
#include "services/auth/ports/session_repository.h"
#include "services/auth/ports/user_repository.h"
#include "services/common/text_checks.h"
#include "services/common/timestamps.h"

namespace confide {
namespace {

// Long enough for any passphrase, short enough that hashing cannot be used to burn CPU.
constexpr size_t kMaxPasswordLength = 256;

absl::Status WrongCredentials() {
  return absl::UnauthenticatedError("email or password is incorrect");
}

absl::Status ValidateLogin(const v1::LoginRequest& request) {
  std::vector<FieldViolation> violations;
  if (request.email().empty() || request.email().size() > 254 ||
      !HasNoControlCharacters(request.email()) || !IsValidUtf8(request.email())) {
    violations.push_back({"email", "is required (at most 254 characters)"});
  }
  if (request.password().empty() || request.password().size() > kMaxPasswordLength ||
      !IsValidUtf8(request.password())) {
    violations.push_back({"password", "is required (at most 256 characters)"});
  }
  return InvalidFields(violations);
}

// What VerifyPassword hands to Login.
struct VerifiedSignIn {
  std::string user_id;
  // Set when the stored hash was made with other costs and must be replaced.
  std::string new_password_hash;
};

bool IsStaff(v1::Role role) {
  return role == v1::ROLE_ADMIN || role == v1::ROLE_CLINICIAN || role == v1::ROLE_AUDITOR;
}

}  // namespace

AuthService::AuthService(PasswordHasher& hasher, SecretGenerator& secrets, IdGenerator& ids,
                         SessionLifetimes lifetimes, SignInLimits limits)
    : hasher_(hasher),
      secrets_(secrets),
      ids_(ids),
      lifetimes_(lifetimes),
      max_wait_(limits.max_wait),
      sign_in_slots_(std::max(1, limits.max_concurrent)) {
  absl::StatusOr<std::string> dummy = hasher_.Hash(secrets_.NewSessionToken());
  if (!dummy.ok()) {
    // Without a dummy hash, unknown emails would answer instantly and reveal which exist.
    std::fprintf(stderr, "auth: cannot compute the dummy password hash: %s\n",
                 dummy.status().ToString().c_str());
    std::abort();
  }
  dummy_hash_ = *std::move(dummy);
}

absl::Status AuthService::VerifyPassword(const v1::LoginRequest& request, PrepareScope& scope) {
  const std::string email = absl::AsciiStrToLower(absl::StripAsciiWhitespace(request.email()));
  scope.audit.resource = "sessions";
  std::optional<UserRecord> account;
  absl::Status read = scope.transactions.Run(TransactionMode::kRead, [&](UnitOfWork& uow) {
    absl::StatusOr<std::optional<UserRecord>> found = uow.users().FindByEmail(email);
    if (!found.ok()) {
      return found.status();
    }
    account = *std::move(found);
    return absl::OkStatus();
  });
  if (!read.ok()) {
    return read;
  }
  // Hashing happens here, outside any transaction, so a sign-in never holds the SQLite writer.
  if (!sign_in_slots_.try_acquire_for(absl::ToChronoMilliseconds(max_wait_))) {
    return absl::ResourceExhaustedError("too many sign-ins at once; retry in a few seconds");
  }
  struct SlotRelease {
    std::counting_semaphore<>& slots;
    ~SlotRelease() { slots.release(); }
  } release{sign_in_slots_};
  if (!account.has_value()) {
    hasher_.Verify(request.password(), dummy_hash_);
    return WrongCredentials();
  }
  scope.audit.actor_user_id = account->user.id();
  scope.audit.clinic_id = account->user.clinic_id();
  scope.audit.actor_role = RoleName(account->user.role());
  if (!hasher_.Verify(request.password(), account->password_hash) || !account->active) {
    return WrongCredentials();
  }
  VerifiedSignIn verified{.user_id = account->user.id(), .new_password_hash = {}};
  if (hasher_.NeedsRehash(account->password_hash)) {
    // Made under an older cost setting: replace it now that the password is known to be right.
    absl::StatusOr<std::string> rehashed = hasher_.Hash(request.password());
    if (rehashed.ok()) {
      verified.new_password_hash = *std::move(rehashed);
    }
  }
  scope.prepared = std::move(verified);
  return absl::OkStatus();
}

absl::StatusOr<v1::LoginResponse> AuthService::Login(const v1::LoginRequest&, RequestScope& scope) {
  const auto* verified = std::any_cast<VerifiedSignIn>(scope.prepared);
  if (verified == nullptr) {
    return absl::InternalError("sign-in was not verified");
  }
  // Read again inside the write transaction: the account may have been deactivated meanwhile.
  absl::StatusOr<std::optional<UserRecord>> found = scope.uow.users().FindById(verified->user_id);
  if (!found.ok()) {
    return found.status();
  }
  if (!found->has_value() || !(*found)->active) {
    return WrongCredentials();
  }
  const UserRecord& account = **found;
  if (!verified->new_password_hash.empty()) {
    if (absl::Status s =
            scope.uow.users().UpdatePasswordHash(account.user.id(), verified->new_password_hash);
        !s.ok()) {
      return s;
    }
  }
  SessionRecord session;
  session.id = ids_.NewId();
  const std::string token = secrets_.NewSessionToken();
  session.token_digest = secrets_.Digest(token);
  session.user_id = account.user.id();
  session.clinic_id = account.user.clinic_id();
  session.create_time = scope.now;
  session.expire_time =
      scope.now + (IsStaff(account.user.role()) ? lifetimes_.staff : lifetimes_.patient);
  if (absl::Status stored = scope.uow.sessions().Insert(session); !stored.ok()) {
    return stored;
  }
  scope.audit.resource = absl::StrCat("sessions/", session.id);
  v1::LoginResponse response;
  response.set_session_token(token);
  *response.mutable_expire_time() = ToTimestamp(session.expire_time);
  *response.mutable_user() = account.user;
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
      .handler = [this](const auto& r, RequestScope& s) { return Logout(r, s); }});
}

}  // namespace confide
