#pragma once

#include <initializer_list>
#include <string>

#include "absl/status/statusor.h"
#include "confide/v1/auth.pb.h"
#include "google/protobuf/empty.pb.h"
#include "services/api/method_table.h"
#include "services/auth/password_checker.h"
#include "services/auth/ports/one_time_token_repository.h"
#include "services/auth/ports/secret_generator.h"
#include "services/common/id_generator.h"
#include "services/crypto/ports/message_authenticator.h"
#include "services/crypto/ports/secret_box.h"

namespace confide {

// The caller's own account: passwords (change, reset with a token), accepting an invitation, and
// TOTP enrolment with recovery codes.
class AccountService {
 public:
  AccountService(PasswordChecker& passwords, SecretGenerator& secrets, IdGenerator& ids,
                 const SecretBox& box, const MessageAuthenticator& mac)
      : passwords_(passwords), secrets_(secrets), ids_(ids), box_(box), mac_(mac) {}

  absl::StatusOr<google::protobuf::Empty> ChangePassword(const v1::ChangePasswordRequest& request,
                                                         RequestScope& scope);
  absl::StatusOr<google::protobuf::Empty> RequestPasswordReset(
      const v1::RequestPasswordResetRequest& request, RequestScope& scope);
  absl::StatusOr<google::protobuf::Empty> ResetPassword(const v1::ResetPasswordRequest& request,
                                                        RequestScope& scope);
  absl::StatusOr<v1::User> AcceptInvitation(const v1::AcceptInvitationRequest& request,
                                            RequestScope& scope);
  absl::StatusOr<v1::BeginTotpEnrollmentResponse> BeginTotpEnrollment(
      const v1::BeginTotpEnrollmentRequest& request, RequestScope& scope);
  absl::StatusOr<v1::ConfirmTotpEnrollmentResponse> ConfirmTotpEnrollment(
      const v1::ConfirmTotpEnrollmentRequest& request, RequestScope& scope);

  void Register(MethodTable& table);

 private:
  // Prepare steps: the argon2 work, outside the transaction.
  absl::Status PrepareChangePassword(const v1::ChangePasswordRequest& request, PrepareScope& scope);
  absl::Status HashNewPassword(std::string_view password, PrepareScope& scope);
  // HashNewPassword, but only when `token` is a live token of one of `purposes`.
  absl::Status HashForToken(std::string_view token, std::string_view password,
                            std::initializer_list<TokenPurpose> purposes, PrepareScope& scope);

  PasswordChecker& passwords_;
  SecretGenerator& secrets_;
  IdGenerator& ids_;
  const SecretBox& box_;
  const MessageAuthenticator& mac_;
};

}  // namespace confide
