// The audit sealer against a real database (SQLite or PostgreSQL, as CONFIDE_TEST_DATABASE
// names): events of several clinics and of the deployment's own trail ("") become per-clinic
// chains of batches that tile the seq line; every root recomputes from the stored events, every
// header hash from its canonical bytes, every signature verifies with the clinic's stored public
// key, and every event at or below sealed_through is in exactly one batch. The same holds with
// appends racing the sealer, and with two sealers (two Database objects, as two servers would
// be) sealing concurrently. A master-key rotation re-seals the clinics' signing keys, and the
// chains go on under the same keys.

#include "services/audit/audit_sealer.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "adapters/crypto/aes_gcm_secret_box.h"
#include "adapters/crypto/openssl_checkpoint_signer.h"
#include "adapters/crypto/openssl_sha256_hasher.h"
#include "gtest/gtest.h"
#include "services/audit/audit_batch.h"
#include "services/audit/batch_builder.h"
#include "services/audit/ports/audit_log.h"
#include "services/audit/ports/audit_signing_key_repository.h"
#include "services/audit/ports/audit_trail_repository.h"
#include "services/crypto/master_key_rotation.h"
#include "soci/soci.h"
#include "tests/fakes/fake_clock.h"
#include "tests/persistence/migrated_database_test.h"

namespace confide::persistence {
namespace {

const std::string kMasterKey1(32, '1');
const std::string kMasterKey2(32, '2');
constexpr int kEverything = 1 << 30;

// What a verified trail looked like.
struct TrailSummary {
  int64_t sealed_through = 0;
  int64_t events = 0;
  int64_t events_sealed = 0;
  std::map<std::string, int64_t> batches;
  std::set<std::string> sealed_by;
};

class AuditSealerTest : public MigratedDatabaseTest {
 protected:
  void SetUp() override {
    MigratedDatabaseTest::SetUp();
    if (HasFatalFailure()) {
      return;
    }
    raw_ = scratch_->OpenSession();
  }

  std::unique_ptr<AuditSealer> NewSealer(TransactionRunner& runner, const SecretBox& box,
                                         const std::string& instance, int max_events_per_round) {
    return std::make_unique<AuditSealer>(runner, box, signer_, hasher_, clock_, instance,
                                         max_events_per_round);
  }

  // Appends `count` events of `clinic_id` in one transaction of `runner`.
  absl::Status Append(TransactionRunner& runner, const std::string& clinic_id, int count) {
    return runner.Run(TransactionMode::kWrite, [&](UnitOfWork& uow) -> absl::Status {
      for (int i = 0; i < count; ++i) {
        const int n = next_event_++;
        clock_.Advance(absl::Milliseconds(1));
        AuditEvent event{.id = absl::StrCat("evt-", n),
                         .time = clock_.Now(),
                         .actor_user_id = kAlice,
                         .actor_role = "clinician",
                         .clinic_id = clinic_id,
                         .action = "confide.v1.ClientService.GetClient",
                         .resource = absl::StrCat("clients/c", n % 7),
                         .client_id = absl::StrCat("c", n % 7),
                         .outcome = n % 5 == 0 ? "denied" : "success",
                         .status_code = n % 5 == 0 ? "PERMISSION_DENIED" : "OK",
                         .request_id = absl::StrCat("req-", n),
                         .source_address = "192.0.2.7",
                         .break_glass = n % 11 == 0,
                         .detail = n % 3 == 0 ? "purpose=TREATMENT" : ""};
        if (absl::Status s = uow.audit().Append(event); !s.ok()) {
          return s;
        }
      }
      return absl::OkStatus();
    });
  }

