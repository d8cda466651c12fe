#include "services/audit/batch_builder.h"

#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "services/audit/audit_leaf.h"
#include "services/audit/merkle.h"

namespace confide {

std::string HeaderHash(const Sha256Hasher& hasher, const AuditBatchHeader& header) {
  return absl::BytesToHexString(hasher.Hash(CheckpointBytes(header)));
}

std::string BatchRootHex(const Sha256Hasher& hasher, const std::vector<AuditEvent>& events) {
  std::vector<std::string> leaves;
  leaves.reserve(events.size());
  for (const AuditEvent& event : events) {
    leaves.push_back(merkle::LeafHash(hasher, AuditLeafBytes(event)));
  }
  return absl::BytesToHexString(merkle::RootFromLeafHashes(hasher, leaves));
}

std::string AuditKeyId(const Sha256Hasher& hasher, std::string_view public_key_raw) {
  return absl::BytesToHexString(hasher.Hash(public_key_raw));
}

absl::StatusOr<AuditBatchHeader> BuildBatch(
    const Sha256Hasher& hasher, const CheckpointSigner& signer, std::string_view private_key_raw,
    std::string_view key_id, const std::optional<AuditBatchHeader>& previous,
    std::string_view clinic_id, int64_t seq_through, const std::vector<AuditEvent>& events,
    absl::Time seal_time, std::string_view sealed_by) {
  AuditBatchHeader header;
  header.clinic_id = std::string(clinic_id);
  header.batch_no = previous.has_value() ? previous->batch_no + 1 : 1;
  header.seq_after = previous.has_value() ? previous->seq_through : 0;
  header.seq_through = seq_through;
  header.leaf_count = static_cast<int64_t>(events.size());
  header.tree_size = (previous.has_value() ? previous->tree_size : 0) + header.leaf_count;
  header.prev_hash = previous.has_value() ? previous->header_hash : GenesisHash();
  if (previous.has_value() && previous->clinic_id != clinic_id) {
    return absl::InvalidArgumentError("previous batch belongs to another clinic");
  }
  if (seq_through < header.seq_after) {
    return absl::InvalidArgumentError("seq_through is before the previous batch's end");
  }
  int64_t last_seq = header.seq_after;
  for (const AuditEvent& event : events) {
    if (event.clinic_id != clinic_id) {
      return absl::InvalidArgumentError("event belongs to another clinic");
    }
    if (event.seq <= last_seq || event.seq > seq_through) {
      return absl::InvalidArgumentError("events out of seq order or outside the batch range");
    }
    last_seq = event.seq;
    const bool first = &event == &events.front();
    if (first || event.time < header.first_event_time) {
      header.first_event_time = event.time;
    }
    if (first || event.time > header.last_event_time) {
      header.last_event_time = event.time;
    }
  }
  if (events.empty()) {
    header.first_event_time = seal_time;
    header.last_event_time = seal_time;
  }
  header.root_hash = BatchRootHex(hasher, events);
  header.seal_time = absl::FromUnixMicros(absl::ToUnixMicros(seal_time));
  header.key_id = std::string(key_id);
  header.sealed_by = std::string(sealed_by);
  const std::string bytes = CheckpointBytes(header);
  header.header_hash = absl::BytesToHexString(hasher.Hash(bytes));
  absl::StatusOr<std::string> signature = signer.Sign(private_key_raw, bytes);
  if (!signature.ok()) {
    return signature.status();
  }
  header.signature = absl::Base64Escape(*signature);
  return header;
}

}  // namespace confide
