#include "adapters/crypto/argon2_password_hasher.h"

#include <argon2.h>
#include <openssl/rand.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"

namespace confide {
namespace {

// RFC 9106 recommends a 128-bit salt and a 256-bit tag.
constexpr size_t kSaltBytes = 16;
constexpr size_t kTagBytes = 32;

const char* ProblemWith(const Argon2Params& params) {
  if (params.time_cost < ARGON2_MIN_TIME) {
    return "time_cost must be at least 1";
  }
  if (params.parallelism < ARGON2_MIN_LANES || params.parallelism > ARGON2_MAX_LANES) {
    return "parallelism must be between 1 and 2^24 - 1";
  }
  // libargon2 needs two blocks per synchronisation point in every lane.
  if (params.memory_kib / params.parallelism < 2 * ARGON2_SYNC_POINTS) {
    return "memory_kib must be at least 8 * parallelism";
  }
  if (params.max_concurrent < 1) {
    return "max_concurrent must be at least 1";
  }
  return nullptr;
}

}  // namespace

class Argon2PasswordHasher::Slot {
 public:
  explicit Slot(Argon2PasswordHasher& hasher) : hasher_(hasher) {
    std::unique_lock lock(hasher_.slots_mutex_);
    hasher_.slot_freed_.wait(lock, [this] { return hasher_.free_slots_ > 0; });
    --hasher_.free_slots_;
  }
  ~Slot() {
    {
      std::lock_guard lock(hasher_.slots_mutex_);
      ++hasher_.free_slots_;
    }
    hasher_.slot_freed_.notify_one();
  }
  Slot(const Slot&) = delete;
  Slot& operator=(const Slot&) = delete;

 private:
  Argon2PasswordHasher& hasher_;
};

Argon2PasswordHasher::Argon2PasswordHasher(Argon2Params params)
    : params_(params), free_slots_(params.max_concurrent) {
  if (const char* problem = ProblemWith(params_); problem != nullptr) {
    std::fprintf(stderr, "confide: invalid Argon2Params: %s\n", problem);
    std::abort();
  }
}

absl::StatusOr<std::string> Argon2PasswordHasher::Hash(std::string_view password) {
  unsigned char salt[kSaltBytes];
  if (RAND_bytes(salt, sizeof(salt)) != 1) {
    return absl::InternalError("password hashing failed: no randomness for the salt");
  }
  // argon2_encodedlen counts the terminating NUL that libargon2 writes.
  std::string encoded(argon2_encodedlen(params_.time_cost, params_.memory_kib, params_.parallelism,
                                        kSaltBytes, kTagBytes, Argon2_id),
                      '\0');
  int result;
  {
    Slot slot(*this);
    result = argon2id_hash_encoded(params_.time_cost, params_.memory_kib, params_.parallelism,
                                   password.data(), password.size(), salt, sizeof(salt), kTagBytes,
                                   encoded.data(), encoded.size());
  }
  if (result != ARGON2_OK) {
    return absl::InternalError(
        absl::StrCat("password hashing failed: ", argon2_error_message(result)));
  }
  encoded.resize(std::strlen(encoded.c_str()));
  return encoded;
}

bool Argon2PasswordHasher::Verify(std::string_view password, std::string_view encoded_hash) {
  // libargon2 reads a C string, so an embedded NUL would silently shorten what is checked.
  if (encoded_hash.find('\0') != std::string_view::npos) {
    return false;
  }
  const std::string encoded(encoded_hash);
  // The cost comes from the encoded hash itself; stored hashes are ours, so it is bounded by
  // whatever parameters were configured when each was made.
  Slot slot(*this);
  return argon2id_verify(encoded.c_str(), password.data(), password.size()) == ARGON2_OK;
}

bool Argon2PasswordHasher::NeedsRehash(std::string_view encoded_hash) const {
  // PHC string: $argon2id$v=19$m=<memory>,t=<time>,p=<lanes>$<salt>$<tag>
  const std::string expected =
      absl::StrCat("$argon2id$v=", ARGON2_VERSION_NUMBER, "$m=", params_.memory_kib,
                   ",t=", params_.time_cost, ",p=", params_.parallelism, "$");
  return encoded_hash.substr(0, expected.size()) != expected;
}

}  // namespace confide
