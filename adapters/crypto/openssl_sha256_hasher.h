#pragma once

#include <string>
#include <string_view>

#include "services/audit/ports/sha256_hasher.h"

namespace confide {

// SHA-256 through OpenSSL's one-shot EVP digest. Thread-safe. Aborts the process when OpenSSL
// cannot hash: a trail that cannot be sealed or verified must not pass silently.
class OpenSslSha256Hasher final : public Sha256Hasher {
 public:
  std::string Hash(std::string_view data) const override;
  std::string Hash3(std::string_view a, std::string_view b, std::string_view c) const override;
};

}  // namespace confide