  // Checks everything the issue promises of a sealed trail; returns what it saw.
  TrailSummary ExpectTrailVerifies() {
    TrailSummary summary;
    long long sealed_through = 0;
    *raw_ << "SELECT sealed_through_seq FROM audit_seal_state WHERE id = 1",
        soci::into(sealed_through);
    summary.sealed_through = sealed_through;
    // seq → clinic of every stored event, and how many batches cover it.
    std::map<int64_t, std::string> clinic_of;
    {
      long long seq = 0;
      std::string clinic;
      soci::statement st = (raw_->prepare << "SELECT seq, clinic_id FROM audit_events",
                            soci::into(seq), soci::into(clinic));
      st.execute();
      while (st.fetch()) {
        clinic_of[seq] = clinic;
      }
    }
    summary.events = static_cast<int64_t>(clinic_of.size());
    std::map<int64_t, int> covered;

    absl::StatusOr<std::vector<std::string>> clinics =
        Read([](UnitOfWork& uow) { return uow.audit_trail().ClinicIds(); });
    EXPECT_TRUE(clinics.ok()) << clinics.status();
    if (!clinics.ok()) {
      return summary;
    }
    for (const std::string& clinic : *clinics) {
      absl::StatusOr<std::vector<AuditBatchHeader>> batches = Read(
          [&](UnitOfWork& uow) { return uow.audit_trail().ListBatches(clinic, 1, kEverything); });
      absl::StatusOr<std::vector<AuditSigningKeyRecord>> keys =
          Read([&](UnitOfWork& uow) { return uow.audit_signing_keys().ListForClinic(clinic); });
      EXPECT_TRUE(batches.ok()) << batches.status();
      EXPECT_TRUE(keys.ok()) << keys.status();
      if (!batches.ok() || !keys.ok()) {
        return summary;
      }
      summary.batches[clinic] = static_cast<int64_t>(batches->size());
      if (!batches->empty()) {
        EXPECT_EQ(keys->size(), 1u) << "clinic '" << clinic << "'";
      }
      std::map<std::string, std::string> public_keys;
      for (const AuditSigningKeyRecord& key : *keys) {
        std::string raw;
        EXPECT_TRUE(absl::Base64Unescape(key.public_key, &raw));
        EXPECT_EQ(AuditKeyId(hasher_, raw), key.key_id);
        public_keys[key.key_id] = raw;
      }
      std::optional<AuditBatchHeader> previous;
      for (const AuditBatchHeader& batch : *batches) {
        const std::string where = absl::StrCat("clinic '", clinic, "' batch ", batch.batch_no);
        summary.sealed_by.insert(batch.sealed_by);
        EXPECT_EQ(batch.clinic_id, clinic) << where;
        EXPECT_EQ(batch.batch_no, previous ? previous->batch_no + 1 : 1) << where;
        EXPECT_EQ(batch.seq_after, previous ? previous->seq_through : 0) << where;
        EXPECT_EQ(batch.prev_hash, previous ? previous->header_hash : GenesisHash()) << where;
        EXPECT_GT(batch.seq_through, batch.seq_after) << where;
        EXPECT_LE(batch.seq_through, summary.sealed_through) << where;
        EXPECT_EQ(batch.header_hash, HeaderHash(hasher_, batch)) << where;
        std::string signature;
        EXPECT_TRUE(absl::Base64Unescape(batch.signature, &signature)) << where;
        EXPECT_TRUE(public_keys.contains(batch.key_id)) << where;
        EXPECT_TRUE(signer_.Verify(public_keys[batch.key_id], CheckpointBytes(batch), signature))
            << where;
        absl::StatusOr<std::vector<AuditEvent>> events = Read([&](UnitOfWork& uow) {
          return uow.audit_trail().ClinicEventsInRange(clinic, batch.seq_after, batch.seq_through,
                                                       kEverything);
        });
        EXPECT_TRUE(events.ok()) << events.status();
        if (!events.ok()) {
          return summary;
        }
        EXPECT_GE(batch.leaf_count, 1) << where;
        EXPECT_EQ(batch.leaf_count, static_cast<int64_t>(events->size())) << where;
        EXPECT_EQ(batch.tree_size, (previous ? previous->tree_size : 0) + batch.leaf_count)
            << where;
        EXPECT_EQ(batch.root_hash, BatchRootHex(hasher_, *events)) << where;
        if (!events->empty()) {
          auto [oldest, newest] = std::minmax_element(
              events->begin(), events->end(),
              [](const AuditEvent& a, const AuditEvent& b) { return a.time < b.time; });
          EXPECT_EQ(batch.first_event_time, oldest->time) << where;
          EXPECT_EQ(batch.last_event_time, newest->time) << where;
        }
        for (const AuditEvent& event : *events) {
          EXPECT_EQ(event.clinic_id, clinic) << where;
          ++covered[event.seq];
        }
        summary.events_sealed += static_cast<int64_t>(events->size());
        previous = batch;
      }
    }
    for (const auto& [seq, clinic] : clinic_of) {
      EXPECT_EQ(covered[seq], seq <= summary.sealed_through ? 1 : 0) << "event seq " << seq;
    }
    return summary;
  }

