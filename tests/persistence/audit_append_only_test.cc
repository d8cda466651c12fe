// The audit trail is append-only in the database itself (migrations 0001 and 0014), on SQLite and
// PostgreSQL as CONFIDE_TEST_DATABASE names: raw UPDATE and DELETE of events (and, on
// PostgreSQL, TRUNCATE) are refused by triggers, as are changes to sealed batches and prune
// records; the one DELETE allowed is of a clinic's events inside a range its audit_prunes rows
// record. Statements run on a connection of the test's own, as an intruder with SQL access would.

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "services/audit/audit_event.h"
#include "services/audit/ports/audit_log.h"
#include "services/audit/ports/audit_trail_repository.h"
#include "soci/soci.h"
#include "tests/persistence/migrated_database_test.h"

namespace confide::persistence {
namespace {

class AuditAppendOnlyTest : public MigratedDatabaseTest {
 protected:
  void SetUp() override {
    MigratedDatabaseTest::SetUp();
    if (HasFatalFailure()) {
      return;
    }
    sql_ = scratch_->OpenSession();
    // Three events of clinic A and two of clinic B, interleaved.
    for (const char* clinic : {kClinicA, kClinicB, kClinicA, kClinicB, kClinicA}) {
      ASSERT_TRUE(Append(clinic).ok());
    }
  }

  absl::Status Append(const std::string& clinic) {
    return Write([&](UnitOfWork& uow) {
      AuditEvent event;
      event.id = absl::StrCat("00000000-0000-7000-8000-0000000e", 1000 + ++appended_);
      event.time = absl::FromUnixSeconds(1767225600 + appended_);
      event.actor_user_id = kAlice;
      event.actor_role = "clinician";
      event.clinic_id = clinic;
      event.action = "confide.v1.ClientService.GetClient";
      event.outcome = "success";
      event.status_code = "OK";
      event.request_id = absl::StrCat("req-", appended_);
      return uow.audit().Append(event);
    });
  }

  // Runs one statement; "" when it succeeded, else the database's error text.
  std::string Exec(const std::string& statement) {
    try {
      *sql_ << statement;
      return "";
    } catch (const std::exception& e) {
      std::string what = e.what();
      return what.empty() ? "error" : what;
    }
  }

  // The clinic's event seqs, ascending.
  std::vector<long long> Seqs(const std::string& clinic) {
    std::vector<long long> seqs;
    long long seq = 0;
    std::string c = clinic;
    soci::statement st =
        (sql_->prepare << "SELECT seq FROM audit_events WHERE clinic_id = :c ORDER BY seq",
         soci::into(seq), soci::use(c));
    st.execute();
    while (st.fetch()) {
      seqs.push_back(seq);
    }
    return seqs;
  }

  std::string Count(const std::string& table) {
    long long n = 0;
    *sql_ << "SELECT count(*) FROM " << table, soci::into(n);
    return std::to_string(n);
  }

  std::string InsertBatch(const std::string& clinic, int batch_no) {
    return Exec(absl::StrCat(
        "INSERT INTO audit_batches (clinic_id, batch_no, seq_after, seq_through, leaf_count, "
        "tree_size, root_hash, prev_hash, header_hash, seal_time, key_id, signature, "
        "first_event_time, last_event_time, sealed_by) VALUES ('",
        clinic, "', ", batch_no, ", 0, 5, 3, 3, 'r', 'p', 'h', 1, 'k', 's', 1, 2, 'test')"));
  }

  bool postgres() const { return scratch_->dialect() == Dialect::kPostgresql; }

