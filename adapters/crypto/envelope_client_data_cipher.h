#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "services/auth/ports/secret_generator.h"
#include "services/common/clock.h"
#include "services/crypto/ports/client_data_cipher.h"
#include "services/crypto/ports/secret_box.h"

namespace confide {

// ClientDataCipher by envelope encryption: a random 256-bit data key per client, stored in
// `client_data_keys` sealed by `master` (context "client_data_keys:<clinic>/<client>"), and
// each value sealed with AES-256-GCM under that data key (AesGcmSecretBox format, fresh nonce
// per value) with associated data naming clinic, client, table, column and row. Rotating the
// master key re-wraps the data keys only; the values stay as they are. Thread-safe: it keeps
// no state between calls (every call unwraps the key in its own transaction).
class EnvelopeClientDataCipher final : public ClientDataCipher {
 public:
  EnvelopeClientDataCipher(const SecretBox& master, SecretGenerator& random, const Clock& clock)
      : master_(master), random_(random), clock_(clock) {}

  absl::StatusOr<std::string> Seal(UnitOfWork& uow, std::string_view clinic_id,
                                   std::string_view client_id, const FieldLocation& where,
                                   std::string_view plaintext) override;
  absl::StatusOr<std::string> Open(UnitOfWork& uow, std::string_view clinic_id,
                                   std::string_view client_id, const FieldLocation& where,
                                   std::string_view sealed) override;

  // The associated data bound into a value: who it belongs to and where it is stored.
  static std::string AssociatedData(std::string_view clinic_id, std::string_view client_id,
                                    const FieldLocation& where);

 private:
  // Returns the client's data key in clear (32 bytes); makes one when `create` and none exists.
  absl::StatusOr<std::string> DataKey(UnitOfWork& uow, std::string_view clinic_id,
                                      std::string_view client_id, bool create);

  const SecretBox& master_;
  SecretGenerator& random_;
  const Clock& clock_;
};

}  // namespace confide
