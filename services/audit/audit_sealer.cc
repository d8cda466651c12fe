#include "services/audit/audit_sealer.h"

#include <map>
#include <optional>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "services/audit/batch_builder.h"
#include "services/audit/ports/audit_signing_key_repository.h"
#include "services/audit/ports/audit_trail_repository.h"

namespace confide {
namespace {

// Overwrites a private key's bytes before its memory is released.
void Wipe(std::string& secret) {
  volatile char* bytes = secret.data();
  for (size_t i = 0; i < secret.size(); ++i) {
    bytes[i] = 0;
  }
}

}  // namespace

std::string AuditSigningKeyContext(std::string_view key_id) {
  return "audit_signing_keys.private_key:" + std::string(key_id);
}

absl::StatusOr<int64_t> AuditSealer::SealOnce() {
  // Its own short transaction: on PostgreSQL it waits for appends in flight (SHARE lock), and
  // must not hold that lock while batches are built.
  int64_t horizon = 0;
  absl::Status status = transactions_.Run(TransactionMode::kRead, [&](UnitOfWork& uow) {
    absl::StatusOr<int64_t> committed = uow.audit_trail().CommittedHorizon();
    if (!committed.ok()) {
      return committed.status();
    }
    horizon = *committed;
    return absl::OkStatus();
  });
  if (!status.ok()) {
    return status;
  }
  int64_t sealed = 0;
  while (true) {
    int64_t reached = 0;
    int64_t round = 0;
    status = transactions_.Run(TransactionMode::kWrite, [&](UnitOfWork& uow) {
      absl::StatusOr<int64_t> n = SealRound(uow, horizon, reached);
      if (!n.ok()) {
        return n.status();
      }
      round = *n;
      return absl::OkStatus();
    });
    if (!status.ok()) {
      return status;
    }
    sealed += round;
    if (reached >= horizon) {
      return sealed;
    }
  }
}

absl::StatusOr<int64_t> AuditSealer::SealRound(UnitOfWork& uow, int64_t horizon, int64_t& reached) {
  AuditTrailRepository& trail = uow.audit_trail();
  absl::StatusOr<int64_t> sealed_through = trail.LockSealedThrough();
  if (!sealed_through.ok()) {
    return sealed_through.status();
  }
  reached = *sealed_through;
  if (*sealed_through >= horizon) {
    // Another sealer got here first.
    return 0;
  }
  absl::StatusOr<std::vector<AuditEvent>> events =
      trail.EventsToSeal(*sealed_through, horizon, max_events_per_round_);
  if (!events.ok()) {
    return events.status();
  }
  // A full round stops at its last event so the next round's range starts right after it.
  const int64_t through =
      static_cast<int64_t>(events->size()) >= max_events_per_round_ && !events->empty()
          ? events->back().seq
          : horizon;
  std::map<std::string, std::vector<AuditEvent>> by_clinic;
  for (AuditEvent& event : *events) {
    by_clinic[event.clinic_id].push_back(std::move(event));
  }
  const absl::Time now = clock_.Now();
  for (const auto& [clinic_id, clinic_events] : by_clinic) {
    absl::StatusOr<std::optional<AuditBatchHeader>> previous = trail.LastBatch(clinic_id);
    if (!previous.ok()) {
      return previous.status();
    }
    std::string private_key;
    absl::StatusOr<std::string> key_id = ActiveKey(uow, clinic_id, private_key);
    if (!key_id.ok()) {
      return key_id.status();
    }
    absl::StatusOr<AuditBatchHeader> batch =
        BuildBatch(hasher_, signer_, private_key, *key_id, *previous, clinic_id, through,
                   clinic_events, now, instance_id_);
    Wipe(private_key);
    if (!batch.ok()) {
      return batch.status();
    }
    if (absl::Status inserted = trail.InsertBatch(*batch); !inserted.ok()) {
      return inserted;
    }
  }
  if (absl::Status set = trail.SetSealedThrough(through); !set.ok()) {
    return set;
  }
  reached = through;
  return static_cast<int64_t>(events->size());
}

absl::StatusOr<std::string> AuditSealer::ActiveKey(UnitOfWork& uow, const std::string& clinic_id,
                                                   std::string& private_key) {
  AuditSigningKeyRepository& keys = uow.audit_signing_keys();
  absl::StatusOr<std::optional<AuditSigningKeyRecord>> active = keys.FindActive(clinic_id);
  if (!active.ok()) {
    return active.status();
  }
  if (active->has_value()) {
    const AuditSigningKeyRecord& key = **active;
    absl::StatusOr<std::string> opened =
        box_.Open(key.sealed_private_key, AuditSigningKeyContext(key.key_id));
    if (!opened.ok()) {
      return absl::InternalError(
          absl::StrCat("the audit signing key ", key.key_id,
                       " does not open with the master key: ", opened.status().message()));
    }
    private_key = std::move(*opened);
    return key.key_id;
  }
  absl::StatusOr<Ed25519KeyPair> pair = signer_.GenerateKey();
  if (!pair.ok()) {
    return pair.status();
  }
  AuditSigningKeyRecord key;
  key.key_id = AuditKeyId(hasher_, pair->public_key);
  key.clinic_id = clinic_id;
  key.public_key = absl::Base64Escape(pair->public_key);
  absl::StatusOr<std::string> sealed =
      box_.Seal(pair->private_key, AuditSigningKeyContext(key.key_id));
  if (!sealed.ok()) {
    Wipe(pair->private_key);
    return sealed.status();
  }
  key.sealed_private_key = std::move(*sealed);
  key.create_time = clock_.Now();
  if (absl::Status inserted = keys.Insert(key); !inserted.ok()) {
    Wipe(pair->private_key);
    return inserted;
  }
  private_key = std::move(pair->private_key);
  return key.key_id;
}

}  // namespace confide
