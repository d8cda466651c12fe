#pragma once

#include <string>
#include <string_view>

#include "services/audit/ports/checkpoint_signer.h"

namespace confide {

// Ed25519 (RFC 8032) through OpenSSL's EVP_PKEY raw-key API. Thread-safe.
class OpenSslCheckpointSigner final : public CheckpointSigner {
 public:
  absl::StatusOr<Ed25519KeyPair> GenerateKey() const override;
  absl::StatusOr<std::string> Sign(std::string_view private_key,
                                   std::string_view message) const override;
  bool Verify(std::string_view public_key, std::string_view message,
              std::string_view signature) const override;
};

}  // namespace confide
