#pragma once

#include <cstdint>
#include <string>

#include "absl/time/time.h"

namespace confide {

// A sealed batch of one clinic's events: the header of an RFC 6962 Merkle tree over the events
// with seq in (seq_after, seq_through], chained to the clinic's previous batch and signed.
// Hashes are lowercase hex (64 characters); the signature is base64.
struct AuditBatchHeader {
  // "" is the deployment's own trail (events that name no clinic, e.g. a failed sign-in with an
  // unknown email).
  std::string clinic_id;
  // 1, 2, ... per clinic, without gaps.
  int64_t batch_no = 0;
  int64_t seq_after = 0;
  int64_t seq_through = 0;
  int64_t leaf_count = 0;
  // Events in the clinic's chain up to and including this batch.
  int64_t tree_size = 0;
  std::string root_hash;
  // The previous batch's header_hash; 64 zeros for batch 1.
  std::string prev_hash;
  // SHA-256 of CheckpointBytes(*this).
  std::string header_hash;
  absl::Time seal_time;
  std::string key_id;
  std::string signature;
  // Not signed: the oldest and newest event time in the batch (export by time range), and the
  // server instance that sealed it (operations).
  absl::Time first_event_time;
  absl::Time last_event_time;
  std::string sealed_by;
};

// The canonical bytes a checkpoint's signature and header_hash cover: a fixed ASCII layout
//   "confide-audit-checkpoint-v1\n" clinic_id "\n" batch_no "\n" seq_after "\n" seq_through "\n"
//   leaf_count "\n" tree_size "\n" root_hash "\n" prev_hash "\n" seal_time(unix micros) "\n"
//   key_id "\n"
// with integers in decimal. Documented in docs/audit.md so anyone can re-implement it.
std::string CheckpointBytes(const AuditBatchHeader& header);

// 64 hex zeros: the previous hash of a clinic's first batch.
const std::string& GenesisHash();

}  // namespace confide
