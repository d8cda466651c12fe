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

// What a one-time token is for. Stored as the number.
enum class TokenPurpose : int {
  kStaffInvitation = 1,
  kPatientInvitation = 2,
  kPartnerInvitation = 3,
  kPasswordReset = 4,
};

// An invitation or password reset. Only the token's SHA-256 is stored.
struct OneTimeTokenRecord {
  std::string id;
  std::string token_digest;
  TokenPurpose purpose = TokenPurpose::kStaffInvitation;
  std::string clinic_id;
  // Invitations: the account to create.
  std::string email;
  std::string display_name;
  v1::Role role = v1::ROLE_UNSPECIFIED;
  v1::Discipline discipline = v1::DISCIPLINE_UNSPECIFIED;
  // Patient and partner invitations: the client record the account is bound to.
  std::string client_id;
  // Password resets: the account whose password is reset.
  std::string user_id;
  // Partner invitations: the PartnerShare bit set granted on acceptance.
  uint32_t partner_shares = 0;
  std::string created_by;
  absl::Time create_time;
  absl::Time expire_time;
  std::optional<absl::Time> use_time;
  std::optional<absl::Time> revoke_time;
};

class OneTimeTokenRepository {
 public:
  virtual ~OneTimeTokenRepository() = default;
  virtual absl::Status Insert(const OneTimeTokenRecord& record) = 0;
  // Returns the token with this digest, or nullopt.
  virtual absl::StatusOr<std::optional<OneTimeTokenRecord>> FindByDigest(
      std::string_view digest) = 0;
  // Marks the token used when it is unused and unrevoked; false otherwise (so two concurrent
  // uses cannot both succeed).
  virtual absl::StatusOr<bool> MarkUsed(std::string_view id, absl::Time when) = 0;
  // Revokes the unused, unrevoked tokens of like.purpose in like.clinic_id meant for the same
  // person as `like`, so a newer invitation or reset replaces older ones: the same client record
  // when like.client_id is set (patient and partner invitations, a patient's reset), else the
  // same account when like.user_id is set, else the same email (compared lowercase).
  // INVALID_ARGUMENT when like.clinic_id, or all three, are empty.
  virtual absl::Status RevokeOutstanding(const OneTimeTokenRecord& like, absl::Time when) = 0;
};

}  // namespace confide
