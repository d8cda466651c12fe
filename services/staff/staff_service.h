#pragma once

#include "absl/status/statusor.h"
#include "confide/v1/access.pb.h"
#include "services/api/method_table.h"
#include "services/auth/ports/secret_generator.h"
#include "services/common/id_generator.h"
#include "services/crypto/ports/secret_box.h"

namespace confide {

// The clinic's staff accounts (admins invite, deactivate and reset) and the clinic itself.
class StaffService {
 public:
  StaffService(SecretGenerator& secrets, IdGenerator& ids, const SecretBox& box)
      : secrets_(secrets), ids_(ids), box_(box) {}

  absl::StatusOr<v1::Clinic> GetMyClinic(const v1::GetMyClinicRequest&, RequestScope& scope);
  absl::StatusOr<v1::Invitation> InviteStaff(const v1::InviteStaffRequest& request,
                                             RequestScope& scope);
  absl::StatusOr<v1::ListStaffResponse> ListStaff(const v1::ListStaffRequest& request,
                                                  RequestScope& scope);
  // Deactivation ends every session of the account at once.
  absl::StatusOr<v1::StaffMember> SetActive(std::string_view user_id, bool active,
                                            RequestScope& scope);
  // A clinic system's account and its long-lived service token (gRPC only, demographics only).
  absl::StatusOr<v1::ServiceAccountToken> CreateServiceAccount(
      const v1::CreateServiceAccountRequest& request, RequestScope& scope);
  absl::StatusOr<v1::Invitation> IssuePasswordReset(
      const v1::IssueStaffPasswordResetRequest& request, RequestScope& scope);

  void Register(MethodTable& table);

 private:
  SecretGenerator& secrets_;
  IdGenerator& ids_;
  const SecretBox& box_;
};

// Checks an email address for an invitation: required, at most 254 characters, one '@' with
// text either side, no spaces or control characters. INVALID_ARGUMENT naming `field`.
absl::Status ValidateInviteEmail(std::string_view email, std::string_view field);
// Checks a display name: 1..200 characters of printable UTF-8.
absl::Status ValidateDisplayName(std::string_view name, std::string_view field, bool required);

}  // namespace confide
