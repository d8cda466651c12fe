#pragma once

#include <atomic>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "services/auth/ports/password_hasher.h"

namespace confide {

// A "hash" that is the password with a marker ("h:" + password): cheap, deterministic, and
// still a different string from the password, so a test notices a plain-text comparison.
class FakePasswordHasher final : public PasswordHasher {
 public:
  absl::StatusOr<std::string> Hash(std::string_view password) override {
    ++hash_calls_;
    return "h:" + std::string(password);
  }

  bool Verify(std::string_view password, std::string_view encoded_hash) override {
    ++verify_calls_;
    return encoded_hash == "h:" + std::string(password) ||
           encoded_hash == "old:" + std::string(password);
  }

  // Hashes from an "older setting" are written "old:" + password.
  bool NeedsRehash(std::string_view encoded_hash) const override {
    return encoded_hash.substr(0, 2) != "h:";
  }

  // How many times Verify ran: the argon2 work a sign-in cost, countable without timing.
  int verify_calls() const { return verify_calls_.load(); }
  // How many times Hash ran.
  int hash_calls() const { return hash_calls_.load(); }

 private:
  std::atomic<int> verify_calls_{0};
  std::atomic<int> hash_calls_{0};
};

}  // namespace confide
