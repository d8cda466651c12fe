// AuditTrailRepository::Query on SQLite and PostgreSQL (CONFIDE_TEST_DATABASE): the filters,
// newest-first keyset paging without gaps or repeats, the sealing batch of each event, and the
// database's own plans on a trail of 24,000 events: each filter shape (time range, actor,
// client, and their next pages) is served by its index (on SQLite in (time, seq) order, without
// a sort), and the batch number by audit_batches_by_seq.

#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "adapters/persistence/soci_audit_query.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/audit/ports/audit_trail_repository.h"
#include "soci/soci.h"
#include "tests/persistence/migrated_database_test.h"

namespace confide::persistence {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr int kEvents = 24000;
constexpr int kClinics = 4;
constexpr int kActors = 200;
constexpr int kClients = 2000;
// Clinic "clinic-0" has batches of 40 seq each up to kSealedThrough; later events are unsealed.
constexpr int kSeqPerBatch = 40;
constexpr int kSealedThrough = 20000;
constexpr int64_t kBaseMicros = 1767225600000000;

// The time of event i is At(i / 3).
absl::Time At(int seconds) {
  return absl::FromUnixMicros(kBaseMicros + int64_t{seconds} * 1000000);
}

class AuditQueryTest : public MigratedDatabaseTest {
 protected:
  void SetUp() override {
    MigratedDatabaseTest::SetUp();
    if (HasFatalFailure()) {
      return;
    }
    sql_ = scratch_->OpenSession();
    const bool sqlite = scratch_->dialect() == Dialect::kSqlite;
    // Event i: clinic i % 4, actor i % 200, client i % 2000, one second apart in threes (so
    // ties on time are broken by seq), every tenth denied, every 97th under break-glass.
    const std::string numbers =
        sqlite ? "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < " +
                     std::to_string(kEvents) + ") "
               : "";
    const std::string source =
        sqlite ? " FROM n" : absl::StrCat(" FROM generate_series(1, ", kEvents, ") AS n(i)");
    soci::transaction tx(*sql_);
    *sql_ << numbers +
                 "INSERT INTO audit_events (id, time, actor_user_id, actor_role, clinic_id, "
                 "action, resource, client_id, outcome, status_code, request_id, "
                 "source_address, break_glass, detail) SELECT 'ev-' || i, " +
                 std::to_string(kBaseMicros) +
                 " + CAST(i / 3 AS BIGINT) * 1000000, 'actor-' || (i % " + std::to_string(kActors) +
                 "), 'clinician', 'clinic-' || (i % " + std::to_string(kClinics) +
                 "), CASE WHEN i % 5 = 0 THEN 'confide.v1.NoteService.GetNote' ELSE "
                 "'confide.v1.ClientService.GetClient' END, 'clients/c-' || (i % " +
                 std::to_string(kClients) + "), 'c-' || (i % " + std::to_string(kClients) +
                 "), CASE WHEN i % 10 = 0 THEN 'denied' ELSE 'success' END, 'OK', 'r-' || i, "
                 "'127.0.0.1', CASE WHEN i % 97 = 0 THEN 1 ELSE 0 END, ''" +
                 source;
    const std::string batches =
        sqlite ? "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < " +
                     std::to_string(kSealedThrough / kSeqPerBatch) + ") "
               : "";
    const std::string batch_source =
        sqlite
            ? " FROM n"
            : absl::StrCat(" FROM generate_series(1, ", kSealedThrough / kSeqPerBatch, ") AS n(i)");
    *sql_ << batches +
                 "INSERT INTO audit_batches (clinic_id, batch_no, seq_after, seq_through, "
                 "leaf_count, tree_size, root_hash, prev_hash, header_hash, seal_time, key_id, "
                 "signature, first_event_time, last_event_time, sealed_by) SELECT 'clinic-0', "
                 "i, (i - 1) * " +
                 std::to_string(kSeqPerBatch) + ", i * " + std::to_string(kSeqPerBatch) +
                 ", 10, i * 10, 'r', 'p', 'h', 0, 'k', 's', 0, 0, 'test'" + batch_source;
    tx.commit();
    *sql_ << "ANALYZE audit_events";
    *sql_ << "ANALYZE audit_batches";
  }

  absl::StatusOr<std::vector<AuditEventRow>> Query(const AuditEventFilter& filter) {
    return Read([&](UnitOfWork& uow) { return uow.audit_trail().Query(filter); });
  }

