#pragma once

#include <cstdint>
#include <istream>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/audit/audit_batch.h"
#include "services/audit/ports/audit_signing_key_repository.h"
#include "services/audit/ports/checkpoint_signer.h"
#include "services/audit/ports/sha256_hasher.h"
#include "services/storage/ports/unit_of_work.h"

namespace confide {

enum class AuditFindingKind {
  // A field of an event or header differs from what was sealed (or from its own leaf).
  kEdited,
  // Events (or headers) that were sealed are absent.
  kMissing,
  // Events that were never sealed, or appear twice.
  kInserted,
  kReordered,
  // The export stops before its closing record.
  kTruncated,
  kBadSignature,
  // A header does not link to the one before it, or batch numbers skip.
  kBrokenChain,
  // A checkpoint names a key the verifier does not have (or the key does not match its id).
  kUnknownKey,
  // A record that cannot be read at all (not the format, bad JSON/CSV).
  kMalformed,
  // The saved checkpoint is not in the chain with the same hash (the trail was rewritten), or
  // the export cannot show it.
  kCheckpointMismatch,
};

// "edited", "missing", "inserted", "reordered", "truncated", "bad signature", "broken chain",
// "unknown key", "malformed", "checkpoint mismatch".
std::string_view AuditFindingKindName(AuditFindingKind kind);

struct AuditFinding {
  AuditFindingKind kind;
  // Export: 1-based line (NDJSON), row (CSV) or Bundle entry index (FHIR); 0 when not tied to
  // one. Database: 0.
  int64_t line = 0;
  // What `line` counts: "line", "row" or "entry".
  std::string unit = "line";
  std::string clinic_id;
  // 0 when not tied to a batch / an event.
  int64_t batch_no = 0;
  int64_t seq = 0;
  // Plain words, no event content, e.g. "event does not match its inclusion proof".
  std::string message;
};

// One line of plain text: "line 12, batch 3, seq 1041: edited: event does not match ...".
std::string DescribeFinding(const AuditFinding& finding);

struct AuditVerifyOptions {
  // A checkpoint saved earlier (GetAuditCheckpoint / `confidectl audit checkpoint`): its batch
  // must be in the verified chain with the same header hash.
  std::optional<AuditBatchHeader> saved_checkpoint;
  // Pinned keys (ListAuditKeys). Unset: exports use their embedded keys, databases their
  // audit_signing_keys table.
  std::optional<std::vector<AuditSigningKeyRecord>> pinned_keys;
  // Database only: verify just this clinic ("" is the deployment's own trail); unset = all.
  std::optional<std::string> clinic_id;
  // Findings kept in the report beyond this are only counted.
  int max_findings = 1000;
};

struct AuditVerifyReport {
  // "ndjson", "csv", "fhir" or "database".
  std::string source;
  // Export: the clinic; database: empty.
  std::string clinic_id;
  int64_t events_verified = 0;
  // Headers whose signature and chain link were checked (with or without their events).
  int64_t headers_verified = 0;
  int64_t batches_with_events = 0;
  // Database: events above sealed_through (not sealed yet; not an error).
  int64_t unsealed_events = 0;
  // Database: batches whose events were pruned (archived); only their headers were checked.
  int64_t pruned_batches = 0;
  // The checkpoint the export (or each clinic's chain) ends at.
  std::optional<AuditBatchHeader> checkpoint;
  // True when keys came from the export itself rather than --keys.
  bool used_embedded_keys = false;
  bool saved_checkpoint_checked = false;
  std::vector<AuditFinding> findings;
  // All findings, including those beyond max_findings.
  int64_t finding_count = 0;
  bool ok() const { return finding_count == 0; }
};

// Verifies an export read incrementally from `in` (format detected from the first bytes: '{' =
// NDJSON or FHIR, "record," = CSV). Every problem is a finding; the status is an error only when
// the stream cannot be read.
absl::StatusOr<AuditVerifyReport> VerifyAuditExport(std::istream& in, const Sha256Hasher& hasher,
                                                    const CheckpointSigner& signer,
                                                    const AuditVerifyOptions& options);

// Verifies the database's trail: every clinic's chain of batches (signatures with the stored
// keys, links, numbering, seq ranges tiling), every batch's events recomputed into its root,
// pruned ranges accepted as header-only, and events at or below sealed_through outside every
// batch flagged. Each clinic's batches are read in pages of read transactions.
absl::StatusOr<AuditVerifyReport> VerifyAuditDatabase(TransactionRunner& transactions,
                                                      const Sha256Hasher& hasher,
                                                      const CheckpointSigner& signer,
                                                      const AuditVerifyOptions& options);

// Plain-text report for people: what was checked, which keys were used, each finding, verdict.
std::string FormatVerifyReport(const AuditVerifyReport& report);

}  // namespace confide
