#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "services/auth/ports/secret_generator.h"

namespace confide {

// SecretGenerator on OpenSSL: RAND_bytes for tokens and random bytes, SHA-256 through EVP for
// digests. Thread-safe. Aborts the process if OpenSSL cannot produce randomness or a digest,
// because a server without them must not issue or check sessions.
class OpenSslSecretGenerator final : public SecretGenerator {
 public:
  std::string NewSessionToken() override;
  std::string Digest(std::string_view token) const override;
  std::string RandomBytes(size_t count) override;
};

}  // namespace confide
