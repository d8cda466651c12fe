#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "services/auth/ports/password_hasher.h"

namespace confide {

// Cost settings for argon2id. The defaults are above OWASP's minimum for argon2id
// (m=19 MiB, t=2, p=1); one lane per hash because the server already runs requests in parallel.
struct Argon2Params {
  uint32_t time_cost = 3;       // Passes over memory.
  uint32_t memory_kib = 65536;  // Memory per hash (64 MiB).
  uint32_t parallelism = 1;     // Lanes per hash.
  // Hashes and verifies allowed to run at once. Each holds memory_kib while it runs, so this caps
  // peak hashing memory at max_concurrent * memory_kib however many logins arrive.
  int max_concurrent = 2;
};

// PasswordHasher on libargon2's argon2id: 16-byte salt from OpenSSL's CSPRNG, 32-byte tag, PHC
// string output. Thread-safe; callers beyond max_concurrent wait for a free slot.
class Argon2PasswordHasher final : public PasswordHasher {
 public:
  // Aborts with a message on parameters libargon2 would reject: a server that cannot hash
  // passwords must not start.
  explicit Argon2PasswordHasher(Argon2Params params = {});

  absl::StatusOr<std::string> Hash(std::string_view password) override;
  bool Verify(std::string_view password, std::string_view encoded_hash) override;
  bool NeedsRehash(std::string_view encoded_hash) const override;

 private:
  class Slot;  // Holds one of the max_concurrent hashing slots for its lifetime.

  const Argon2Params params_;
  std::mutex slots_mutex_;
  std::condition_variable slot_freed_;
  int free_slots_;  // Guarded by slots_mutex_.
};

}  // namespace confide
