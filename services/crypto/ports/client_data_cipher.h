#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace confide {

class UnitOfWork;

// Where a sealed value is stored. Bound into the ciphertext as associated data together with
// the clinic and client, so a ciphertext copied to another row, column, table or client does
// not open.
struct FieldLocation {
  std::string_view table;
  std::string_view column;
  std::string_view row_id;
};

// Envelope encryption of clinical content at rest (DESIGN.md "Sensitive data"): every value is
// sealed with AES-256-GCM under its client's own data key, and the data key is stored wrapped
// by the master key. Deleting a client's data key makes all her sealed values unreadable
// (crypto-erasure), backups included.
class ClientDataCipher {
 public:
  virtual ~ClientDataCipher() = default;
  // Returns printable ASCII (safe for a TEXT column). Creates the client's data key in `uow`'s
  // transaction on first use. FAILED_PRECONDITION when the client's data was erased; INTERNAL
  // when the cipher cannot run; storage errors as the repositories return them.
  virtual absl::StatusOr<std::string> Seal(UnitOfWork& uow, std::string_view clinic_id,
                                           std::string_view client_id, const FieldLocation& where,
                                           std::string_view plaintext) = 0;
  // Returns the plaintext. DATA_LOSS when `sealed` was altered, made for another location or
  // client, or under another key; FAILED_PRECONDITION when the client's data was erased.
  virtual absl::StatusOr<std::string> Open(UnitOfWork& uow, std::string_view clinic_id,
                                           std::string_view client_id, const FieldLocation& where,
                                           std::string_view sealed) = 0;
};

}  // namespace confide
