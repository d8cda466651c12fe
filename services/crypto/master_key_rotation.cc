#include "services/crypto/master_key_rotation.h"

#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "services/audit/audit_sealer.h"
#include "services/auth/auth_service.h"
#include "services/auth/invitations.h"
#include "services/break_glass/break_glass_service.h"
#include "services/crypto/ports/client_data_key_repository.h"

namespace confide {

std::string MasterSealedContext(MasterSealedColumn column, const MasterSealedValue& value) {
  switch (column) {
    case MasterSealedColumn::kClientDataKey:
      return DataKeyWrapContext(value.clinic_id, value.row_id);
    case MasterSealedColumn::kTotpSecret:
      return TotpSecretContext(value.row_id);
    case MasterSealedColumn::kPendingTotpSecret:
      return PendingTotpSecretContext(value.row_id);
    case MasterSealedColumn::kBreakGlassReason:
      return BreakGlassReasonContext(value.row_id);
    case MasterSealedColumn::kOutboundToken:
      return OutboundTokenContext(value.row_id);
    case MasterSealedColumn::kAuditSigningKey:
      return AuditSigningKeyContext(value.row_id);
  }
  return "";
}

namespace {

// Overwrites a secret's bytes before its memory is released. The volatile writes keep the
// compiler from dropping them as dead stores.
void Wipe(std::string& secret) {
  volatile char* bytes = secret.data();
  for (size_t i = 0; i < secret.size(); ++i) {
    bytes[i] = 0;
  }
}

// After the re-sealing, every value of every column must open with `to`. The repository keeps
// other writers out until the commit; this proves it: a value a server sealed under an old key
// after its column was listed (on PostgreSQL each statement sees what others committed) would
// otherwise be left behind, and be lost once the old key is destroyed.
absl::Status VerifyAllUnder(MasterSealedValueRepository& values, const SecretBox& to) {
  for (const MasterSealedColumn column : kAllMasterSealedColumns) {
    absl::StatusOr<std::vector<MasterSealedValue>> stored = values.List(column);
    if (!stored.ok()) {
      return stored.status();
    }
    for (const MasterSealedValue& value : *stored) {
      absl::StatusOr<std::string> opened =
          to.Open(value.sealed, MasterSealedContext(column, value));
      if (!opened.ok()) {
        return absl::AbortedError(absl::StrCat(
            std::string(MasterSealedColumnName(column)), " of row ", value.row_id, " (clinic ",
            value.clinic_id,
            ") was written under an old master key during the rotation: make every server seal "
            "under the new key (auth.master_key_file), then run the rotation again"));
      }
      Wipe(*opened);
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::vector<ColumnRotation>> RotateMasterKey(UnitOfWork& uow, const SecretBox& from,
                                                            const SecretBox& to) {
  MasterSealedValueRepository& values = uow.master_sealed_values();
  std::vector<ColumnRotation> report;
  for (const MasterSealedColumn column : kAllMasterSealedColumns) {
    absl::StatusOr<std::vector<MasterSealedValue>> stored = values.List(column);
    if (!stored.ok()) {
      return stored.status();
    }
    ColumnRotation counts{.column = column};
    for (const MasterSealedValue& value : *stored) {
      const std::string context = MasterSealedContext(column, value);
      // Opening (not just reading the key id) proves the value is whole under the new key.
      if (absl::StatusOr<std::string> under_new = to.Open(value.sealed, context); under_new.ok()) {
        Wipe(*under_new);
        ++counts.already_rotated;
        continue;
      }
      absl::StatusOr<std::string> plaintext = from.Open(value.sealed, context);
      if (!plaintext.ok()) {
        return absl::DataLossError(absl::StrCat(
            std::string(MasterSealedColumnName(column)), " of row ", value.row_id, " (clinic ",
            value.clinic_id, ") opens with neither the current nor the new master key: ",
            plaintext.status().message()));
      }
      absl::StatusOr<std::string> resealed = to.Seal(*plaintext, context);
      Wipe(*plaintext);
      if (!resealed.ok()) {
        return resealed.status();
      }
      if (absl::Status replaced = values.Replace(column, value, *resealed); !replaced.ok()) {
        return replaced;
      }
      ++counts.resealed;
    }
    report.push_back(counts);
  }
  if (absl::Status verified = VerifyAllUnder(values, to); !verified.ok()) {
    return verified;
  }
  return report;
}

}  // namespace confide
