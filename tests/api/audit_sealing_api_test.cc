// The real server seals its audit trail in the background (docs/audit.md, "Sealing"): within
// seconds every event is in exactly one batch of its clinic's chain, the chains link without
// gaps, and a second server on the same database (PostgreSQL: the advisory-lock follower) seals
// nothing twice and skips nothing; when the leader stops, the follower takes over.

#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "api_test_fixture.h"
#include "gtest/gtest.h"

namespace confide::api_test {
namespace {

using Clock = std::chrono::steady_clock;

// Generous: the default interval is 1 s; this only bounds a broken sealer.
constexpr auto kSealDeadline = std::chrono::seconds(30);

class AuditSealingApiTest : public ApiTest {
 protected:
  static long long QueryNumber(const std::string& sql) {
    std::vector<std::string> rows = Query(sql);
    if (rows.size() != 1 || rows[0].empty()) {
      ADD_FAILURE() << sql << " returned " << rows.size() << " rows";
      return -1;
    }
    return std::stoll(rows[0]);
  }

  // Polls until every event stored now is sealed; false after kSealDeadline.
  static bool WaitUntilAllSealed() {
    const long long target = QueryNumber("SELECT COALESCE(MAX(seq), 0) FROM audit_events");
    const Clock::time_point deadline = Clock::now() + kSealDeadline;
    while (Clock::now() < deadline) {
      if (QueryNumber("SELECT sealed_through_seq FROM audit_seal_state") >= target) {
        return true;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
  }

  // Every event at or below sealed_through in exactly one batch of its clinic; no batch
  // overlapping another or leaving a gap; each chain linked by hash; leaf counts add up.
  static void ExpectTrailTiled() {
    const long long sealed = QueryNumber("SELECT sealed_through_seq FROM audit_seal_state");
    EXPECT_EQ(
        QueryNumber("SELECT COUNT(*) FROM audit_events e WHERE e.seq <= " + std::to_string(sealed) +
                    " AND (SELECT COUNT(*) FROM audit_batches b WHERE b.clinic_id = "
                    "e.clinic_id AND e.seq > b.seq_after AND e.seq <= b.seq_through) <> 1"),
        0)
        << "events at or below sealed_through not in exactly one batch";
    EXPECT_EQ(
        QueryNumber("SELECT COUNT(*) FROM audit_events e WHERE e.seq > " + std::to_string(sealed) +
                    " AND EXISTS (SELECT 1 FROM audit_batches b WHERE b.clinic_id = "
                    "e.clinic_id AND e.seq > b.seq_after AND e.seq <= b.seq_through)"),
        0)
        << "events above sealed_through inside a batch";
    EXPECT_EQ(QueryNumber("SELECT COUNT(*) FROM audit_batches b WHERE NOT ((b.batch_no = 1 AND "
                          "b.seq_after = 0 AND b.prev_hash = '" +
                          std::string(64, '0') +
                          "') OR EXISTS (SELECT 1 FROM audit_batches p WHERE p.clinic_id = "
                          "b.clinic_id AND p.batch_no = b.batch_no - 1 AND p.seq_through = "
                          "b.seq_after AND p.header_hash = b.prev_hash AND p.tree_size + "
                          "b.leaf_count = b.tree_size))"),
              0)
        << "batches not chained to their predecessor";
    EXPECT_EQ(
        QueryNumber("SELECT COALESCE(SUM(leaf_count), 0) FROM audit_batches"),
        QueryNumber("SELECT COUNT(*) FROM audit_events WHERE seq <= " + std::to_string(sealed)));
    EXPECT_EQ(QueryNumber("SELECT COUNT(*) FROM audit_batches WHERE leaf_count < 1"), 0);
  }

  static bool IsPostgres() { return server().database().is_postgresql(); }

  // A few audited calls (reads of the client list) through `rest_port`.
  static void MakeCalls(int rest_port, int count) {
    HttpClient client(rest_port);
    const std::string token = TokenOf(kSamEmail);
    for (int i = 0; i < count; ++i) {
      EXPECT_EQ(client.Get("/v1/clients", token).status, 200);
    }
  }
};

TEST_F(AuditSealingApiTest, TheServerSealsEveryEventWithinSeconds) {
  MakeCalls(server().rest_port(), 5);
  // A refused call and an unauthenticated one are in the trail too.
  Rest().Get("/v1/clients", TokenOf(kJoEmail));
  ASSERT_TRUE(WaitUntilAllSealed()) << server().Log();
  ExpectTrailTiled();
  EXPECT_GE(QueryNumber("SELECT COUNT(*) FROM audit_signing_keys"), 1);
  // Each clinic with events has exactly one active key.
  EXPECT_EQ(QueryNumber("SELECT COUNT(*) FROM (SELECT DISTINCT clinic_id FROM audit_batches) c "
                        "WHERE (SELECT COUNT(*) FROM audit_signing_keys k WHERE k.clinic_id = "
                        "c.clinic_id AND k.retire_time IS NULL) <> 1"),
            0);
}

// Two servers of one deployment on one database. On PostgreSQL one leads (advisory lock) and
// seals every batch; the other follows. On SQLite both may seal; the seal-state lock keeps them
// from sealing anything twice. Either way every event is sealed exactly once.
TEST_F(AuditSealingApiTest, TwoServersOnOneDatabaseSealEachEventOnce) {
  std::string error;
  std::unique_ptr<TestServer> peer = server().StartPeer(&error);
  ASSERT_NE(peer, nullptr) << error;
  const long long batches_before = QueryNumber("SELECT COUNT(*) FROM audit_batches");

  std::thread through_peer([&] { MakeCalls(peer->rest_port(), 20); });
  MakeCalls(server().rest_port(), 20);
  through_peer.join();
  ASSERT_TRUE(WaitUntilAllSealed()) << server().Log() << "\n--- peer ---\n" << peer->Log();
  ExpectTrailTiled();
  if (IsPostgres()) {
    EXPECT_EQ(QueryNumber("SELECT COUNT(DISTINCT sealed_by) FROM audit_batches"), 1)
        << "one leader seals every batch";
    EXPECT_EQ(peer->Log().find(R"("leading":true)"), std::string::npos) << peer->Log();
  }
  EXPECT_GT(QueryNumber("SELECT COUNT(*) FROM audit_batches"), batches_before);

  // The leader stops: its last round seals what it served, then the follower takes over.
  const std::vector<std::string> leaders = Query("SELECT DISTINCT sealed_by FROM audit_batches");
  ASSERT_EQ(server().Stop(), "");
  ASSERT_TRUE(WaitUntilAllSealed());
  MakeCalls(peer->rest_port(), 5);
  ASSERT_TRUE(WaitUntilAllSealed()) << peer->Log();
  ExpectTrailTiled();
  if (IsPostgres()) {
    EXPECT_NE(peer->Log().find(R"("leading":true)"), std::string::npos) << peer->Log();
    EXPECT_EQ(QueryNumber("SELECT COUNT(DISTINCT sealed_by) FROM audit_batches"),
              static_cast<long long>(leaders.size()) + 1);
  }
  EXPECT_EQ(peer->Stop(), "");
  ASSERT_TRUE(server().Restart(server().master_key_path(), &error)) << error;
}

}  // namespace
}  // namespace confide::api_test