  OpenSslSha256Hasher hasher_;
  OpenSslCheckpointSigner signer_;
  AesGcmSecretBox box1_{kMasterKey1};
  AesGcmSecretBox box2_{kMasterKey2};
  FakeClock clock_{kCreateTime};
  std::atomic<int> next_event_{1};
  std::unique_ptr<soci::session> raw_;
};

// SociAuditSigningKeyRepository on its own.
using AuditSigningKeysTest = MigratedDatabaseTest;

TEST_F(AuditSealerTest, SealsEachClinicsEventsIntoAContiguousSignedChain) {
  ASSERT_TRUE(Append(db_->transactions(), kClinicA, 3).ok());
  ASSERT_TRUE(Append(db_->transactions(), kClinicB, 2).ok());
  ASSERT_TRUE(Append(db_->transactions(), "", 1).ok());
  ASSERT_TRUE(Append(db_->transactions(), kClinicA, 2).ok());
  std::unique_ptr<AuditSealer> sealer = NewSealer(db_->transactions(), box1_, "host:1:aa", 1000);
  absl::StatusOr<int64_t> sealed = sealer->SealOnce();
  ASSERT_TRUE(sealed.ok()) << sealed.status();
  EXPECT_EQ(*sealed, 8);
  TrailSummary first = ExpectTrailVerifies();
  EXPECT_EQ(first.events_sealed, 8);
  EXPECT_EQ(first.batches, (std::map<std::string, int64_t>{{"", 1}, {kClinicA, 1}, {kClinicB, 1}}));
  EXPECT_EQ(first.sealed_by, std::set<std::string>{"host:1:aa"});

  // Rounds of at most 3 events: the chains grow by several batches, still contiguous.
  ASSERT_TRUE(Append(db_->transactions(), kClinicA, 5).ok());
  ASSERT_TRUE(Append(db_->transactions(), "", 2).ok());
  ASSERT_TRUE(Append(db_->transactions(), kClinicB, 1).ok());
  std::unique_ptr<AuditSealer> small = NewSealer(db_->transactions(), box1_, "host:2:bb", 3);
  sealed = small->SealOnce();
  ASSERT_TRUE(sealed.ok()) << sealed.status();
  EXPECT_EQ(*sealed, 8);
  TrailSummary second = ExpectTrailVerifies();
  EXPECT_EQ(second.events_sealed, 16);
  EXPECT_EQ(second.events, 16);
  EXPECT_GE(second.batches[kClinicA], 3);
  EXPECT_EQ(second.sealed_through,
            *Read([](UnitOfWork& uow) { return uow.audit_trail().CommittedHorizon(); }));

  // Nothing new: nothing sealed, no empty batch.
  sealed = sealer->SealOnce();
  ASSERT_TRUE(sealed.ok()) << sealed.status();
  EXPECT_EQ(*sealed, 0);
  EXPECT_EQ(ExpectTrailVerifies().batches, second.batches);
}

TEST_F(AuditSealerTest, NothingToSealWritesNoBatchAndNoKey) {
  std::unique_ptr<AuditSealer> sealer = NewSealer(db_->transactions(), box1_, "host:1:aa", 1000);
  absl::StatusOr<int64_t> sealed = sealer->SealOnce();
  ASSERT_TRUE(sealed.ok()) << sealed.status();
  EXPECT_EQ(*sealed, 0);
  long long keys = -1;
  *raw_ << "SELECT COUNT(*) FROM audit_signing_keys", soci::into(keys);
  EXPECT_EQ(keys, 0);
  EXPECT_TRUE(ExpectTrailVerifies().batches.empty());
}

TEST_F(AuditSealerTest, AppendsRacingTheSealerAreEachSealedExactlyOnce) {
  constexpr int kAppenders = 4;
  constexpr int kTransactionsEach = 40;
  const std::vector<std::string> clinics = {kClinicA, kClinicB, ""};
  std::atomic<int> appenders_left{kAppenders};
  std::atomic<int> appended{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kAppenders; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kTransactionsEach; ++i) {
        const int count = 1 + (i + t) % 2;
        if (Append(db_->transactions(), clinics[(i + t) % clinics.size()], count).ok()) {
          appended += count;
        }
      }
      --appenders_left;
    });
  }
  std::unique_ptr<AuditSealer> sealer = NewSealer(db_->transactions(), box1_, "host:1:aa", 5);
  int64_t sealed_total = 0;
  int rounds = 0;
  while (appenders_left > 0) {
    absl::StatusOr<int64_t> sealed = sealer->SealOnce();
    ASSERT_TRUE(sealed.ok()) << sealed.status();
    sealed_total += *sealed;
    ++rounds;
  }
  for (std::thread& thread : threads) {
    thread.join();
  }
  absl::StatusOr<int64_t> last = sealer->SealOnce();
  ASSERT_TRUE(last.ok()) << last.status();
  sealed_total += *last;

  EXPECT_EQ(appended.load(), kAppenders * kTransactionsEach * 3 / 2);
  EXPECT_EQ(sealed_total, appended.load());
  TrailSummary summary = ExpectTrailVerifies();
  EXPECT_EQ(summary.events, appended.load());
  EXPECT_EQ(summary.events_sealed, appended.load());
  std::cout << "racing appends: " << appended.load() << " events, " << rounds
            << " SealOnce calls while appending, batches A/B/'': " << summary.batches[kClinicA]
            << "/" << summary.batches[kClinicB] << "/" << summary.batches[""] << "\n";
}

