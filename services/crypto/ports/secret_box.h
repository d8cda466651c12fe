#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace confide {

// Authenticated encryption of small secrets at rest (TOTP seeds today, data keys later) under
// the deployment's master key. `context` is bound into the ciphertext as associated data (e.g.
// "users.totp_secret:<user id>"), so a value copied to another row or column does not open.
class SecretBox {
 public:
  virtual ~SecretBox() = default;
  // Returns printable ASCII text (safe for a TEXT column) holding a key id, a fresh nonce, the
  // ciphertext and its tag. Fails only when the cipher cannot run (INTERNAL).
  virtual absl::StatusOr<std::string> Seal(std::string_view plaintext,
                                           std::string_view context) const = 0;
  // Returns the plaintext; DATA_LOSS when `sealed` is malformed, was made under another key or
  // context, or was altered.
  virtual absl::StatusOr<std::string> Open(std::string_view sealed,
                                           std::string_view context) const = 0;
};

}  // namespace confide
