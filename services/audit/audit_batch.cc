#include "services/audit/audit_batch.h"

#include <string>

#include "absl/strings/str_cat.h"

namespace confide {

std::string CheckpointBytes(const AuditBatchHeader& header) {
  return absl::StrCat("confide-audit-checkpoint-v1\n", header.clinic_id, "\n", header.batch_no,
                      "\n", header.seq_after, "\n", header.seq_through, "\n", header.leaf_count,
                      "\n", header.tree_size, "\n", header.root_hash, "\n", header.prev_hash, "\n",
                      absl::ToUnixMicros(header.seal_time), "\n", header.key_id, "\n");
}

const std::string& GenesisHash() {
  static const std::string* const kZeros = new std::string(64, '0');
  return *kZeros;
}

}  // namespace confide
