#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/audit/audit_batch.h"
#include "services/audit/audit_event.h"

namespace confide {

// What ListAuditEvents and the access report ask for: one clinic's events, newest first by
// (time, seq). Empty strings and unset times do not filter.
struct AuditEventFilter {
  std::string clinic_id;
  std::optional<absl::Time> start_time;  // inclusive
  std::optional<absl::Time> end_time;    // exclusive
  std::string actor_user_id;
  std::string client_id;
  std::string action;
  // "success", "denied" or "failure".
  std::string outcome;
  bool break_glass_only = false;
  // Keyset position: only events strictly older than (time, seq).
  std::optional<absl::Time> before_time;
  int64_t before_seq = 0;
  int limit = 50;
};

// An event as queries return it, with the batch that sealed it (0 while unsealed).
struct AuditEventRow {
  AuditEvent event;
  int64_t batch_no = 0;
};

// A pruned range of a clinic's trail: the events of its batches up to through_batch_no were
// archived (archive_sha256, hex) and deleted; their headers stay.
struct AuditPruneRecord {
  std::string clinic_id;
  int64_t through_batch_no = 0;
  int64_t through_seq = 0;
  std::string archive_sha256;
  absl::Time prune_time;
};

// The audit trail as the sealer, the query service, the exporter and the verifier see it:
// tables audit_events, audit_batches, audit_seal_state and audit_prunes. Appending events is
// AuditLog's job; nothing here updates or deletes an event except the documented prune.
class AuditTrailRepository {
 public:
  virtual ~AuditTrailRepository() = default;

  // --- Sealing (services/audit/audit_sealer) ---
  // The highest seq such that every event with a seq at or below it is committed. On
  // PostgreSQL this takes a SHARE lock on audit_events, waiting for in-flight appends (sequence
  // values are handed out before commit), so run it in its own short transaction.
  virtual absl::StatusOr<int64_t> CommittedHorizon() = 0;
  // How far the sealer has looked (every event with seq <= it is in a batch), locking the state
  // row until the transaction ends (FOR UPDATE on PostgreSQL) so two sealers never overlap.
  virtual absl::StatusOr<int64_t> LockSealedThrough() = 0;
  virtual absl::Status SetSealedThrough(int64_t seq) = 0;
  // Events of every clinic with seq in (after, through], in seq order, at most `limit`.
  virtual absl::StatusOr<std::vector<AuditEvent>> EventsToSeal(int64_t after, int64_t through,
                                                               int limit) = 0;
  // The clinic's newest batch, if any.
  virtual absl::StatusOr<std::optional<AuditBatchHeader>> LastBatch(std::string_view clinic_id) = 0;
  // ALREADY_EXISTS when the clinic already has this batch_no (a second sealer lost the race).
  virtual absl::Status InsertBatch(const AuditBatchHeader& header) = 0;

  // --- Reading batches and their events (export, verification, prune) ---
  // Clinics with events or batches, including "" when present, ascending.
  virtual absl::StatusOr<std::vector<std::string>> ClinicIds() = 0;
  // The clinic's batches with batch_no >= from_batch_no, ascending, at most `limit`.
  virtual absl::StatusOr<std::vector<AuditBatchHeader>> ListBatches(std::string_view clinic_id,
                                                                    int64_t from_batch_no,
                                                                    int limit) = 0;
  virtual absl::StatusOr<std::optional<AuditBatchHeader>> FindBatch(std::string_view clinic_id,
                                                                    int64_t batch_no) = 0;
  // The lowest batch_no whose last_event_time >= `time`; nullopt when none.
  virtual absl::StatusOr<std::optional<int64_t>> FirstBatchEndingAtOrAfter(
      std::string_view clinic_id, absl::Time time) = 0;
  // The highest batch_no whose first_event_time < `time`; nullopt when none.
  virtual absl::StatusOr<std::optional<int64_t>> LastBatchStartingBefore(std::string_view clinic_id,
                                                                         absl::Time time) = 0;
  // The clinic's events with seq in (after, through], in seq order, at most `limit` (one batch's
  // leaves, or what lies outside every batch).
  virtual absl::StatusOr<std::vector<AuditEvent>> ClinicEventsInRange(std::string_view clinic_id,
                                                                      int64_t after,
                                                                      int64_t through,
                                                                      int limit) = 0;

  // --- Query (AuditService) ---
  virtual absl::StatusOr<std::vector<AuditEventRow>> Query(const AuditEventFilter& filter) = 0;

  // --- Retention (archive-then-prune) ---
  // The clinic's newest prune record, if any.
  virtual absl::StatusOr<std::optional<AuditPruneRecord>> LastPrune(std::string_view clinic_id) = 0;
  // Records the prune and deletes the clinic's events with seq <= record.through_seq (the
  // triggers allow exactly these deletes). Returns how many events were deleted.
  virtual absl::StatusOr<int64_t> Prune(const AuditPruneRecord& record) = 0;
};

}  // namespace confide