  std::unique_ptr<soci::session> sql_;
  int appended_ = 0;
};

TEST_F(AuditAppendOnlyTest, EventsRefuseUpdate) {
  for (const std::string& statement :
       {std::string("UPDATE audit_events SET outcome = 'denied'"),
        std::string("UPDATE audit_events SET actor_user_id = 'someone-else' WHERE seq = 1"),
        absl::StrCat("UPDATE audit_events SET seq = seq + 100 WHERE clinic_id = '", kClinicB,
                     "'")}) {
    SCOPED_TRACE(statement);
    EXPECT_NE(Exec(statement), "");
  }
  EXPECT_EQ(Count("audit_events WHERE outcome = 'success'"), "5");
  EXPECT_EQ(Count(absl::StrCat("audit_events WHERE actor_user_id = '", kAlice, "'")), "5");
}

TEST_F(AuditAppendOnlyTest, EventsRefuseDeleteWithoutAPruneRecord) {
  EXPECT_NE(Exec("DELETE FROM audit_events"), "");
  EXPECT_NE(Exec(absl::StrCat("DELETE FROM audit_events WHERE clinic_id = '", kClinicA, "'")), "");
  const std::vector<long long> seqs = Seqs(kClinicA);
  ASSERT_EQ(seqs.size(), 3u);
  EXPECT_NE(Exec(absl::StrCat("DELETE FROM audit_events WHERE seq = ", seqs[0])), "");
  EXPECT_EQ(Count("audit_events"), "5");
}

TEST_F(AuditAppendOnlyTest, PostgresRefusesTruncateOfEventsBatchesAndPrunes) {
  if (!postgres()) {
    GTEST_SKIP() << "SQLite has no TRUNCATE";
  }
  ASSERT_EQ(InsertBatch(kClinicA, 1), "");
  EXPECT_NE(Exec("TRUNCATE audit_events"), "");
  EXPECT_NE(Exec("TRUNCATE audit_batches"), "");
  EXPECT_NE(Exec("TRUNCATE audit_events, audit_batches, audit_prunes"), "");
  EXPECT_EQ(Count("audit_events"), "5");
  EXPECT_EQ(Count("audit_batches"), "1");
}

TEST_F(AuditAppendOnlyTest, SealedBatchesRefuseUpdateAndDelete) {
  ASSERT_EQ(InsertBatch(kClinicA, 1), "");
  ASSERT_EQ(InsertBatch(kClinicB, 1), "");
  EXPECT_NE(Exec("UPDATE audit_batches SET root_hash = 'forged'"), "");
  EXPECT_NE(Exec(absl::StrCat("UPDATE audit_batches SET seq_through = 4 WHERE clinic_id = '",
                              kClinicA, "'")),
            "");
  EXPECT_NE(Exec("DELETE FROM audit_batches"), "");
  EXPECT_NE(Exec(absl::StrCat("DELETE FROM audit_batches WHERE clinic_id = '", kClinicB, "'")), "");
  EXPECT_EQ(Count("audit_batches WHERE root_hash = 'r' AND seq_through = 5"), "2");
}

TEST_F(AuditAppendOnlyTest, PruneRecordsRefuseUpdateAndDelete) {
  ASSERT_EQ(Exec(absl::StrCat("INSERT INTO audit_prunes (clinic_id, through_batch_no, through_seq, "
                              "archive_sha256, prune_time) VALUES ('",
                              kClinicA, "', 1, 1, 'abc', 1)")),
            "");
  EXPECT_NE(Exec("UPDATE audit_prunes SET through_seq = 1000"), "");
  EXPECT_NE(Exec("DELETE FROM audit_prunes"), "");
  EXPECT_EQ(Count("audit_prunes WHERE through_seq = 1"), "1");
}

// Once a prune of clinic A through its second event is recorded, exactly those events may be
// deleted: not A's later ones, not another clinic's earlier ones, and still never updated.
TEST_F(AuditAppendOnlyTest, DeleteInsideARecordedPrunedRangeIsAllowed) {
  const std::vector<long long> a = Seqs(kClinicA);
  const std::vector<long long> b = Seqs(kClinicB);
  ASSERT_EQ(a.size(), 3u);
  ASSERT_EQ(b.size(), 2u);
  ASSERT_EQ(Exec(absl::StrCat("INSERT INTO audit_prunes (clinic_id, through_batch_no, through_seq, "
                              "archive_sha256, prune_time) VALUES ('",
                              kClinicA, "', 1, ", a[1], ", 'abc', 1)")),
            "");

  EXPECT_NE(Exec(absl::StrCat("UPDATE audit_events SET outcome = 'denied' WHERE seq = ", a[0])),
            "");
  EXPECT_NE(Exec(absl::StrCat("DELETE FROM audit_events WHERE seq = ", a[2])), "");
  EXPECT_NE(Exec(absl::StrCat("DELETE FROM audit_events WHERE seq = ", b[0])), "");
  // A statement touching one row outside the range deletes nothing at all.
  EXPECT_NE(Exec(absl::StrCat("DELETE FROM audit_events WHERE clinic_id = '", kClinicA, "'")), "");
  EXPECT_EQ(Count("audit_events"), "5");

  EXPECT_EQ(Exec(absl::StrCat("DELETE FROM audit_events WHERE clinic_id = '", kClinicA,
                              "' AND seq <= ", a[1])),
            "");
  EXPECT_EQ(Seqs(kClinicA), std::vector<long long>{a[2]});
  EXPECT_EQ(Seqs(kClinicB), b);
}

// AuditTrailRepository::Prune records the prune and deletes the clinic's events it covers in the
// caller's transaction; LastPrune reads the newest record back.
TEST_F(AuditAppendOnlyTest, RepositoryPruneRecordsThenDeletesOnlyThatClinicsRange) {
  const std::vector<long long> a = Seqs(kClinicA);
  const std::vector<long long> b = Seqs(kClinicB);
  ASSERT_EQ(a.size(), 3u);
  absl::StatusOr<std::optional<AuditPruneRecord>> none =
      Read([](UnitOfWork& uow) { return uow.audit_trail().LastPrune(kClinicA); });
  ASSERT_TRUE(none.ok()) << none.status();
  EXPECT_FALSE(none->has_value());

  const AuditPruneRecord record{.clinic_id = kClinicA,
                                .through_batch_no = 1,
                                .through_seq = a[1],
                                .archive_sha256 = std::string(64, 'a'),
                                .prune_time = absl::FromUnixSeconds(1893456000)};
  absl::StatusOr<int64_t> deleted =
      WriteReturning([&](UnitOfWork& uow) { return uow.audit_trail().Prune(record); });
  ASSERT_TRUE(deleted.ok()) << deleted.status();
  EXPECT_EQ(*deleted, 2);
  EXPECT_EQ(Seqs(kClinicA), std::vector<long long>{a[2]});
  EXPECT_EQ(Seqs(kClinicB), b);

  absl::StatusOr<std::optional<AuditPruneRecord>> last =
      Read([](UnitOfWork& uow) { return uow.audit_trail().LastPrune(kClinicA); });
  ASSERT_TRUE(last.ok()) << last.status();
  ASSERT_TRUE(last->has_value());
  EXPECT_EQ((*last)->through_batch_no, 1);
  EXPECT_EQ((*last)->through_seq, a[1]);
  EXPECT_EQ((*last)->archive_sha256, std::string(64, 'a'));
  EXPECT_EQ((*last)->prune_time, absl::FromUnixSeconds(1893456000));

  // The same prune again is refused (one record per batch number) and changes nothing.
  absl::StatusOr<int64_t> again =
      WriteReturning([&](UnitOfWork& uow) { return uow.audit_trail().Prune(record); });
  EXPECT_FALSE(again.ok());
  EXPECT_EQ(Count("audit_prunes"), "1");
  EXPECT_EQ(Count("audit_events"), "3");
}

}  // namespace
}  // namespace confide::persistence