// Two servers on one database: both seal in a loop while appends run. The seal state row lock
// serializes their rounds; no batch is written twice and no event is skipped or sealed twice.
TEST_F(AuditSealerTest, TwoSealersOnOneDatabaseNeverSealAnEventTwiceOrSkipOne) {
  absl::StatusOr<std::unique_ptr<Database>> other = Database::Open({.url = scratch_->url()});
  ASSERT_TRUE(other.ok()) << other.status();
  std::unique_ptr<AuditSealer> sealer1 = NewSealer(db_->transactions(), box1_, "server-1", 7);
  std::unique_ptr<AuditSealer> sealer2 = NewSealer((*other)->transactions(), box1_, "server-2", 7);

  constexpr int kAppenders = 3;
  constexpr int kTransactionsEach = 40;
  const std::vector<std::string> clinics = {kClinicA, kClinicB, ""};
  std::atomic<int> appenders_left{kAppenders};
  std::atomic<int> appended{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kAppenders; ++t) {
    threads.emplace_back([&, t] {
      // Half the appends through each server's runner.
      TransactionRunner& runner = t % 2 == 0 ? db_->transactions() : (*other)->transactions();
      for (int i = 0; i < kTransactionsEach; ++i) {
        if (Append(runner, clinics[(i * 7 + t) % clinics.size()], 1 + i % 3).ok()) {
          appended += 1 + i % 3;
        }
      }
      --appenders_left;
    });
  }
  std::atomic<int64_t> sealed_total{0};
  std::atomic<int> failures{0};
  auto seal_loop = [&](AuditSealer& sealer) {
    while (appenders_left > 0) {
      absl::StatusOr<int64_t> sealed = sealer.SealOnce();
      if (sealed.ok()) {
        sealed_total += *sealed;
      } else {
        ++failures;
      }
    }
  };
  std::thread loop1([&] { seal_loop(*sealer1); });
  std::thread loop2([&] { seal_loop(*sealer2); });
  for (std::thread& thread : threads) {
    thread.join();
  }
  loop1.join();
  loop2.join();
  for (AuditSealer* sealer : {sealer1.get(), sealer2.get()}) {
    absl::StatusOr<int64_t> last = sealer->SealOnce();
    ASSERT_TRUE(last.ok()) << last.status();
    sealed_total += *last;
  }

  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(sealed_total.load(), appended.load());
  TrailSummary summary = ExpectTrailVerifies();
  EXPECT_EQ(summary.events, appended.load());
  EXPECT_EQ(summary.events_sealed, appended.load());
  std::cout << "two sealers: " << appended.load() << " events, sealed by {"
            << absl::StrJoin(summary.sealed_by, ", ") << "}\n";
}

