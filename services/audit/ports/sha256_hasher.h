#pragma once

#include <string>
#include <string_view>

namespace confide {

// SHA-256, the hash of the audit trail's Merkle trees and checkpoints.
class Sha256Hasher {
 public:
  virtual ~Sha256Hasher() = default;
  // Returns the 32-byte raw digest of `data`.
  virtual std::string Hash(std::string_view data) const = 0;
  // Returns the 32-byte raw digest of `a` followed by `b` followed by `c` (no copy of the
  // inputs: Merkle nodes hash 0x01 || left || right).
  virtual std::string Hash3(std::string_view a, std::string_view b, std::string_view c) const = 0;
};

}  // namespace confide
