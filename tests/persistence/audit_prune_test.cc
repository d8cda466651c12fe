// `confidectl audit prune` (apps/audit_prune_command.h) against a real database (SQLite or
// PostgreSQL, as CONFIDE_TEST_DATABASE names): archive-then-prune takes exactly the batches whose
// events are all older than the cutoff, the archive verifies and its SHA-256 is recorded, a
// later --before is refused, a second run changes nothing, and the database verifier accepts
// the pruned range as header-only while still checking the whole chain.

#include <openssl/evp.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "adapters/crypto/aes_gcm_secret_box.h"
#include "adapters/crypto/openssl_checkpoint_signer.h"
#include "adapters/crypto/openssl_sha256_hasher.h"
#include "apps/audit_prune_command.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/audit/audit_sealer.h"
#include "services/audit/audit_verifier.h"
#include "services/audit/ports/audit_log.h"
#include "services/audit/ports/audit_trail_repository.h"
#include "soci/soci.h"
#include "tests/fakes/fake_clock.h"
#include "tests/fakes/fake_id_generator.h"
#include "tests/persistence/migrated_database_test.h"

namespace confide::persistence {
namespace {

using ::testing::HasSubstr;

// Round r's events are all at 1 March of 2012 + r, so clinic A's batch r + 1 holds year
// 2012 + r. Today is 15 June 2020: with six years of retention the cutoff is 15 June 2014, so
// batches 1-3 (2012, 2013, 2014-03) are old enough and batch 4 (2015) is not.
constexpr int kRounds = 6;
constexpr int kEventsOfAPerRound = 5;
constexpr int kEventsOfBPerRound = 2;

class AuditPruneTest : public MigratedDatabaseTest {
 protected:
  void SetUp() override {
    MigratedDatabaseTest::SetUp();
    if (HasFatalFailure()) return;
    raw_ = scratch_->OpenSession();
    dir_ = std::filesystem::temp_directory_path() /
           absl::StrCat("confide_prune_", ::getpid(), "_",
                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    for (int round = 0; round < kRounds; ++round) {
      clock_.Set(
          absl::FromCivil(absl::CivilSecond(2012 + round, 3, 1, 9, 0, 0), absl::UTCTimeZone()));
      ASSERT_TRUE(Append(kClinicA, kEventsOfAPerRound).ok());
      ASSERT_TRUE(Append(kClinicB, kEventsOfBPerRound).ok());
      ASSERT_TRUE(Seal().ok());
    }
    clock_.Set(absl::FromCivil(absl::CivilSecond(2020, 6, 15, 12, 0, 0), absl::UTCTimeZone()));
  }

  void TearDown() override { std::filesystem::remove_all(dir_); }

  absl::Status Append(const std::string& clinic_id, int count) {
    return Write([&](UnitOfWork& uow) -> absl::Status {
      for (int i = 0; i < count; ++i) {
        const int n = next_event_++;
        clock_.Advance(absl::Seconds(1));
        AuditEvent event{.id = absl::StrCat("0193a2b4-0000-7000-8000-", 100000000000 + n),
                         .time = clock_.Now(),
                         .actor_user_id = kAlice,
                         .actor_role = "clinician",
                         .clinic_id = clinic_id,
                         .action = "confide.v1.ClientService.GetClient",
                         .resource = absl::StrCat("clients/c", n % 3),
                         .client_id = absl::StrCat("c", n % 3),
                         .outcome = "success",
                         .status_code = "OK",
                         .request_id = absl::StrCat("req-", n),
                         .source_address = "192.0.2.7"};
        if (absl::Status s = uow.audit().Append(event); !s.ok()) return s;
      }
      return absl::OkStatus();
    });
  }

  absl::Status Seal() {
    AuditSealer sealer(db_->transactions(), box_, signer_, hasher_, clock_, "test", 100);
    return sealer.SealOnce().status();
  }

  absl::StatusOr<std::string> Prune(const std::string& clinic_id, const std::string& archive,
                                    std::optional<absl::CivilDay> before = std::nullopt) {
    const app::AuditPruneOptions options{.clinic_id = clinic_id,
                                         .archive_path = Path(archive),
                                         .before = before,
                                         .retention_years = 6};
    return app::RunAuditPrune(db_->transactions(), hasher_, signer_, ids_, clock_, options);
  }

  std::string Path(const std::string& name) const { return (dir_ / name).string(); }

  long long EventCount(const std::string& clinic_id) {
    long long count = 0;
    *raw_ << "SELECT count(*) FROM audit_events WHERE clinic_id = :c", soci::use(clinic_id),
        soci::into(count);
    return count;
  }

  long long PruneEventCount(const std::string& clinic_id) {
    long long count = 0;
    *raw_ << "SELECT count(*) FROM audit_events WHERE clinic_id = :c AND "
             "action = 'confidectl.AuditPrune'",
        soci::use(clinic_id), soci::into(count);
    return count;
  }

  std::optional<AuditPruneRecord> LastPrune(const std::string& clinic_id) {
    absl::StatusOr<std::optional<AuditPruneRecord>> last =
        Read([&](UnitOfWork& uow) { return uow.audit_trail().LastPrune(clinic_id); });
    EXPECT_TRUE(last.ok()) << last.status();
    return last.ok() ? *last : std::nullopt;
  }

  static std::string FileSha256(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream bytes;
    bytes << in.rdbuf();
    const std::string text = bytes.str();
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    EVP_Digest(text.data(), text.size(), digest, &size, EVP_sha256(), nullptr);
    return absl::BytesToHexString(std::string(reinterpret_cast<char*>(digest), size));
  }

  AuditVerifyReport VerifyFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    absl::StatusOr<AuditVerifyReport> report = VerifyAuditExport(in, hasher_, signer_, {});
    EXPECT_TRUE(report.ok()) << report.status();
    return report.ok() ? *report : AuditVerifyReport{};
  }