// The reads export and verification use: one batch by number, and the batches a time range
// touches (by their oldest and newest event times).
TEST_F(AuditSealerTest, FindsBatchesByNumberAndByTime) {
  std::unique_ptr<AuditSealer> sealer = NewSealer(db_->transactions(), box1_, "s", 1000);
  ASSERT_TRUE(Append(db_->transactions(), kClinicA, 3).ok());
  ASSERT_TRUE(sealer->SealOnce().ok());
  ASSERT_TRUE(Append(db_->transactions(), kClinicA, 2).ok());
  ASSERT_TRUE(sealer->SealOnce().ok());
  absl::StatusOr<std::vector<AuditBatchHeader>> batches =
      Read([](UnitOfWork& uow) { return uow.audit_trail().ListBatches(kClinicA, 1, 10); });
  ASSERT_TRUE(batches.ok()) << batches.status();
  ASSERT_EQ(batches->size(), 2u);
  const AuditBatchHeader& b1 = (*batches)[0];
  const AuditBatchHeader& b2 = (*batches)[1];
  absl::StatusOr<std::vector<AuditBatchHeader>> from2 =
      Read([](UnitOfWork& uow) { return uow.audit_trail().ListBatches(kClinicA, 2, 10); });
  ASSERT_TRUE(from2.ok());
  ASSERT_EQ(from2->size(), 1u);
  EXPECT_EQ((*from2)[0].header_hash, b2.header_hash);

  auto find = [&](int64_t no) {
    return Read([&](UnitOfWork& uow) { return uow.audit_trail().FindBatch(kClinicA, no); });
  };
  absl::StatusOr<std::optional<AuditBatchHeader>> found = find(2);
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->header_hash, b2.header_hash);
  EXPECT_EQ((*found)->signature, b2.signature);
  EXPECT_EQ((*found)->seal_time, b2.seal_time);
  EXPECT_FALSE(find(3)->has_value());
  absl::StatusOr<std::optional<AuditBatchHeader>> last =
      Read([](UnitOfWork& uow) { return uow.audit_trail().LastBatch(kClinicA); });
  ASSERT_TRUE(last.ok() && last->has_value());
  EXPECT_EQ((*last)->batch_no, 2);
  EXPECT_FALSE(
      Read([](UnitOfWork& uow) { return uow.audit_trail().LastBatch(kClinicB); })->has_value());

  auto ending = [&](absl::Time t) {
    return *Read(
        [&](UnitOfWork& uow) { return uow.audit_trail().FirstBatchEndingAtOrAfter(kClinicA, t); });
  };
  auto starting = [&](absl::Time t) {
    return *Read(
        [&](UnitOfWork& uow) { return uow.audit_trail().LastBatchStartingBefore(kClinicA, t); });
  };
  const absl::Duration us = absl::Microseconds(1);
  EXPECT_EQ(ending(b1.first_event_time), 1);
  EXPECT_EQ(ending(b1.last_event_time), 1);
  EXPECT_EQ(ending(b1.last_event_time + us), 2);
  EXPECT_EQ(ending(b2.last_event_time + us), std::nullopt);
  EXPECT_EQ(starting(b1.first_event_time), std::nullopt);
  EXPECT_EQ(starting(b1.first_event_time + us), 1);
  EXPECT_EQ(starting(b2.first_event_time), 1);
  EXPECT_EQ(starting(b2.first_event_time + us), 2);
}

