#pragma once

#include "services/audit/ports/audit_trail_repository.h"

namespace soci {
class session;
}

namespace confide::persistence {

// The audit trail as the sealer, queries, exports and the verifier read it (audit_events,
// audit_batches, audit_seal_state, audit_prunes).
class SociAuditTrailRepository final : public AuditTrailRepository {
 public:
  explicit SociAuditTrailRepository(soci::session& sql) : sql_(sql) {}

  absl::StatusOr<int64_t> CommittedHorizon() override;
  absl::StatusOr<int64_t> LockSealedThrough() override;
  absl::Status SetSealedThrough(int64_t seq) override;
  absl::StatusOr<std::vector<AuditEvent>> EventsToSeal(int64_t after, int64_t through,
                                                       int limit) override;
  absl::StatusOr<std::optional<AuditBatchHeader>> LastBatch(std::string_view clinic_id) override;
  absl::Status InsertBatch(const AuditBatchHeader& header) override;
  absl::StatusOr<std::vector<std::string>> ClinicIds() override;
  absl::StatusOr<std::vector<AuditBatchHeader>> ListBatches(std::string_view clinic_id,
                                                            int64_t from_batch_no,
                                                            int limit) override;
  absl::StatusOr<std::optional<AuditBatchHeader>> FindBatch(std::string_view clinic_id,
                                                            int64_t batch_no) override;
  absl::StatusOr<std::optional<int64_t>> FirstBatchEndingAtOrAfter(std::string_view clinic_id,
                                                                   absl::Time time) override;
  absl::StatusOr<std::optional<int64_t>> LastBatchStartingBefore(std::string_view clinic_id,
                                                                 absl::Time time) override;
  absl::StatusOr<std::vector<AuditEvent>> ClinicEventsInRange(std::string_view clinic_id,
                                                              int64_t after, int64_t through,
                                                              int limit) override;
  absl::StatusOr<std::vector<AuditEventRow>> Query(const AuditEventFilter& filter) override;
  absl::StatusOr<std::optional<AuditPruneRecord>> LastPrune(std::string_view clinic_id) override;
  absl::StatusOr<int64_t> Prune(const AuditPruneRecord& record) override;

 private:
  soci::session& sql_;
};

}  // namespace confide::persistence
