#pragma once

#include <string>
#include <string_view>

#include "services/crypto/ports/message_authenticator.h"

namespace confide {

// MessageAuthenticator on OpenSSL's one-shot HMAC(). Thread-safe. Aborts the process if OpenSSL
// cannot compute a MAC, because one-time-password checks must not fall back to anything weaker.
class OpenSslMessageAuthenticator final : public MessageAuthenticator {
 public:
  std::string HmacSha1(std::string_view key, std::string_view message) const override;
};

}  // namespace confide