TEST_F(AuditSigningKeysTest, OneActiveKeyPerClinicRetiredKeysStayListed) {
  auto key = [](const std::string& id, const std::string& clinic, absl::Time created) {
    return AuditSigningKeyRecord{.key_id = id,
                                 .clinic_id = clinic,
                                 .public_key = "cHVi",
                                 .sealed_private_key = "sealed-" + id,
                                 .create_time = created};
  };
  ASSERT_TRUE(Write([&](UnitOfWork& uow) {
                return uow.audit_signing_keys().Insert(key("k1", kClinicA, kCreateTime));
              }).ok());
  EXPECT_EQ(
      Write([&](UnitOfWork& uow) {
        return uow.audit_signing_keys().Insert(key("k2", kClinicA, kCreateTime + absl::Hours(1)));
      }).code(),
      absl::StatusCode::kAlreadyExists);
  ASSERT_TRUE(Write([&](UnitOfWork& uow) {
                return uow.audit_signing_keys().Insert(key("k3", "", kCreateTime));
              }).ok());
  ASSERT_TRUE(Write([&](UnitOfWork& uow) {
                return uow.audit_signing_keys().Retire("k1", kCreateTime + absl::Hours(2));
              }).ok());
  EXPECT_EQ(Write([&](UnitOfWork& uow) {
              return uow.audit_signing_keys().Retire("k1", kCreateTime + absl::Hours(3));
            }).code(),
            absl::StatusCode::kNotFound);
  ASSERT_TRUE(Write([&](UnitOfWork& uow) {
                return uow.audit_signing_keys().Insert(
                    key("k2", kClinicA, kCreateTime + absl::Hours(2)));
              }).ok());

  absl::StatusOr<std::optional<AuditSigningKeyRecord>> active =
      Read([](UnitOfWork& uow) { return uow.audit_signing_keys().FindActive(kClinicA); });
  ASSERT_TRUE(active.ok() && active->has_value()) << active.status();
  EXPECT_EQ((*active)->key_id, "k2");
  EXPECT_EQ((*active)->sealed_private_key, "sealed-k2");
  EXPECT_EQ((*active)->create_time, kCreateTime + absl::Hours(2));
  EXPECT_EQ((*active)->retire_time, std::nullopt);
  EXPECT_FALSE(Read([](UnitOfWork& uow) {
                 return uow.audit_signing_keys().FindActive(kClinicB);
               })->has_value());
  absl::StatusOr<std::vector<AuditSigningKeyRecord>> listed =
      Read([](UnitOfWork& uow) { return uow.audit_signing_keys().ListForClinic(kClinicA); });
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[0].key_id, "k1");
  EXPECT_EQ((*listed)[0].retire_time, kCreateTime + absl::Hours(2));
  EXPECT_EQ((*listed)[1].key_id, "k2");
  EXPECT_EQ(
      Read([](UnitOfWork& uow) { return uow.audit_signing_keys().ListForClinic(""); })->size(), 1u);
}

