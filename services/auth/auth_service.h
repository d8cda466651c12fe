#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "confide/v1/auth.pb.h"
#include "google/protobuf/empty.pb.h"
#include "services/api/method_table.h"
#include "services/auth/password_checker.h"
#include "services/auth/ports/secret_generator.h"
#include "services/auth/sign_in_throttle.h"
#include "services/common/id_generator.h"
#include "services/crypto/ports/message_authenticator.h"
#include "services/crypto/ports/secret_box.h"

namespace confide {

// How long sessions last: an absolute limit from sign-in and an idle limit from the last request.
// Partners get the patient limits.
struct SessionPolicy {
  absl::Duration staff_absolute = absl::Hours(8);
  absl::Duration staff_idle = absl::Minutes(15);
  absl::Duration patient_absolute = absl::Hours(24 * 30);
  absl::Duration patient_idle = absl::Minutes(30);
};

// Sign-in (password, then TOTP or a recovery code), sign-out, and the caller's own sessions.
class AuthService {
 public:
  AuthService(PasswordChecker& passwords, SecretGenerator& secrets, IdGenerator& ids,
              const SecretBox& box, const MessageAuthenticator& mac, SessionPolicy sessions,
              LockoutPolicy lockout);

  // Checks lockout and the password outside any transaction (argon2id is slow on purpose) and
  // leaves the outcome for Login.
  absl::Status VerifyPassword(const v1::LoginRequest& request, PrepareScope& scope);
  // Checks the second factor, counts failures towards lockout, and opens a session.
  absl::StatusOr<v1::LoginResponse> Login(const v1::LoginRequest& request, RequestScope& scope);
  absl::StatusOr<google::protobuf::Empty> Logout(const v1::LogoutRequest& request,
                                                 RequestScope& scope);
  absl::StatusOr<v1::User> GetCurrentUser(const v1::GetCurrentUserRequest&, RequestScope& scope);
  absl::StatusOr<v1::ListMySessionsResponse> ListMySessions(const v1::ListMySessionsRequest&,
                                                            RequestScope& scope);
  absl::StatusOr<google::protobuf::Empty> RevokeMySession(const v1::RevokeMySessionRequest&,
                                                          RequestScope& scope);

  // Adds Login, Logout, GetCurrentUser, ListMySessions and RevokeMySession to `table`.
  void Register(MethodTable& table);

 private:
  PasswordChecker& passwords_;
  SecretGenerator& secrets_;
  IdGenerator& ids_;
  const SecretBox& box_;
  const MessageAuthenticator& mac_;
  SessionPolicy session_policy_;
  SignInThrottle throttle_;
};

// The SecretBox context of a user's enrolled TOTP secret and of one being enrolled.
std::string TotpSecretContext(std::string_view user_id);
std::string PendingTotpSecretContext(std::string_view user_id);
// Recovery codes are compared case-insensitively, ignoring dashes and spaces.
std::string NormalizeRecoveryCode(std::string_view code);

}  // namespace confide
