#pragma once

#include <string>
#include <string_view>

namespace confide {

// Keyed message authentication codes, used by one-time-password checks (RFC 4226/6238 need
// HMAC-SHA-1, which authenticator apps implement).
class MessageAuthenticator {
 public:
  virtual ~MessageAuthenticator() = default;
  // Returns the 20 raw bytes of HMAC-SHA-1(key, message).
  virtual std::string HmacSha1(std::string_view key, std::string_view message) const = 0;
};

}  // namespace confide