  AuditVerifyReport VerifyDatabase() {
    absl::StatusOr<AuditVerifyReport> report =
        VerifyAuditDatabase(db_->transactions(), hasher_, signer_, {});
    EXPECT_TRUE(report.ok()) << report.status();
    return report.ok() ? *report : AuditVerifyReport{};
  }

  AuditBatchHeader Batch(const std::string& clinic_id, int64_t batch_no) {
    absl::StatusOr<std::optional<AuditBatchHeader>> found =
        Read([&](UnitOfWork& uow) { return uow.audit_trail().FindBatch(clinic_id, batch_no); });
    EXPECT_TRUE(found.ok() && found->has_value());
    return found.ok() && found->has_value() ? **found : AuditBatchHeader{};
  }

  // What anyone able to write the database can do without touching a trigger.
  void ForgePruneRecord(const std::string& clinic_id, int64_t through_batch_no, int64_t through_seq,
                        const std::string& sha256) {
    long long batch = through_batch_no;
    long long seq = through_seq;
    long long time = absl::ToUnixMicros(clock_.Now());
    std::string clinic = clinic_id;
    std::string digest = sha256;
    *raw_ << "INSERT INTO audit_prunes (clinic_id, through_batch_no, through_seq, "
             "archive_sha256, prune_time) VALUES (:c, :b, :s, :h, :t)",
        soci::use(clinic), soci::use(batch), soci::use(seq), soci::use(digest), soci::use(time);
  }

  void DeleteEventsThrough(const std::string& clinic_id, int64_t through_seq) {
    long long seq = through_seq;
    std::string clinic = clinic_id;
    *raw_ << "DELETE FROM audit_events WHERE clinic_id = :c AND seq <= :s", soci::use(clinic),
        soci::use(seq);
  }

