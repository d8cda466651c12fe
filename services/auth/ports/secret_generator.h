#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace confide {

// Cryptographic randomness and digests for session tokens. Only a token's digest is stored, so a
// stolen database does not yield usable sessions.
class SecretGenerator {
 public:
  virtual ~SecretGenerator() = default;
  // Returns a new session token: 256 random bits from a CSPRNG, base64url without padding.
  virtual std::string NewSessionToken() = 0;
  // Returns the lowercase hex SHA-256 of `token`.
  virtual std::string Digest(std::string_view token) const = 0;
  // Returns `count` bytes from a CSPRNG.
  virtual std::string RandomBytes(size_t count) = 0;
};

}  // namespace confide
