#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "services/crypto/ports/secret_box.h"

namespace confide {

// SecretBox on OpenSSL's AES-256-GCM. Sealed values read
//   "v1." + key id + "." + base64url-without-padding(nonce || ciphertext || tag)
// with a fresh 12-byte nonce from RAND_bytes per value, the context as associated data, a 16-byte
// tag, and as key id the first 8 lowercase hex characters of SHA-256(key), so a value sealed
// under another master key is recognised as such. Thread-safe.
//
// During a master-key rotation (docs/security.md, "Key rotation") a box also holds the previous
// keys: it opens values sealed under any of them, and seals under the current key only.
//
// A random 96-bit nonce keeps the chance of a repeat negligible for far more values than a
// deployment stores under one key (NIST SP 800-38D caps a key at 2^32 random-nonce seals).
class AesGcmSecretBox final : public SecretBox {
 public:
  // `key` (the current key) and each of `previous_keys` are 32 raw bytes. Aborts with a message
  // otherwise: a server whose master key is unusable must not start.
  explicit AesGcmSecretBox(std::string key, std::vector<std::string> previous_keys = {});
  ~AesGcmSecretBox() override;

  AesGcmSecretBox(const AesGcmSecretBox&) = delete;
  AesGcmSecretBox& operator=(const AesGcmSecretBox&) = delete;

  absl::StatusOr<std::string> Seal(std::string_view plaintext,
                                   std::string_view context) const override;
  absl::StatusOr<std::string> Open(std::string_view sealed,
                                   std::string_view context) const override;

  // The 8 lowercase hex characters that name the current key in sealed values.
  const std::string& key_id() const { return keys_.front().id; }

 private:
  struct Key {
    std::string bytes;  // Wiped on destruction.
    std::string id;
  };
  // Returns the key named `id`, or null.
  const Key* FindKey(std::string_view id) const;

  // The current key first, then the previous ones.
  std::vector<Key> keys_;
};

// The key id (see AesGcmSecretBox) of the 32-byte `key`.
std::string MasterKeyId(std::string_view key);

// Returns the 32 raw bytes of the master key held in the file at `path` as 64 hex characters
// (surrounding whitespace allowed). NOT_FOUND when the file does not exist; PERMISSION_DENIED when
// it cannot be opened; FAILED_PRECONDITION when it is not a regular file or group or others have
// any access to it (it must be chmod 600); INVALID_ARGUMENT when it does not hold exactly 64 hex
// characters. Messages never include the file's content.
absl::StatusOr<std::string> LoadMasterKeyFile(const std::string& path);

// Creates the file at `path` with mode 0600 holding a new random master key (64 lowercase hex
// characters and a newline) for LoadMasterKeyFile. ALREADY_EXISTS when something is at `path`:
// an existing key is never overwritten. Other failures carry the errno's canonical code, and a
// partly written file is removed.
absl::Status WriteNewMasterKeyFile(const std::string& path);

}  // namespace confide
