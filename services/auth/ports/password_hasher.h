#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace confide {

// One-way password hashing (argon2id in production).
class PasswordHasher {
 public:
  virtual ~PasswordHasher() = default;
  // Returns a self-describing encoded hash (PHC string format) of `password`, with a fresh salt.
  virtual absl::StatusOr<std::string> Hash(std::string_view password) = 0;
  // Returns true when `password` matches `encoded_hash`; false on mismatch or a malformed hash.
  virtual bool Verify(std::string_view password, std::string_view encoded_hash) = 0;
  // Returns true when `encoded_hash` was made with other settings than Hash uses now (the cost
  // was changed): such a hash is replaced at the next successful sign-in, so every account ends
  // up with the same verification time and the configured strength.
  virtual bool NeedsRehash(std::string_view encoded_hash) const = 0;
};

}  // namespace confide
