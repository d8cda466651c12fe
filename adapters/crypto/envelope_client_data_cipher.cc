#include "adapters/crypto/envelope_client_data_cipher.h"

#include <openssl/crypto.h>

#include <optional>
#include <string>
#include <utility>

#include "adapters/crypto/aes_gcm_secret_box.h"
#include "services/crypto/ports/client_data_key_repository.h"
#include "services/storage/ports/unit_of_work.h"

namespace confide {
namespace {

constexpr size_t kDataKeyBytes = 32;

absl::Status Erased() {
  return absl::FailedPreconditionError(
      "this client's clinical content was erased and can no longer be read or added to");
}

// Holds a data key in clear and wipes it when done.
class ClearKey {
 public:
  explicit ClearKey(std::string bytes) : bytes_(std::move(bytes)) {}
  ~ClearKey() { OPENSSL_cleanse(bytes_.data(), bytes_.size()); }
  ClearKey(const ClearKey&) = delete;
  ClearKey& operator=(const ClearKey&) = delete;
  const std::string& bytes() const { return bytes_; }

 private:
  std::string bytes_;
};

}  // namespace

std::string EnvelopeClientDataCipher::AssociatedData(std::string_view clinic_id,
                                                     std::string_view client_id,
                                                     const FieldLocation& where) {
  // Ids are UUIDs and names are identifiers, so '|' cannot occur inside a part.
  std::string aad = "confide.field.v1";
  for (std::string_view part : {clinic_id, client_id, where.table, where.column, where.row_id}) {
    aad.append("|").append(part);
  }
  return aad;
}

absl::StatusOr<std::string> EnvelopeClientDataCipher::DataKey(UnitOfWork& uow,
                                                              std::string_view clinic_id,
                                                              std::string_view client_id,
                                                              bool create) {
  ClientDataKeyRepository& keys = uow.client_data_keys();
  absl::StatusOr<std::optional<ClientDataKeyRecord>> found = keys.Find(clinic_id, client_id);
  if (!found.ok()) {
    return found.status();
  }
  if (!found->has_value() && create) {
    ClientDataKeyRecord record;
    record.clinic_id = std::string(clinic_id);
    record.client_id = std::string(client_id);
    const ClearKey fresh(random_.RandomBytes(kDataKeyBytes));
    absl::StatusOr<std::string> wrapped =
        master_.Seal(fresh.bytes(), DataKeyWrapContext(clinic_id, client_id));
    if (!wrapped.ok()) {
      return wrapped.status();
    }
    record.wrapped_key = *std::move(wrapped);
    record.create_time = clock_.Now();
    absl::Status inserted = uow.Atomically([&] { return keys.Insert(record); });
    if (inserted.ok()) {
      return fresh.bytes();
    }
    if (inserted.code() != absl::StatusCode::kAlreadyExists) {
      return inserted;
    }
    // Another server made the key first (PostgreSQL): use that one.
    found = keys.Find(clinic_id, client_id);
    if (!found.ok()) {
      return found.status();
    }
  }
  if (!found->has_value()) {
    // Nothing was ever sealed for this client, so nothing can open.
    return absl::DataLossError("sealed value has no data key");
  }
  if ((*found)->erase_time.has_value() || (*found)->wrapped_key.empty()) {
    return Erased();
  }
  absl::StatusOr<std::string> key =
      master_.Open((*found)->wrapped_key, DataKeyWrapContext(clinic_id, client_id));
  if (!key.ok()) {
    return key.status();
  }
  if (key->size() != kDataKeyBytes) {
    return absl::DataLossError("stored data key is malformed");
  }
  return key;
}

absl::StatusOr<std::string> EnvelopeClientDataCipher::Seal(UnitOfWork& uow,
                                                           std::string_view clinic_id,
                                                           std::string_view client_id,
                                                           const FieldLocation& where,
                                                           std::string_view plaintext) {
  absl::StatusOr<std::string> key = DataKey(uow, clinic_id, client_id, /*create=*/true);
  if (!key.ok()) {
    return key.status();
  }
  const AesGcmSecretBox box(*std::move(key));
  return box.Seal(plaintext, AssociatedData(clinic_id, client_id, where));
}

absl::StatusOr<std::string> EnvelopeClientDataCipher::Open(UnitOfWork& uow,
                                                           std::string_view clinic_id,
                                                           std::string_view client_id,
                                                           const FieldLocation& where,
                                                           std::string_view sealed) {
  absl::StatusOr<std::string> key = DataKey(uow, clinic_id, client_id, /*create=*/false);
  if (!key.ok()) {
    return key.status();
  }
  const AesGcmSecretBox box(*std::move(key));
  return box.Open(sealed, AssociatedData(clinic_id, client_id, where));
}

}  // namespace confide