  // Every page of `filter` (page size `limit`), following the keyset.
  std::vector<AuditEventRow> AllPages(AuditEventFilter filter) {
    std::vector<AuditEventRow> all;
    for (int page = 0; page < 1000; ++page) {
      absl::StatusOr<std::vector<AuditEventRow>> rows = Query(filter);
      EXPECT_TRUE(rows.ok()) << rows.status();
      if (!rows.ok() || rows->empty()) {
        break;
      }
      all.insert(all.end(), rows->begin(), rows->end());
      filter.before_time = rows->back().event.time;
      filter.before_seq = rows->back().event.seq;
    }
    return all;
  }

  // The plan of `filter`'s query, one string.
  std::string Plan(const AuditEventFilter& filter) {
    absl::StatusOr<std::vector<std::string>> lines = ExplainAuditQuery(*sql_, filter);
    EXPECT_TRUE(lines.ok()) << lines.status();
    return lines.ok() ? absl::StrJoin(*lines, "\n") : "";
  }

  // The plan uses `index` for the events, in order (no sort step), and audit_batches_by_seq
  // for the batch number.
  void ExpectPlanUses(const AuditEventFilter& filter, const std::string& index) {
    const std::string plan = Plan(filter);
    SCOPED_TRACE(plan);
    std::cout << "--- plan (" << (scratch_->dialect() == Dialect::kSqlite ? "SQLite" : "PostgreSQL")
              << ", " << index << ") ---\n"
              << plan << "\n";
    EXPECT_THAT(plan, HasSubstr(index));
    EXPECT_THAT(plan, HasSubstr("audit_batches_by_seq"));
    if (scratch_->dialect() == Dialect::kSqlite) {
      EXPECT_THAT(plan, Not(HasSubstr("TEMP B-TREE")));
      EXPECT_THAT(plan, Not(HasSubstr("SCAN e")));
    } else {
      // PostgreSQL may fetch a handful of rows by bitmap and sort them (cheaper than walking
      // the index for a client with three events); the index is what must serve them.
      EXPECT_THAT(plan, Not(HasSubstr("Seq Scan on audit_events")));
    }
  }

  static AuditEventFilter Clinic(const std::string& clinic) {
    AuditEventFilter filter;
    filter.clinic_id = clinic;
    return filter;
  }

