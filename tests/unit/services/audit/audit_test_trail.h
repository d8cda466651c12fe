#pragma once

// A small sealed trail built with the real batch builder, OpenSSL hashing and Ed25519, and its
// exports: what the export, verifier and tamper tests share.

#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "adapters/crypto/openssl_checkpoint_signer.h"
#include "adapters/crypto/openssl_sha256_hasher.h"
#include "gtest/gtest.h"
#include "services/audit/audit_export.h"
#include "services/audit/audit_verifier.h"
#include "services/audit/batch_builder.h"

namespace confide::testing_audit {

struct TestTrail {
  std::string clinic_id = "0193a2b4-0000-7000-8000-00000000c11c";
  std::vector<AuditBatchHeader> headers;
  std::vector<std::vector<AuditEvent>> events;  // per batch
  std::vector<AuditSigningKeyRecord> keys;
};

inline AuditEvent MakeEvent(const std::string& clinic_id, int64_t seq, int i) {
  static const char* const kActions[] = {
      "confide.v1.ClientService.GetClient", "confide.v1.NoteService.CreateNote",
      "confide.v1.NoteService.UpdateNote",  "confide.v1.ClientService.DeleteClient",
      "confide.v1.AuthService.Login",       "confide.v1.RecordService.ExportRecord"};
  static const char* const kOutcomes[] = {"success", "denied", "failure"};
  AuditEvent e;
  e.seq = seq;
  e.id = absl::StrCat("0193a2b4-1111-7000-8000-", absl::Hex(100000000000 + seq, absl::kZeroPad12));
  e.time = absl::FromUnixMicros(1790000000000000 + seq * 1234567);
  e.actor_user_id = i % 7 == 3 ? "" : absl::StrCat("0193a2b4-2222-7000-8000-00000000000", i % 5);
  e.actor_role = i % 7 == 3 ? "" : (i % 2 == 0 ? "clinician" : "auditor");
  e.clinic_id = clinic_id;
  e.action = kActions[i % 6];
  e.client_id = i % 3 == 0 ? "" : absl::StrCat("0193a2b4-3333-7000-8000-00000000000", i % 4);
  e.resource = e.client_id.empty() ? "" : absl::StrCat("clients/", e.client_id, "/notes/n,\"q\"");
  e.outcome = kOutcomes[i % 3];
  e.status_code = i % 3 == 0 ? "OK" : (i % 3 == 1 ? "PERMISSION_DENIED" : "NOT_FOUND");
  e.request_id = absl::StrCat("req-", i);
  e.source_address = i % 4 == 0 ? "" : "203.0.113.7";
  e.break_glass = i % 5 == 2;
  e.detail = i % 4 == 1 ? "purpose=TRANSFER_OF_CARE psychotherapy_notes=excluded" : "";
  return e;
}

// `batches` batches of 3, 8, 5, 1, 13, 2, ... events with gaps in seq.
inline TestTrail BuildTrail(const Sha256Hasher& hasher, const CheckpointSigner& signer,
                            int batches) {
  TestTrail trail;
  absl::StatusOr<Ed25519KeyPair> pair = signer.GenerateKey();
  EXPECT_TRUE(pair.ok());
  AuditSigningKeyRecord key;
  key.key_id = AuditKeyId(hasher, pair->public_key);
  key.clinic_id = trail.clinic_id;
  key.public_key = absl::Base64Escape(pair->public_key);
  key.create_time = absl::FromUnixSeconds(1790000000);
  trail.keys.push_back(key);
  static const int kSizes[] = {3, 8, 5, 2, 13, 4, 7};
  int64_t seq = 0;
  int i = 0;
  std::optional<AuditBatchHeader> previous;
  for (int b = 0; b < batches; ++b) {
    std::vector<AuditEvent> events;
    for (int k = 0; k < kSizes[b % 7]; ++k) {
      seq += 1 + (i % 3);
      events.push_back(MakeEvent(trail.clinic_id, seq, i++));
    }
    seq += 2;
    absl::StatusOr<AuditBatchHeader> header =
        BuildBatch(hasher, signer, pair->private_key, key.key_id, previous, trail.clinic_id, seq,
                   events, absl::FromUnixMicros(1790000000000000 + seq * 2000000 + 17), "test");
    EXPECT_TRUE(header.ok()) << header.status();
    previous = *header;
    trail.headers.push_back(*header);
    trail.events.push_back(std::move(events));
  }
  return trail;
}

// An export of batches first..last (1-based; 0..0 = empty scope) up to the last batch.
inline std::string ExportTrail(const Sha256Hasher& hasher, const TestTrail& trail,
                               AuditExportFormat format, int64_t first, int64_t last) {
  AuditExportPreamble preamble;
  preamble.clinic_id = trail.clinic_id;
  preamble.first_batch_no = first;
  preamble.last_batch_no = last;
  preamble.checkpoint = trail.headers.back();
  preamble.keys = trail.keys;
  preamble.export_time = absl::FromUnixMicros(1800000000123456);
  if (first > 0) preamble.start_time = absl::FromUnixSeconds(1790000000);
  std::string out = ExportPreamble(format, preamble);
  AuditExportSummary summary;
  if (first > 0) {
    for (int64_t b = first; b <= last; ++b) {
      out += ExportBatch(format, hasher, trail.headers[b - 1], trail.events[b - 1]);
      ++summary.batches;
      summary.events += static_cast<int64_t>(trail.events[b - 1].size());
    }
  }
  const int64_t from = first > 0 ? last + 1 : trail.headers.back().batch_no;
  for (int64_t b = from; b <= trail.headers.back().batch_no; ++b) {
    out += ExportChainHeader(format, trail.headers[b - 1]);
    ++summary.chain_headers;
  }
  out += ExportClosing(format, summary);
  return out;
}

inline AuditVerifyReport Verify(const std::string& text, const Sha256Hasher& hasher,
                                const CheckpointSigner& signer,
                                const AuditVerifyOptions& options = {}) {
  std::istringstream in(text);
  absl::StatusOr<AuditVerifyReport> report = VerifyAuditExport(in, hasher, signer, options);
  EXPECT_TRUE(report.ok()) << report.status();
  return report.ok() ? *report : AuditVerifyReport{};
}

}  // namespace confide::testing_audit
