// BuildBatch: the header of a clinic's next batch, filled per docs/audit.md (range, counts,
// chain link, RFC 6962 root, header hash over the canonical bytes, Ed25519 signature), and
// refused for events out of order, out of range or of another clinic.

#include "services/audit/batch_builder.h"

#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "adapters/crypto/openssl_checkpoint_signer.h"
#include "adapters/crypto/openssl_sha256_hasher.h"
#include "gtest/gtest.h"
#include "services/audit/audit_leaf.h"
#include "services/audit/merkle.h"

namespace confide {
namespace {

constexpr char kClinic[] = "clinic-a";

AuditEvent Event(int64_t seq, absl::Time time, const std::string& clinic = kClinic) {
  return AuditEvent{.seq = seq,
                    .id = "evt-" + std::to_string(seq),
                    .time = time,
                    .actor_user_id = "u1",
                    .actor_role = "clinician",
                    .clinic_id = clinic,
                    .action = "confide.v1.ClientService.GetClient",
                    .outcome = "success",
                    .status_code = "OK"};
}

class BatchBuilderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<Ed25519KeyPair> pair = signer_.GenerateKey();
    ASSERT_TRUE(pair.ok());
    keys_ = *pair;
    key_id_ = AuditKeyId(hasher_, keys_.public_key);
  }

  absl::StatusOr<AuditBatchHeader> Build(const std::optional<AuditBatchHeader>& previous,
                                         int64_t through, const std::vector<AuditEvent>& events) {
    return BuildBatch(hasher_, signer_, keys_.private_key, key_id_, previous, kClinic, through,
                      events, kSealTime, "host:1:ab");
  }

  static constexpr absl::Time kT0 = absl::FromUnixSeconds(1'800'000'000);
  static constexpr absl::Time kSealTime = absl::FromUnixSeconds(1'800'000'100);
  OpenSslSha256Hasher hasher_;
  OpenSslCheckpointSigner signer_;
  Ed25519KeyPair keys_;
  std::string key_id_;
};

TEST_F(BatchBuilderTest, FirstBatchStartsTheChainAndIsSigned) {
  const std::vector<AuditEvent> events = {Event(3, kT0 + absl::Seconds(2)), Event(5, kT0),
                                          Event(9, kT0 + absl::Seconds(1))};
  absl::StatusOr<AuditBatchHeader> batch = Build(std::nullopt, 10, events);
  ASSERT_TRUE(batch.ok()) << batch.status();
  EXPECT_EQ(batch->clinic_id, kClinic);
  EXPECT_EQ(batch->batch_no, 1);
  EXPECT_EQ(batch->seq_after, 0);
  EXPECT_EQ(batch->seq_through, 10);
  EXPECT_EQ(batch->leaf_count, 3);
  EXPECT_EQ(batch->tree_size, 3);
  EXPECT_EQ(batch->prev_hash, GenesisHash());
  EXPECT_EQ(batch->first_event_time, kT0);
  EXPECT_EQ(batch->last_event_time, kT0 + absl::Seconds(2));
  EXPECT_EQ(batch->seal_time, kSealTime);
  EXPECT_EQ(batch->key_id, key_id_);
  EXPECT_EQ(batch->sealed_by, "host:1:ab");
  std::vector<std::string> leaves;
  for (const AuditEvent& event : events) {
    leaves.push_back(merkle::LeafHash(hasher_, AuditLeafBytes(event)));
  }
  EXPECT_EQ(batch->root_hash, absl::BytesToHexString(merkle::RootFromLeafHashes(hasher_, leaves)));
  EXPECT_EQ(batch->header_hash, absl::BytesToHexString(hasher_.Hash(CheckpointBytes(*batch))));
  EXPECT_EQ(batch->header_hash.size(), 64u);
  std::string signature;
  ASSERT_TRUE(absl::Base64Unescape(batch->signature, &signature));
  EXPECT_TRUE(signer_.Verify(keys_.public_key, CheckpointBytes(*batch), signature));
}

TEST_F(BatchBuilderTest, NextBatchLinksToThePreviousHeader) {
  absl::StatusOr<AuditBatchHeader> first = Build(std::nullopt, 10, {Event(4, kT0)});
  ASSERT_TRUE(first.ok());
  absl::StatusOr<AuditBatchHeader> second =
      Build(*first, 20, {Event(11, kT0), Event(20, kT0 + absl::Seconds(1))});
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->batch_no, 2);
  EXPECT_EQ(second->seq_after, 10);
  EXPECT_EQ(second->tree_size, 3);
  EXPECT_EQ(second->prev_hash, first->header_hash);
  EXPECT_NE(second->header_hash, first->header_hash);
}

TEST_F(BatchBuilderTest, RefusesEventsOutOfOrderOutOfRangeOrOfAnotherClinic) {
  absl::StatusOr<AuditBatchHeader> first = Build(std::nullopt, 10, {Event(4, kT0)});
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(Build(std::nullopt, 10, {Event(5, kT0), Event(4, kT0)}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Build(std::nullopt, 10, {Event(11, kT0)}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Build(*first, 20, {Event(10, kT0)}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Build(std::nullopt, 10, {Event(4, kT0, "clinic-b")}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Build(*first, 5, {}).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(BatchBuilderTest, AMalformedKeyIsTheSignersError) {
  absl::StatusOr<AuditBatchHeader> batch =
      BuildBatch(hasher_, signer_, "short", key_id_, std::nullopt, kClinic, 10, {Event(4, kT0)},
                 kSealTime, "host");
  EXPECT_FALSE(batch.ok());
}

}  // namespace
}  // namespace confide
