#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace confide {

// Every column whose values are sealed by the master key (SecretBox), so that a master-key
// rotation (services/crypto/master_key_rotation.h) can find them all. A new column sealed by
// the master key must be added here, or rotating the key would leave it unreadable.
enum class MasterSealedColumn {
  // client_data_keys.wrapped_key: a client's data key (row id: the client id).
  kClientDataKey,
  // users.totp_secret_sealed: an enrolled TOTP secret (row id: the user id).
  kTotpSecret,
  // users.totp_pending_sealed: a TOTP secret being enrolled (row id: the user id).
  kPendingTotpSecret,
  // break_glass_grants.reason_sealed: the reason a clinician gave (row id: the grant id).
  kBreakGlassReason,
  // outbound_messages.token_sealed: a one-time token waiting for the mail relay (row id: the
  // message id).
  kOutboundToken,
  // audit_signing_keys.sealed_private_key: a clinic's Ed25519 checkpoint key (row id: the key
  // id).
  kAuditSigningKey,
};

inline constexpr MasterSealedColumn kAllMasterSealedColumns[] = {
    MasterSealedColumn::kClientDataKey,     MasterSealedColumn::kTotpSecret,
    MasterSealedColumn::kPendingTotpSecret, MasterSealedColumn::kBreakGlassReason,
    MasterSealedColumn::kOutboundToken,     MasterSealedColumn::kAuditSigningKey};

// "table.column", as operators and logs name it.
inline std::string_view MasterSealedColumnName(MasterSealedColumn column) {
  switch (column) {
    case MasterSealedColumn::kClientDataKey:
      return "client_data_keys.wrapped_key";
    case MasterSealedColumn::kTotpSecret:
      return "users.totp_secret_sealed";
    case MasterSealedColumn::kPendingTotpSecret:
      return "users.totp_pending_sealed";
    case MasterSealedColumn::kBreakGlassReason:
      return "break_glass_grants.reason_sealed";
    case MasterSealedColumn::kOutboundToken:
      return "outbound_messages.token_sealed";
    case MasterSealedColumn::kAuditSigningKey:
      return "audit_signing_keys.sealed_private_key";
  }
  return "unknown";
}

// One stored value of a MasterSealedColumn.
struct MasterSealedValue {
  std::string clinic_id;
  // The row's id (see MasterSealedColumn); with clinic_id it names the row.
  std::string row_id;
  std::string sealed;
};

// Reads and rewrites the values sealed by the master key, for rotation only.
class MasterSealedValueRepository {
 public:
  virtual ~MasterSealedValueRepository() = default;
  // Every non-empty value of `column` (an erased data key or a secret not set is empty), ordered
  // by clinic and row id. From the first call to the end of the transaction, no other
  // transaction can add or change a master-sealed value (on PostgreSQL the tables are locked
  // against writes; servers' writes wait).
  virtual absl::StatusOr<std::vector<MasterSealedValue>> List(MasterSealedColumn column) = 0;
  // Stores `resealed` in place of `value.sealed`. ABORTED when the row no longer holds
  // `value.sealed` (a server changed it meanwhile).
  virtual absl::Status Replace(MasterSealedColumn column, const MasterSealedValue& value,
                               std::string_view resealed) = 0;
};

}  // namespace confide
