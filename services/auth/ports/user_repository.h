#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "confide/v1/auth.pb.h"

namespace confide {

// A user account as stored: the public profile plus what sign-in needs.
struct UserRecord {
  v1::User user;
  std::string password_hash;
  bool active = true;
  // SecretBox text of the TOTP secret; empty until enrolment is confirmed.
  std::string totp_secret_sealed;
  // SecretBox text of a secret being enrolled; empty when none.
  std::string totp_pending_sealed;
  // The last accepted RFC 6238 time step (0 = none).
  int64_t totp_last_step = 0;
};

struct UserQuery {
  std::string clinic_id;
  // Only these roles; empty means all.
  std::vector<v1::Role> roles;
  // Keyset cursor: only ids greater than this.
  std::string after_id;
  int limit = 50;
};

// Staff, patient and partner accounts. Emails are unique across the deployment (sign-in names no
// clinic) and compared lowercase.
class UserRepository {
 public:
  virtual ~UserRepository() = default;
  // Returns the account with this email, or nullopt.
  virtual absl::StatusOr<std::optional<UserRecord>> FindByEmail(std::string_view email) = 0;
  // Returns the account with this id, or nullopt.
  virtual absl::StatusOr<std::optional<UserRecord>> FindById(std::string_view user_id) = 0;
  // Returns the patient account bound to this client record, or nullopt.
  virtual absl::StatusOr<std::optional<UserRecord>> FindPatientOfClient(
      std::string_view clinic_id, std::string_view client_id) = 0;
  // Returns up to query.limit accounts of the clinic ordered by id.
  virtual absl::StatusOr<std::vector<UserRecord>> List(const UserQuery& query) = 0;
  // Stores a new account; ALREADY_EXISTS when the email is taken.
  virtual absl::Status Insert(const UserRecord& record, absl::Time now) = 0;
  // Replaces the password hash of an existing account; NOT_FOUND when there is none.
  virtual absl::Status UpdatePasswordHash(std::string_view user_id,
                                          std::string_view password_hash) = 0;
  // Activates or deactivates an account; NOT_FOUND when there is none.
  virtual absl::Status SetActive(std::string_view user_id, bool active, absl::Time now) = 0;
  // Stores the enrolled and pending TOTP secrets (sealed) as given; NOT_FOUND when no account.
  virtual absl::Status UpdateTotpSecrets(std::string_view user_id, std::string_view secret_sealed,
                                         std::string_view pending_sealed) = 0;
  // Records `step` as the last accepted TOTP step when it is greater than the stored one.
  // Returns false when it is not (the code was already used, perhaps by a concurrent sign-in).
  virtual absl::StatusOr<bool> AdvanceTotpStep(std::string_view user_id, int64_t step) = 0;
  // Replaces the account's recovery codes with these SHA-256 digests (all unused).
  virtual absl::Status ReplaceRecoveryCodes(std::string_view user_id,
                                            const std::vector<std::string>& code_digests) = 0;
  // Marks an unused recovery code used; false when there is no such unused code.
  virtual absl::StatusOr<bool> UseRecoveryCode(std::string_view user_id,
                                               std::string_view code_digest, absl::Time now) = 0;
  // The number of unused recovery codes left.
  virtual absl::StatusOr<int> CountUnusedRecoveryCodes(std::string_view user_id) = 0;
};

}  // namespace confide
