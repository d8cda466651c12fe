#pragma once

#include <semaphore>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/auth/ports/password_hasher.h"
#include "services/auth/ports/secret_generator.h"

namespace confide {

// How many password hashes may run at once, and how long a caller waits for a turn before it
// is told to retry. argon2id is slow and memory-hungry on purpose; without this a flood of
// sign-ins would occupy every executor worker and starve clinical requests.
struct SignInLimits {
  int max_concurrent = 2;
  absl::Duration max_wait = absl::Seconds(2);
};

// Every password hash and verification of the server goes through here: bounded concurrency,
// and the same argon2 work for unknown accounts as for known ones.
class PasswordChecker {
 public:
  // Hashes a throwaway password once, so unknown emails cost the same verification time as
  // known ones and sign-in timing does not reveal which accounts exist. Aborts when it cannot.
  PasswordChecker(PasswordHasher& hasher, SecretGenerator& secrets, SignInLimits limits = {});

  // Whether `password` matches `encoded_hash`; when `encoded_hash` is empty (no such account)
  // verifies against the dummy hash and returns false. RESOURCE_EXHAUSTED when no turn came.
  absl::StatusOr<bool> Verify(std::string_view password, std::string_view encoded_hash);
  // A new hash of `password`. RESOURCE_EXHAUSTED when no turn came.
  absl::StatusOr<std::string> Hash(std::string_view password);
  bool NeedsRehash(std::string_view encoded_hash) const {
    return hasher_.NeedsRehash(encoded_hash);
  }

 private:
  PasswordHasher& hasher_;
  std::string dummy_hash_;
  absl::Duration max_wait_;
  std::counting_semaphore<> slots_;
};

// Password rules for new passwords (ASVS 2.1): 12 to 256 characters, valid UTF-8, any
// characters allowed. Returns INVALID_ARGUMENT naming `field`.
absl::Status CheckNewPassword(std::string_view password, std::string_view field);

}  // namespace confide
