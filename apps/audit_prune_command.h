#pragma once

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "services/audit/ports/checkpoint_signer.h"
#include "services/audit/ports/sha256_hasher.h"
#include "services/common/clock.h"
#include "services/common/id_generator.h"
#include "services/storage/ports/unit_of_work.h"

namespace confide::app {

struct AuditPruneOptions {
  std::string clinic_id;
  // Where the archive (an NDJSON export of the pruned batches) is written; must not exist.
  std::string archive_path;
  // Prune events older than this day (UTC midnight); unset = today minus retention_years.
  // A day later than that default is refused.
  std::optional<absl::CivilDay> before;
  int retention_years = 6;
};

// `confidectl audit prune` (docs/audit.md, "Retention: archive-then-prune"): exports the
// clinic's batches from the first unpruned one through the last whose events are all older
// than the cutoff to `archive_path`, verifies the archive, then in ONE transaction records the
// prune in audit_prunes (with the archive's SHA-256), deletes exactly those events and appends
// an audit event for the prune. Returns what it did, in plain words; with nothing to prune it
// changes nothing and says so (idempotent).
absl::StatusOr<std::string> RunAuditPrune(TransactionRunner& transactions,
                                          const Sha256Hasher& hasher,
                                          const CheckpointSigner& signer, IdGenerator& ids,
                                          const Clock& clock, const AuditPruneOptions& options);

// The command as confidectl runs it, with the OpenSSL hasher and signer, UUIDv7 ids and the
// system clock: prints the result (stdout) or the error (stderr); returns the exit code.
int AuditPruneCommand(TransactionRunner& transactions, const AuditPruneOptions& options);

// "YYYY-MM-DD" to a day; nullopt when not a real date in that form.
std::optional<absl::CivilDay> ParseDay(const std::string& text);

}  // namespace confide::app