  FakeClock clock_{absl::UnixEpoch()};
  FakeIdGenerator ids_{"prune"};
  AesGcmSecretBox box_{std::string(32, '1')};
  OpenSslCheckpointSigner signer_;
  OpenSslSha256Hasher hasher_;
  std::unique_ptr<soci::session> raw_;
  std::filesystem::path dir_;
  int next_event_ = 0;
};

TEST_F(AuditPruneTest, ArchivesThenPrunesTheBatchesOlderThanTheRetentionCutoff) {
  absl::StatusOr<std::string> done = Prune(kClinicA, "a.ndjson");
  ASSERT_TRUE(done.ok()) << done.status();
  EXPECT_THAT(*done, HasSubstr("batches 1 to 3 (15 events, all before 2014-06-15)"));

  // The archive verifies on its own, covers exactly batches 1-3, and its hash is on record.
  const AuditVerifyReport archive = VerifyFile(Path("a.ndjson"));
  EXPECT_TRUE(archive.ok()) << FormatVerifyReport(archive);
  EXPECT_EQ(archive.clinic_id, kClinicA);
  EXPECT_EQ(archive.events_verified, 3 * kEventsOfAPerRound);
  EXPECT_EQ(archive.batches_with_events, 3);
  ASSERT_TRUE(archive.checkpoint.has_value());
  EXPECT_EQ(archive.checkpoint->batch_no, kRounds);
  EXPECT_FALSE(std::filesystem::exists(Path("a.ndjson.partial")));

  const std::optional<AuditPruneRecord> record = LastPrune(kClinicA);
  ASSERT_TRUE(record.has_value());
  EXPECT_EQ(record->through_batch_no, 3);
  EXPECT_EQ(record->archive_sha256, FileSha256(Path("a.ndjson")));
  EXPECT_EQ(record->prune_time, clock_.Now());
  EXPECT_THAT(*done, HasSubstr(record->archive_sha256));

  // Clinic A keeps its three younger batches plus the prune's own event; B is untouched.
  EXPECT_EQ(EventCount(kClinicA), 3 * kEventsOfAPerRound + 1);
  EXPECT_EQ(PruneEventCount(kClinicA), 1);
  EXPECT_EQ(EventCount(kClinicB), kRounds * kEventsOfBPerRound);
  EXPECT_FALSE(LastPrune(kClinicB).has_value());

  // Until the prune's own event is sealed nothing vouches for the prune record: the verifier
  // says so instead of accepting it.
  AuditVerifyReport db = VerifyDatabase();
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.finding_count, 1);
  EXPECT_EQ(db.findings[0].clinic_id, kClinicA);
  EXPECT_THAT(db.findings[0].message, HasSubstr("unverified prune, seal first"));
  EXPECT_EQ(db.unsealed_events, 1);
  EXPECT_THAT(FormatVerifyReport(db), HasSubstr("1 events not sealed yet"));
  EXPECT_EQ(db.pruned_batches, 3);
  EXPECT_EQ(db.events_verified, 3 * kEventsOfAPerRound + kRounds * kEventsOfBPerRound);
  // Sealed, the prune event vouches for the record: the pruned batches are header-only and
  // every chain checks.
  ASSERT_TRUE(Seal().ok());
  db = VerifyDatabase();
  EXPECT_TRUE(db.ok()) << FormatVerifyReport(db);
  EXPECT_EQ(db.pruned_batches, 3);
  EXPECT_EQ(db.events_verified, 3 * kEventsOfAPerRound + 1 + kRounds * kEventsOfBPerRound);
}

TEST_F(AuditPruneTest, ASecondRunDoesNothing) {
  ASSERT_TRUE(Prune(kClinicA, "first.ndjson").ok());
  const std::optional<AuditPruneRecord> first = LastPrune(kClinicA);
  const long long events = EventCount(kClinicA);

  absl::StatusOr<std::string> again = Prune(kClinicA, "second.ndjson");
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_THAT(*again, HasSubstr("Nothing to prune"));
  EXPECT_THAT(*again, HasSubstr("batch 3 (pruned before)"));
  EXPECT_FALSE(std::filesystem::exists(Path("second.ndjson")));
  ASSERT_TRUE(first.has_value());
  const std::optional<AuditPruneRecord> second = LastPrune(kClinicA);
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(second->through_batch_no, first->through_batch_no);
  EXPECT_EQ(second->archive_sha256, first->archive_sha256);
  EXPECT_EQ(EventCount(kClinicA), events);
  EXPECT_EQ(PruneEventCount(kClinicA), 1);
}

TEST_F(AuditPruneTest, ALaterBeforeIsRefusedAndAnEarlierOneAllowed) {
  absl::StatusOr<std::string> later = Prune(kClinicA, "later.ndjson", absl::CivilDay(2015, 1, 1));
  ASSERT_FALSE(later.ok());
  EXPECT_EQ(later.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(later.status().message(), HasSubstr("later than the retention cutoff 2014-06-15"));
  EXPECT_FALSE(std::filesystem::exists(Path("later.ndjson")));
  EXPECT_FALSE(LastPrune(kClinicA).has_value());
  EXPECT_EQ(EventCount(kClinicA), kRounds * kEventsOfAPerRound);

  // Before 1 June 2013: batches 1 (2012) and 2 (2013-03) only.
  absl::StatusOr<std::string> earlier =
      Prune(kClinicA, "earlier.ndjson", absl::CivilDay(2013, 6, 1));
  ASSERT_TRUE(earlier.ok()) << earlier.status();
  EXPECT_THAT(*earlier, HasSubstr("batches 1 to 2 (10 events, all before 2013-06-01)"));
  std::optional<AuditPruneRecord> record = LastPrune(kClinicA);
  ASSERT_TRUE(record.has_value());
  EXPECT_EQ(record->through_batch_no, 2);
  EXPECT_EQ(VerifyFile(Path("earlier.ndjson")).events_verified, 2 * kEventsOfAPerRound);

  // The default cutoff then takes batch 3 alone, into an archive of its own.
  ASSERT_TRUE(Seal().ok());
  absl::StatusOr<std::string> rest = Prune(kClinicA, "rest.ndjson");
  ASSERT_TRUE(rest.ok()) << rest.status();
  EXPECT_THAT(*rest, HasSubstr("batches 3 to 3 (5 events"));
  const AuditVerifyReport archive = VerifyFile(Path("rest.ndjson"));
  EXPECT_TRUE(archive.ok()) << FormatVerifyReport(archive);
  EXPECT_EQ(archive.events_verified, kEventsOfAPerRound);
  record = LastPrune(kClinicA);
  ASSERT_TRUE(record.has_value());
  EXPECT_EQ(record->through_batch_no, 3);
  EXPECT_EQ(record->archive_sha256, FileSha256(Path("rest.ndjson")));

  ASSERT_TRUE(Seal().ok());
  const AuditVerifyReport db = VerifyDatabase();
  EXPECT_TRUE(db.ok()) << FormatVerifyReport(db);
  EXPECT_EQ(db.pruned_batches, 3);
}

TEST_F(AuditPruneTest, RefusesAnExistingArchiveAndBadRetention) {
  { std::ofstream(Path("taken.ndjson")) << "keep me"; }
  absl::StatusOr<std::string> taken = Prune(kClinicA, "taken.ndjson");
  ASSERT_FALSE(taken.ok());
  EXPECT_EQ(taken.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_FALSE(LastPrune(kClinicA).has_value());
  EXPECT_EQ(EventCount(kClinicA), kRounds * kEventsOfAPerRound);

  const app::AuditPruneOptions zero{
      .clinic_id = kClinicA, .archive_path = Path("zero.ndjson"), .retention_years = 0};
  EXPECT_EQ(
      app::RunAuditPrune(db_->transactions(), hasher_, signer_, ids_, clock_, zero).status().code(),
      absl::StatusCode::kInvalidArgument);
}

TEST_F(AuditPruneTest, AClinicWithNothingOldEnoughIsLeftAlone) {
  // The deployment's own trail ("") has nothing sealed at all.
  absl::StatusOr<std::string> empty = Prune("", "own.ndjson");
  ASSERT_TRUE(empty.ok()) << empty.status();
  EXPECT_THAT(*empty, HasSubstr("Nothing to prune"));
  // On 1 March 2018 the cutoff is 1 March 2012, before the first event (09:00 that day).
  clock_.Set(absl::FromCivil(absl::CivilSecond(2018, 3, 1, 0, 0, 0), absl::UTCTimeZone()));
  absl::StatusOr<std::string> young = Prune(kClinicA, "young.ndjson");
  ASSERT_TRUE(young.ok()) << young.status();
  EXPECT_THAT(*young, HasSubstr("Nothing to prune"));
  EXPECT_FALSE(std::filesystem::exists(Path("young.ndjson")));
  EXPECT_EQ(EventCount(kClinicA), kRounds * kEventsOfAPerRound);
}

// With the triggers bypassed (SQLite: dropped, as anyone with the file can; PostgreSQL: disabled
// by a superuser), deleting or editing an event that was kept after a prune is still found by
// the database verifier, next to the pruned batches it accepts.
TEST_F(AuditPruneTest, BypassingTheTriggersAfterAPruneIsDetected) {
  ASSERT_TRUE(Prune(kClinicA, "a.ndjson").ok());
  ASSERT_TRUE(Seal().ok());
  long long first_kept = 0;
  const std::string clinic_a = kClinicA;
  *raw_ << "SELECT min(seq) FROM audit_events WHERE clinic_id = :c", soci::use(clinic_a),
      soci::into(first_kept);
  const std::vector<std::string> tamper = {
      absl::StrCat("DELETE FROM audit_events WHERE seq = ", first_kept),
      absl::StrCat("UPDATE audit_events SET outcome = 'denied' WHERE seq = ",
                   first_kept + 2 * (kEventsOfAPerRound + kEventsOfBPerRound))};
  if (scratch_->dialect() == Dialect::kSqlite) {
    *raw_ << "DROP TRIGGER audit_events_no_update";
    *raw_ << "DROP TRIGGER audit_events_no_delete";
    for (const std::string& sql : tamper) *raw_ << sql;
  } else {
    *raw_ << "ALTER TABLE audit_events DISABLE TRIGGER USER";
    for (const std::string& sql : tamper) *raw_ << sql;
    *raw_ << "ALTER TABLE audit_events ENABLE TRIGGER USER";
  }

  const AuditVerifyReport db = VerifyDatabase();
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.pruned_batches, 3);
  bool missing_in_4 = false;
  bool edited_in_6 = false;
  for (const AuditFinding& f : db.findings) {
    EXPECT_EQ(f.clinic_id, kClinicA) << DescribeFinding(f);
    missing_in_4 |= f.kind == AuditFindingKind::kMissing && f.batch_no == 4;
    edited_in_6 |= f.kind == AuditFindingKind::kEdited && f.batch_no == 6;
  }
  EXPECT_TRUE(missing_in_4) << FormatVerifyReport(db);
  EXPECT_TRUE(edited_in_6) << FormatVerifyReport(db);
}

// Prune records may be INSERTed and the trigger then allows deleting the events they name: a
// record that no sealed confidectl.AuditPrune event vouches for is a finding, not a licence.
TEST_F(AuditPruneTest, AForgedPruneRecordIsFound) {
  const AuditBatchHeader b3 = Batch(kClinicA, 3);
  ForgePruneRecord(kClinicA, 3, b3.seq_through, std::string(64, 'a'));
  DeleteEventsThrough(kClinicA, b3.seq_through);

  const AuditVerifyReport db = VerifyDatabase();
  ASSERT_FALSE(db.ok());
  bool found = false;
  for (const AuditFinding& f : db.findings) {
    found |= f.clinic_id == kClinicA && f.batch_no == 3 &&
             f.message.find("no sealed confidectl.AuditPrune event") != std::string::npos;
  }
  EXPECT_TRUE(found) << FormatVerifyReport(db);
}

TEST_F(AuditPruneTest, AForgedPruneRecordAfterARealOneIsFound) {
  ASSERT_TRUE(Prune(kClinicA, "a.ndjson").ok());
  ASSERT_TRUE(Seal().ok());
  ASSERT_TRUE(VerifyDatabase().ok());
  // Stretch the pruned range over batch 4 with the real archive's digest.
  const AuditBatchHeader b4 = Batch(kClinicA, 4);
  ForgePruneRecord(kClinicA, 4, b4.seq_through, FileSha256(Path("a.ndjson")));
  DeleteEventsThrough(kClinicA, b4.seq_through);

  const AuditVerifyReport db = VerifyDatabase();
  ASSERT_FALSE(db.ok());
  bool found = false;
  for (const AuditFinding& f : db.findings) {
    found |= f.clinic_id == kClinicA && f.batch_no == 4 &&
             f.message.find("no sealed confidectl.AuditPrune event") != std::string::npos;
  }
  EXPECT_TRUE(found) << FormatVerifyReport(db);
}

// Even with a matching prune event slipped in and sealed, a pruned range must end where a batch
// ends (the rest of that batch would otherwise go unchecked).
TEST_F(AuditPruneTest, APrunedRangeEndingInsideABatchIsFound) {
  const AuditBatchHeader b3 = Batch(kClinicA, 3);
  const int64_t through_seq = b3.seq_through - 1;
  const std::string sha(64, 'b');
  ForgePruneRecord(kClinicA, 3, through_seq, sha);
  DeleteEventsThrough(kClinicA, through_seq);
  ASSERT_TRUE(Write([&](UnitOfWork& uow) {
                AuditEvent event{.id = "0193a2b4-0000-7000-8000-999999999999",
                                 .time = clock_.Now(),
                                 .actor_role = "operator",
                                 .clinic_id = kClinicA,
                                 .action = "confidectl.AuditPrune",
                                 .resource = "auditPrunes/3",
                                 .outcome = "success",
                                 .status_code = "OK",
                                 .request_id = "confidectl-forged",
                                 .detail = absl::StrCat(
                                     "first_batch=1 through_batch=3 through_seq=", through_seq,
                                     " events=14 archive_sha256=", sha)};
                return uow.audit().Append(event);
              }).ok());
  ASSERT_TRUE(Seal().ok());

  const AuditVerifyReport db = VerifyDatabase();
  ASSERT_FALSE(db.ok());
  bool found = false;
  for (const AuditFinding& f : db.findings) {
    found |= f.clinic_id == kClinicA && f.batch_no == 3 &&
             f.message.find("does not end where batch 3 ends") != std::string::npos;
  }
  EXPECT_TRUE(found) << FormatVerifyReport(db);
}

TEST_F(AuditPruneTest, ParseDayTakesOnlyRealDates) {
  EXPECT_EQ(app::ParseDay("2014-06-15"), absl::CivilDay(2014, 6, 15));
  for (const char* bad : {"2014-6-15", "2014-02-30", "15/06/2014", "", "2014-06-15T00:00:00Z"}) {
    EXPECT_FALSE(app::ParseDay(bad).has_value()) << bad;
  }
}

}  // namespace
}  // namespace confide::persistence
