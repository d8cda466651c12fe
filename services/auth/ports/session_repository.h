#pragma once

#include <optional>
#include <string>
#include <string_view>

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
  absl::Time expire_time;
  std::optional<absl::Time> revoke_time;
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
};

}  // namespace confide
