#pragma once

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "services/audit/ports/checkpoint_signer.h"
#include "services/audit/ports/sha256_hasher.h"
#include "services/common/clock.h"
#include "services/crypto/ports/secret_box.h"
#include "services/storage/ports/unit_of_work.h"

namespace confide {

// The SecretBox context of a clinic's sealed Ed25519 private key.
std::string AuditSigningKeyContext(std::string_view key_id);

// Seals the audit trail: groups committed events past audit_seal_state.sealed_through_seq by
// clinic into signed, chained RFC 6962 batches (docs/audit.md). Safe to run from several
// processes at once: the seal state row is locked for the whole write, so rounds serialize and a
// loser finds nothing left to seal.
class AuditSealer {
 public:
  AuditSealer(TransactionRunner& transactions, const SecretBox& box, const CheckpointSigner& signer,
              const Sha256Hasher& hasher, const Clock& clock, std::string instance_id,
              int max_events_per_round)
      : transactions_(transactions),
        box_(box),
        signer_(signer),
        hasher_(hasher),
        clock_(clock),
        instance_id_(std::move(instance_id)),
        max_events_per_round_(max_events_per_round) {}

  // Seals every event committed when it starts, in rounds of at most max_events_per_round
  // events (one write transaction each). Returns how many events it sealed; storage errors as
  // UNAVAILABLE/INTERNAL (nothing of a failed round is kept).
  absl::StatusOr<int64_t> SealOnce();

 private:
  // One round over (sealed_through, horizon]: sets `reached` to the new sealed_through.
  absl::StatusOr<int64_t> SealRound(UnitOfWork& uow, int64_t horizon, int64_t& reached);
  // The clinic's active key, created (and stored) when it has none; `private_key` gets the raw
  // private key.
  absl::StatusOr<std::string> ActiveKey(UnitOfWork& uow, const std::string& clinic_id,
                                        std::string& private_key);

  TransactionRunner& transactions_;
  const SecretBox& box_;
  const CheckpointSigner& signer_;
  const Sha256Hasher& hasher_;
  const Clock& clock_;
  const std::string instance_id_;
  const int max_events_per_round_;
};

}  // namespace confide