  std::unique_ptr<soci::session> sql_;
};

TEST_F(AuditQueryTest, ReturnsTheClinicsEventsNewestFirstWithTheirBatch) {
  AuditEventFilter filter = Clinic("clinic-0");
  filter.limit = 10;
  absl::StatusOr<std::vector<AuditEventRow>> rows = Query(filter);
  ASSERT_TRUE(rows.ok()) << rows.status();
  ASSERT_EQ(rows->size(), 10u);
  for (size_t i = 0; i < rows->size(); ++i) {
    const AuditEvent& e = (*rows)[i].event;
    EXPECT_EQ(e.clinic_id, "clinic-0");
    if (i > 0) {
      const AuditEvent& newer = (*rows)[i - 1].event;
      EXPECT_TRUE(e.time < newer.time || (e.time == newer.time && e.seq < newer.seq));
    }
    // The newest events are past the sealed range.
    EXPECT_EQ((*rows)[i].batch_no, 0);
  }
  filter.end_time = At(kEvents / 3 / 2);
  filter.limit = 200;
  rows = Query(filter);
  ASSERT_TRUE(rows.ok()) << rows.status();
  ASSERT_FALSE(rows->empty());
  for (const AuditEventRow& row : *rows) {
    ASSERT_LE(row.event.seq, kSealedThrough);
    EXPECT_EQ(row.batch_no, (row.event.seq + kSeqPerBatch - 1) / kSeqPerBatch) << row.event.seq;
  }
}

TEST_F(AuditQueryTest, EachFilterSelectsExactlyItsEvents) {
  AuditEventFilter filter = Clinic("clinic-1");
  filter.actor_user_id = "actor-5";
  filter.limit = 1000;
  absl::StatusOr<std::vector<AuditEventRow>> rows = Query(filter);
  ASSERT_TRUE(rows.ok()) << rows.status();
  // i % 4 == 1 and i % 200 == 5: every 200th event from 5.
  EXPECT_EQ(rows->size(), static_cast<size_t>(kEvents / kActors));
  for (const AuditEventRow& row : *rows) {
    EXPECT_EQ(row.event.actor_user_id, "actor-5");
  }

  filter = Clinic("clinic-1");
  filter.client_id = "c-9";
  filter.limit = 1000;
  rows = Query(filter);
  ASSERT_TRUE(rows.ok()) << rows.status();
  EXPECT_EQ(rows->size(), static_cast<size_t>(kEvents / kClients));

  filter = Clinic("clinic-2");
  filter.outcome = "denied";
  filter.action = "confide.v1.NoteService.GetNote";
  filter.limit = 10000;
  rows = Query(filter);
  ASSERT_TRUE(rows.ok()) << rows.status();
  // i % 4 == 2, i % 10 == 0 and i % 5 == 0: i % 20 == 10.
  EXPECT_EQ(rows->size(), static_cast<size_t>(kEvents / 20));
  for (const AuditEventRow& row : *rows) {
    EXPECT_EQ(row.event.outcome, "denied");
    EXPECT_EQ(row.event.action, "confide.v1.NoteService.GetNote");
  }

  filter = Clinic("clinic-3");
  filter.break_glass_only = true;
  filter.limit = 10000;
  rows = Query(filter);
  ASSERT_TRUE(rows.ok()) << rows.status();
  ASSERT_FALSE(rows->empty());
  for (const AuditEventRow& row : *rows) {
    EXPECT_TRUE(row.event.break_glass);
  }

  // [start, end): three events a second, a quarter of them in clinic 0.
  filter = Clinic("clinic-0");
  filter.start_time = At(100);
  filter.end_time = At(200);
  filter.limit = 10000;
  rows = Query(filter);
  ASSERT_TRUE(rows.ok()) << rows.status();
  ASSERT_FALSE(rows->empty());
  for (const AuditEventRow& row : *rows) {
    EXPECT_GE(row.event.time, *filter.start_time);
    EXPECT_LT(row.event.time, *filter.end_time);
  }
  // i in [300, 600) with i % 4 == 0.
  EXPECT_EQ(rows->size(), 75u);

  filter = Clinic("no-such-clinic");
  rows = Query(filter);
  ASSERT_TRUE(rows.ok()) << rows.status();
  EXPECT_TRUE(rows->empty());
}

// Pages of 7 (ties on time fall across page ends) cover the clinic exactly once, in order.
TEST_F(AuditQueryTest, KeysetPagesHaveNoGapsOrRepeats) {
  AuditEventFilter filter = Clinic("clinic-1");
  filter.actor_user_id = "actor-1";
  filter.limit = 7;
  std::vector<AuditEventRow> paged = AllPages(filter);
  filter.limit = 100000;
  absl::StatusOr<std::vector<AuditEventRow>> whole = Query(filter);
  ASSERT_TRUE(whole.ok()) << whole.status();
  ASSERT_EQ(paged.size(), whole->size());
  for (size_t i = 0; i < paged.size(); ++i) {
    EXPECT_EQ(paged[i].event.seq, (*whole)[i].event.seq) << i;
  }

  filter = Clinic("clinic-2");
  filter.limit = 500;
  paged = AllPages(filter);
  EXPECT_EQ(paged.size(), static_cast<size_t>(kEvents / kClinics));
  for (size_t i = 1; i < paged.size(); ++i) {
    const AuditEvent& newer = paged[i - 1].event;
    const AuditEvent& e = paged[i].event;
    ASSERT_TRUE(e.time < newer.time || (e.time == newer.time && e.seq < newer.seq)) << i;
  }
}

TEST_F(AuditQueryTest, TimeRangeIsServedByTheClinicTimeIndex) {
  AuditEventFilter filter = Clinic("clinic-0");
  ExpectPlanUses(filter, "audit_by_clinic_time");
  filter.start_time = At(1000);
  filter.end_time = At(2000);
  ExpectPlanUses(filter, "audit_by_clinic_time");
  filter.before_time = At(1500);
  filter.before_seq = 4500;
  ExpectPlanUses(filter, "audit_by_clinic_time");
}

TEST_F(AuditQueryTest, ActorIsServedByTheActorIndex) {
  AuditEventFilter filter = Clinic("clinic-1");
  filter.actor_user_id = "actor-5";
  ExpectPlanUses(filter, "audit_by_actor_time");
  filter.start_time = At(1000);
  filter.before_time = At(5000);
  filter.before_seq = 15000;
  ExpectPlanUses(filter, "audit_by_actor_time");
}

TEST_F(AuditQueryTest, ClientIsServedByTheClientIndex) {
  AuditEventFilter filter = Clinic("clinic-1");
  filter.client_id = "c-9";
  ExpectPlanUses(filter, "audit_by_client_time");
  filter.end_time = At(6000);
  filter.before_time = At(5000);
  filter.before_seq = 15000;
  ExpectPlanUses(filter, "audit_by_client_time");
}

}  // namespace
}  // namespace confide::persistence