// An append that took its seq but has not committed yet while a later one has: the sealer must
// not seal past it (PostgreSQL hands out sequence values before commit), or that event would lie
// below sealed_through outside every batch.
TEST_F(AuditSealerTest, AnAppendInFlightIsNeverSkipped) {
  *raw_ << "BEGIN";
  *raw_ << "INSERT INTO audit_events (id, time, actor_user_id, actor_role, clinic_id, action, "
           "resource, client_id, outcome, status_code, request_id, source_address, break_glass, "
           "detail) VALUES ('evt-in-flight', 1717171717000000, 'u', 'clinician', '"
        << kClinicA << "', 'confide.v1.ClientService.GetClient', '', '', 'success', 'OK', "
        << "'req-in-flight', '', 0, '')";
  std::thread later([&] { EXPECT_TRUE(Append(db_->transactions(), kClinicA, 1).ok()); });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  std::unique_ptr<AuditSealer> sealer = NewSealer(db_->transactions(), box1_, "s", 1000);
  absl::StatusOr<int64_t> during;
  std::thread seal([&] { during = sealer->SealOnce(); });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  *raw_ << "COMMIT";
  later.join();
  seal.join();
  ASSERT_TRUE(during.ok()) << during.status();
  absl::StatusOr<int64_t> after = sealer->SealOnce();
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_EQ(*during + *after, 2);
  TrailSummary summary = ExpectTrailVerifies();
  EXPECT_EQ(summary.events_sealed, 2);
}

TEST_F(AuditSealerTest, MasterKeyRotationReSealsTheSigningKeysAndTheChainsGoOn) {
  ASSERT_TRUE(Append(db_->transactions(), kClinicA, 2).ok());
  ASSERT_TRUE(Append(db_->transactions(), "", 1).ok());
  ASSERT_TRUE(NewSealer(db_->transactions(), box1_, "s", 1000)->SealOnce().ok());
  std::map<std::string, std::string> before;  // key id → sealed private key
  {
    std::string id, sealed;
    soci::statement st = (raw_->prepare << "SELECT key_id, sealed_private_key FROM "
                                           "audit_signing_keys",
                          soci::into(id), soci::into(sealed));
    st.execute();
    while (st.fetch()) {
      before[id] = sealed;
    }
  }
  ASSERT_EQ(before.size(), 2u);

  absl::StatusOr<std::vector<ColumnRotation>> report;
  absl::Status rotated = Write([&](UnitOfWork& uow) {
    report = RotateMasterKey(uow, box1_, box2_);
    return report.status();
  });
  ASSERT_TRUE(rotated.ok()) << rotated;
  int resealed = -1;
  for (const ColumnRotation& column : *report) {
    if (column.column == MasterSealedColumn::kAuditSigningKey) {
      resealed = column.resealed;
    }
  }
  EXPECT_EQ(resealed, 2);
  for (const auto& [id, old_sealed] : before) {
    std::string now;
    *raw_ << "SELECT sealed_private_key FROM audit_signing_keys WHERE key_id = :id", soci::use(id),
        soci::into(now);
    EXPECT_NE(now, old_sealed);
    absl::StatusOr<std::string> under_new = box2_.Open(now, AuditSigningKeyContext(id));
    ASSERT_TRUE(under_new.ok()) << under_new.status();
    EXPECT_EQ(*under_new, *box1_.Open(old_sealed, AuditSigningKeyContext(id)));
    EXPECT_FALSE(box1_.Open(now, AuditSigningKeyContext(id)).ok());
  }

  // A server on the new master key extends the same chains with the same keys.
  ASSERT_TRUE(Append(db_->transactions(), kClinicA, 2).ok());
  absl::StatusOr<int64_t> sealed = NewSealer(db_->transactions(), box2_, "s2", 1000)->SealOnce();
  ASSERT_TRUE(sealed.ok()) << sealed.status();
  EXPECT_EQ(*sealed, 2);
  TrailSummary summary = ExpectTrailVerifies();
  EXPECT_EQ(summary.batches[kClinicA], 2);
  long long keys = 0;
  *raw_ << "SELECT COUNT(*) FROM audit_signing_keys", soci::into(keys);
  EXPECT_EQ(keys, 2);
}

}  // namespace
}  // namespace confide::persistence
