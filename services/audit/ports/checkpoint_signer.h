#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace confide {

// Ed25519 key pairs, raw 32-byte keys.
struct Ed25519KeyPair {
  std::string private_key;
  std::string public_key;
};

// Ed25519 signatures over checkpoints (OpenSSL in production).
class CheckpointSigner {
 public:
  virtual ~CheckpointSigner() = default;
  // A fresh key pair from a CSPRNG.
  virtual absl::StatusOr<Ed25519KeyPair> GenerateKey() const = 0;
  // The raw 64-byte signature of `message`; INVALID_ARGUMENT for a malformed key.
  virtual absl::StatusOr<std::string> Sign(std::string_view private_key,
                                           std::string_view message) const = 0;
  // True iff `signature` is a valid signature of `message` under `public_key`; false for any
  // malformed input.
  virtual bool Verify(std::string_view public_key, std::string_view message,
                      std::string_view signature) const = 0;
};

}  // namespace confide
