#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace confide {

// A sign-in session. Only the token's SHA-256 is stored.
struct SessionRecord {
  std::string id;
  std::string token_digest;
  std::string user_id;
  std::string clinic_id;
  absl::Time create_time;
  // The absolute expiry: no activity extends it.
  absl::Time expire_time;
  std::optional<absl::Time> revoke_time;
  // The last authenticated request; with idle_timeout it gives the idle expiry.
  absl::Time last_seen_time;
  absl::Duration idle_timeout = absl::ZeroDuration();
  // Staff only: the second factor was checked at sign-in (or enrolment was just confirmed).
  bool mfa_verified = false;
  // Where the sign-in came from, shown in the caller's session list.
  std::string source_address;
};

class SessionRepository {
 public:
  virtual ~SessionRepository() = default;
  // Stores a new session.
  virtual absl::Status Insert(const SessionRecord& session) = 0;
  // Returns the session whose token has this digest, or nullopt.
  virtual absl::StatusOr<std::optional<SessionRecord>> FindByDigest(std::string_view digest) = 0;
  // Marks the session revoked at `when`; revoking twice keeps the first time.
  virtual absl::Status Revoke(std::string_view session_id, absl::Time when) = 0;
  // Revokes every live session of the user except `keep_session_id` (may be empty); returns how
  // many were revoked.
  virtual absl::StatusOr<int> RevokeAllOfUser(std::string_view user_id,
                                              std::string_view keep_session_id,
                                              absl::Time when) = 0;
  // Records activity: sets last_seen_time to `when`.
  virtual absl::Status Touch(std::string_view session_id, absl::Time when) = 0;
  // Marks the session's second factor as checked.
  virtual absl::Status MarkMfaVerified(std::string_view session_id) = 0;
  // The user's sessions that are neither revoked nor past their absolute expiry at `now`,
  // newest first (at most 100).
  virtual absl::StatusOr<std::vector<SessionRecord>> ListLiveOfUser(std::string_view user_id,
                                                                    absl::Time now) = 0;
};

}  // namespace confide
