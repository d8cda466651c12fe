#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/crypto/ports/master_sealed_value_repository.h"
#include "services/crypto/ports/secret_box.h"
#include "services/storage/ports/unit_of_work.h"

namespace confide {

// What a rotation did to one column.
struct ColumnRotation {
  MasterSealedColumn column;
  // Values opened with the old key(s) and sealed again under the new key.
  int resealed = 0;
  // Values that already opened with the new key (an earlier run, or a server already sealing
  // under the new key), left as they are.
  int already_rotated = 0;
};

// The SecretBox context the value of `column` in the row `value` names is sealed under (the
// same functions the services seal with).
std::string MasterSealedContext(MasterSealedColumn column, const MasterSealedValue& value);

// Master-key rotation (`confidectl keys rotate`): every value sealed by the master key that does
// not open with `to` is opened with `from` (the current key, and any previous ones) and sealed
// again under `to` with its own context. Clients' data keys are re-wrapped this way; what is
// sealed under them (clinical content) is never read or rewritten. Run it in one transaction:
// on any error the caller rolls back, and nothing changes. Safe to run again: values already
// under `to` are counted, not touched.
//
// Returns one entry per column, in kAllMasterSealedColumns order. DATA_LOSS naming the column
// and row ids (never a value) when a value opens with neither box; ABORTED when a row changed
// during the rotation, or when, once all is re-sealed, a value (written meanwhile by a server
// still sealing under an old key) does not open with `to`; storage errors as the repository
// returns them.
absl::StatusOr<std::vector<ColumnRotation>> RotateMasterKey(UnitOfWork& uow, const SecretBox& from,
                                                            const SecretBox& to);

}  // namespace confide
