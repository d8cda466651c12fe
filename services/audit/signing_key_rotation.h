#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/common/id_generator.h"
#include "services/storage/ports/unit_of_work.h"

namespace confide {

// Retires the clinic's active checkpoint signing key, so the sealer creates a fresh one for the
// next batch; the retired key stays published and still verifies the batches it signed. Writes
// a "confidectl.RotateAuditSigningKey" audit event in the same transaction. Returns the retired
// key's id; NOT_FOUND when the clinic has no active key (nothing sealed yet).
absl::StatusOr<std::string> RetireAuditSigningKey(UnitOfWork& uow, IdGenerator& ids,
                                                  std::string_view clinic_id, absl::Time now);

}  // namespace confide
