#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "confide/v1/audit.pb.h"
#include "services/audit/audit_batch.h"
#include "services/audit/audit_event.h"
#include "services/audit/ports/audit_signing_key_repository.h"
#include "services/audit/ports/sha256_hasher.h"
#include "services/storage/ports/unit_of_work.h"

namespace confide {

// Verifiable audit exports (docs/audit.md, "Export formats"). Every format carries, in order:
// a preamble (format version, clinic, scope, the checkpoint, the public keys); for each batch in
// the scope its signed header followed by its events, each with its batch number, leaf index
// and RFC 6962 inclusion proof; the signed headers after the scope up to the checkpoint; and a
// closing record with the counts. Writers are stateless functions returning the text of one
// part, so an export can be produced page by page and never holds more than one batch.
enum class AuditExportFormat { kNdjson, kCsv, kFhirR4 };

// "ndjson", "csv", "fhir" (also the confidectl --format values).
std::string_view AuditExportFormatName(AuditExportFormat format);
std::optional<AuditExportFormat> AuditExportFormatFromName(std::string_view name);
// "application/x-ndjson", "text/csv", "application/fhir+json".
std::string_view AuditExportContentType(AuditExportFormat format);

// What an export covers: batches first_batch_no..last_batch_no of one clinic carry their events
// (both 0 when no batch falls in the scope); headers last_batch_no+1..checkpoint.batch_no follow
// as the chain (only the checkpoint's header when the scope is empty).
struct AuditExportPreamble {
  std::string clinic_id;
  // The time range asked for (informational; unset = unbounded).
  std::optional<absl::Time> start_time;
  std::optional<absl::Time> end_time;
  int64_t first_batch_no = 0;
  int64_t last_batch_no = 0;
  // The clinic's latest batch header when the export started.
  AuditBatchHeader checkpoint;
  // The clinic's verification keys (sealed_private_key is never written).
  std::vector<AuditSigningKeyRecord> keys;
  absl::Time export_time;
};

// The closing record's counts.
struct AuditExportSummary {
  // Batches written with their events, events written, header-only chain records written.
  int64_t batches = 0;
  int64_t events = 0;
  int64_t chain_headers = 0;
};

// The parts of an export, in file order: ExportPreamble, then ExportBatch for each batch of the
// scope, ExportChainHeader for each later header, ExportClosing. Concatenated, they are the file.
std::string ExportPreamble(AuditExportFormat format, const AuditExportPreamble& preamble);
// `events` are the batch's events in seq order; proofs are computed here (O(n log n)).
std::string ExportBatch(AuditExportFormat format, const Sha256Hasher& hasher,
                        const AuditBatchHeader& header, const std::vector<AuditEvent>& events);
std::string ExportChainHeader(AuditExportFormat format, const AuditBatchHeader& header);
std::string ExportClosing(AuditExportFormat format, const AuditExportSummary& summary);

// Picks the scope of an export of `clinic_id`'s trail in [start_time, end_time): the batches
// whose events overlap it, never before the clinic's last prune. FAILED_PRECONDITION when the
// clinic has nothing sealed yet. Reads through `uow`.
absl::StatusOr<AuditExportPreamble> PlanAuditExport(UnitOfWork& uow, std::string_view clinic_id,
                                                    std::optional<absl::Time> start_time,
                                                    std::optional<absl::Time> end_time,
                                                    absl::Time now);

// Writes a whole export of `clinic_id` to `sink`, one batch at a time, each batch read in its own
// read transaction (what `confidectl audit export` runs). Returns the counts written.
absl::StatusOr<AuditExportSummary> WriteAuditExport(
    TransactionRunner& transactions, const Sha256Hasher& hasher, AuditExportFormat format,
    std::string_view clinic_id, std::optional<absl::Time> start_time,
    std::optional<absl::Time> end_time, absl::Time now,
    absl::FunctionRef<absl::Status(std::string_view)> sink);

// A batch header as the API shows it (GetAuditCheckpoint, export preambles), and back.
v1::AuditCheckpoint CheckpointToProto(const AuditBatchHeader& header);
AuditBatchHeader CheckpointFromProto(const v1::AuditCheckpoint& checkpoint);
v1::AuditKey AuditKeyToProto(const AuditSigningKeyRecord& key);

// The checkpoint / key list JSON exactly as the REST API prints them (camelCase; int64 as
// strings), which is also what `confidectl audit checkpoint` prints and --checkpoint/--keys read.
std::string CheckpointJson(const AuditBatchHeader& header);
absl::StatusOr<AuditBatchHeader> ParseCheckpointJson(std::string_view json);
// Accepts a ListAuditKeysResponse ({"keys": [...]}).
absl::StatusOr<std::vector<AuditSigningKeyRecord>> ParseAuditKeysJson(std::string_view json);

// Fixed RFC 3339 UTC form with microseconds, e.g. "2026-11-26T11:53:43.123456Z".
std::string AuditTimeText(absl::Time time);
std::optional<absl::Time> ParseAuditTimeText(std::string_view text);

}  // namespace confide
