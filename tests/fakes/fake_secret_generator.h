#pragma once

#include <atomic>
#include <string>
#include <string_view>

#include "services/auth/ports/secret_generator.h"

namespace confide {

// Predictable tokens ("token-1", "token-2", ...) and a readable digest ("d:" + token), so a test
// can see that only the digest is stored. Thread-safe.
class FakeSecretGenerator final : public SecretGenerator {
 public:
  std::string NewSessionToken() override { return "token-" + std::to_string(++next_); }

  std::string Digest(std::string_view token) const override { return "d:" + std::string(token); }

 private:
  std::atomic<int> next_{0};
};

}  // namespace confide
