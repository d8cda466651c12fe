#pragma once

#include "services/audit/ports/audit_trail_repository.h"
#include "tests/fakes/in_memory_database.h"

namespace confide {

class InMemoryAuditTrailRepository final : public AuditTrailRepository {
 public:
  explicit InMemoryAuditTrailRepository(InMemoryDatabase& db) : db_(db) {}

  absl::StatusOr<int64_t> CommittedHorizon() override {
    (void)db_;
    return absl::UnimplementedError("InMemoryAuditTrailRepository::CommittedHorizon");
  }
  absl::StatusOr<int64_t> LockSealedThrough() override {
    (void)db_;
    return absl::UnimplementedError("InMemoryAuditTrailRepository::LockSealedThrough");
  }
  absl::Status SetSealedThrough(int64_t /*seq*/) override {
    (void)db_;
    return absl::UnimplementedError("InMemoryAuditTrailRepository::SetSealedThrough");
  }
  absl::StatusOr<std::vector<AuditEvent>> EventsToSeal(int64_t /*after*/, int64_t /*through*/,
                                                       int /*limit*/) override {
    (void)db_;
    return absl::UnimplementedError("InMemoryAuditTrailRepository::EventsToSeal");
  }
  absl::StatusOr<std::optional<AuditBatchHeader>> LastBatch(
      std::string_view /*clinic_id*/) override {
    (void)db_;
    return absl::UnimplementedError("InMemoryAuditTrailRepository::LastBatch");
  }
  absl::Status InsertBatch(const AuditBatchHeader& /*header*/) override {
    (void)db_;
    return absl::UnimplementedError("InMemoryAuditTrailRepository::InsertBatch");
  }
  absl::StatusOr<std::vector<std::string>> ClinicIds() override {
    (void)db_;
    return absl::UnimplementedError("InMemoryAuditTrailRepository::ClinicIds");
  }
  absl::StatusOr<std::vector<AuditBatchHeader>> ListBatches(std::string_view /*clinic_id*/,
                                                            int64_t /*from_batch_no*/,
                                                            int /*limit*/) override {
    (void)db_;
    return absl::UnimplementedError("InMemoryAuditTrailRepository::ListBatches");
  }
  absl::StatusOr<std::optional<AuditBatchHeader>> FindBatch(std::string_view /*clinic_id*/,
                                                            int64_t /*batch_no*/) override {
    (void)db_;
    return absl::UnimplementedError("InMemoryAuditTrailRepository::FindBatch");
  }
  absl::StatusOr<std::optional<int64_t>> FirstBatchEndingAtOrAfter(std::string_view /*clinic_id*/,
                                                                   absl::Time /*time*/) override {
    (void)db_;
    return absl::UnimplementedError("InMemoryAuditTrailRepository::FirstBatchEndingAtOrAfter");
  }
  absl::StatusOr<std::optional<int64_t>> LastBatchStartingBefore(std::string_view /*clinic_id*/,
                                                                 absl::Time /*time*/) override {
    (void)db_;
    return absl::UnimplementedError("InMemoryAuditTrailRepository::LastBatchStartingBefore");
  }
  absl::StatusOr<std::vector<AuditEvent>> ClinicEventsInRange(std::string_view /*clinic_id*/,
                                                              int64_t /*after*/,
                                                              int64_t /*through*/,
                                                              int /*limit*/) override {
    (void)db_;
    return absl::UnimplementedError("InMemoryAuditTrailRepository::ClinicEventsInRange");
  }
  absl::StatusOr<std::vector<AuditEventRow>> Query(const AuditEventFilter& /*filter*/) override {
    (void)db_;
    return absl::UnimplementedError("InMemoryAuditTrailRepository::Query");
  }
  absl::StatusOr<std::optional<AuditPruneRecord>> LastPrune(
      std::string_view /*clinic_id*/) override {
    (void)db_;
    return absl::UnimplementedError("InMemoryAuditTrailRepository::LastPrune");
  }
  absl::StatusOr<int64_t> Prune(const AuditPruneRecord& /*record*/) override {
    (void)db_;
    return absl::UnimplementedError("InMemoryAuditTrailRepository::Prune");
  }

 private:
  InMemoryDatabase& db_;
};

}  // namespace confide
