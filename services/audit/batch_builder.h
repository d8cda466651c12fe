#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/audit/audit_batch.h"
#include "services/audit/audit_event.h"
#include "services/audit/ports/checkpoint_signer.h"
#include "services/audit/ports/sha256_hasher.h"

namespace confide {

// Builds and signs the next batch of a clinic's chain: the RFC 6962 root over `events` (the
// clinic's events with seq in (previous.seq_through or 0, seq_through], in seq order; may be
// empty only for tests), linked to `previous` (nullopt for batch 1) and signed with the raw
// Ed25519 `private_key_raw` whose id is `key_id`. INVALID_ARGUMENT when the events are out of
// order, belong to another clinic or lie outside the range; the signer's error otherwise.
absl::StatusOr<AuditBatchHeader> BuildBatch(
    const Sha256Hasher& hasher, const CheckpointSigner& signer, std::string_view private_key_raw,
    std::string_view key_id, const std::optional<AuditBatchHeader>& previous,
    std::string_view clinic_id, int64_t seq_through, const std::vector<AuditEvent>& events,
    absl::Time seal_time, std::string_view sealed_by);

// The lowercase hex header hash of `header` (SHA-256 of CheckpointBytes).
std::string HeaderHash(const Sha256Hasher& hasher, const AuditBatchHeader& header);

// The lowercase hex RFC 6962 root over `events`' leaves (AuditLeafBytes), in the given order.
std::string BatchRootHex(const Sha256Hasher& hasher, const std::vector<AuditEvent>& events);

// The Ed25519 key id of a raw public key: lowercase hex SHA-256 of it.
std::string AuditKeyId(const Sha256Hasher& hasher, std::string_view public_key_raw);

}  // namespace confide
