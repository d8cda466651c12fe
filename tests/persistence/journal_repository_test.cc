// The patient's journal against a real database (SQLite or PostgreSQL, whichever
// CONFIDE_TEST_DATABASE names): every field round-trips, lists are newest written first and
// hold only what the audience may see, pages resume by (write time, id), writes are refused
// for a stale revision (ABORTED) or a missing entry (NOT_FOUND), and request ids are unique per
// clinic.

#include "services/journal/ports/journal_repository.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "soci/soci.h"
#include "tests/persistence/migrated_database_test.h"

namespace confide::persistence {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr char kJo[] = "00000000-0000-7000-8000-000000009001";
constexpr char kRiley[] = "00000000-0000-7000-8000-000000009002";
constexpr char kCasey[] = "00000000-0000-7000-8000-000000009003";  // clinic B

std::string EntryId(int n) { return absl::StrFormat("00000000-0000-7000-8000-%012d", 9100 + n); }

// Entry `n` of Jo, written n minutes after kCreateTime.
JournalEntryRecord NewEntry(int n, const std::string& client_id = kJo,
                            const std::string& clinic_id = kClinicA) {
  return JournalEntryRecord{.id = EntryId(n),
                            .clinic_id = clinic_id,
                            .client_id = client_id,
                            .write_time = kCreateTime + absl::Minutes(n),
                            .shared_with_care_team = false,
                            .shared_with_partner = false,
                            .content_sealed = absl::StrFormat("sealed:%d", n),
                            .revision = 1,
                            .create_time = kCreateTime + absl::Hours(1) + absl::Seconds(n),
                            .update_time = kCreateTime + absl::Hours(1) + absl::Seconds(n)};
}

class JournalRepositoryTest : public MigratedDatabaseTest {
 protected:
  void SetUp() override {
    MigratedDatabaseTest::SetUp();
    if (HasFatalFailure()) {
      return;
    }
    absl::Status seeded = InsertClients(
        {NewClient(kJo, kClinicA), NewClient(kRiley, kClinicA), NewClient(kCasey, kClinicB)});
    ASSERT_TRUE(seeded.ok()) << seeded;
  }

  absl::Status Insert(const JournalEntryRecord& entry) {
    return Write([&](UnitOfWork& uow) { return uow.journal().Insert(entry); });
  }

  std::optional<JournalEntryRecord> Find(const std::string& id, const std::string& client_id = kJo,
                                         const std::string& clinic_id = kClinicA) {
    absl::StatusOr<std::optional<JournalEntryRecord>> found =
        Read([&](UnitOfWork& uow) { return uow.journal().Find(clinic_id, client_id, id); });
    EXPECT_TRUE(found.ok()) << found.status();
    return found.ok() ? *found : std::nullopt;
  }

  // The ids of one List call.
  std::vector<std::string> ListIds(JournalAudience audience,
                                   std::optional<absl::Time> after_time = std::nullopt,
                                   const std::string& after_id = "", int limit = 100,
                                   const std::string& client_id = kJo,
                                   const std::string& clinic_id = kClinicA) {
    absl::StatusOr<std::vector<JournalEntryRecord>> listed = Read([&](UnitOfWork& uow) {
      return uow.journal().List(clinic_id, client_id, audience, after_time, after_id, limit);
    });
    EXPECT_TRUE(listed.ok()) << listed.status();
    std::vector<std::string> ids;
    if (listed.ok()) {
      for (const JournalEntryRecord& entry : *listed) {
        ids.push_back(entry.id);
      }
    }
    return ids;
  }
};

TEST_F(JournalRepositoryTest, EntryRoundTripsEveryField) {
  JournalEntryRecord entry = NewEntry(1);
  entry.shared_with_care_team = true;
  entry.request_id = "phone-retry-1";
  ASSERT_TRUE(Insert(entry).ok());

  std::optional<JournalEntryRecord> found = Find(entry.id);

  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->id, entry.id);
  EXPECT_EQ(found->clinic_id, kClinicA);
  EXPECT_EQ(found->client_id, kJo);
  EXPECT_EQ(found->write_time, entry.write_time);
  EXPECT_TRUE(found->shared_with_care_team);
  EXPECT_FALSE(found->shared_with_partner);
  EXPECT_EQ(found->content_sealed, "sealed:1");
  EXPECT_EQ(found->revision, 1);
  EXPECT_EQ(found->create_time, entry.create_time);
  EXPECT_EQ(found->update_time, entry.update_time);
  EXPECT_EQ(found->request_id, "phone-retry-1");
}

TEST_F(JournalRepositoryTest, EntryIsFoundOnlyForItsClientAndClinic) {
  ASSERT_TRUE(Insert(NewEntry(1)).ok());

  EXPECT_EQ(Find(EntryId(1), kRiley), std::nullopt);
  EXPECT_EQ(Find(EntryId(1), kJo, kClinicB), std::nullopt);
  EXPECT_EQ(Find(EntryId(2)), std::nullopt);
}

TEST_F(JournalRepositoryTest, RequestIdIsUniquePerClinicAndFindsTheEntry) {
  JournalEntryRecord first = NewEntry(1);
  first.request_id = "same";
  ASSERT_TRUE(Insert(first).ok());
  JournalEntryRecord again = NewEntry(2);
  again.request_id = "same";
  JournalEntryRecord other_clinic = NewEntry(3, kCasey, kClinicB);
  other_clinic.request_id = "same";

  EXPECT_EQ(Insert(again).code(), absl::StatusCode::kAlreadyExists);
  EXPECT_TRUE(Insert(other_clinic).ok());
  // Entries without a request id never collide.
  EXPECT_TRUE(Insert(NewEntry(4)).ok());
  EXPECT_TRUE(Insert(NewEntry(5)).ok());

  absl::StatusOr<std::optional<JournalEntryRecord>> found =
      Read([&](UnitOfWork& uow) { return uow.journal().FindByRequestId(kClinicA, "same"); });
  ASSERT_TRUE(found.ok()) << found.status();
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->id, EntryId(1));
  absl::StatusOr<std::optional<JournalEntryRecord>> none =
      Read([&](UnitOfWork& uow) { return uow.journal().FindByRequestId(kClinicA, ""); });
  ASSERT_TRUE(none.ok()) << none.status();
  EXPECT_EQ(*none, std::nullopt);
}

TEST_F(JournalRepositoryTest, ListIsNewestWrittenFirstAndOnlyWhatTheAudienceMaySee) {
  // Written in the order 1, 2, 3, 4; entry 3 is written at the same moment as entry 2, so the
  // id decides between them.
  JournalEntryRecord e1 = NewEntry(1), e2 = NewEntry(2), e3 = NewEntry(3), e4 = NewEntry(4);
  e3.write_time = e2.write_time;
  e1.shared_with_care_team = true;
  e2.shared_with_partner = true;
  e3.shared_with_care_team = true;
  e3.shared_with_partner = true;
  for (const JournalEntryRecord& e : {e4, e2, e1, e3}) {
    ASSERT_TRUE(Insert(e).ok());
  }
  ASSERT_TRUE(Insert(NewEntry(5, kRiley)).ok());
  ASSERT_TRUE(Insert(NewEntry(6, kCasey, kClinicB)).ok());

  EXPECT_THAT(ListIds(JournalAudience::kOwner),
              ElementsAre(EntryId(4), EntryId(3), EntryId(2), EntryId(1)));
  EXPECT_THAT(ListIds(JournalAudience::kCareTeam), ElementsAre(EntryId(3), EntryId(1)));
  EXPECT_THAT(ListIds(JournalAudience::kPartner), ElementsAre(EntryId(3), EntryId(2)));
  EXPECT_THAT(ListIds(JournalAudience::kOwner, std::nullopt, "", 100, kJo, kClinicB), IsEmpty());
}

TEST_F(JournalRepositoryTest, ListsPageByWriteTimeAndId) {
  JournalEntryRecord e1 = NewEntry(1), e2 = NewEntry(2), e3 = NewEntry(3), e4 = NewEntry(4);
  e3.write_time = e2.write_time;
  for (const JournalEntryRecord& e : {e1, e2, e3, e4}) {
    ASSERT_TRUE(Insert(e).ok());
  }

  EXPECT_THAT(ListIds(JournalAudience::kOwner, std::nullopt, "", 2),
              ElementsAre(EntryId(4), EntryId(3)));
  EXPECT_THAT(ListIds(JournalAudience::kOwner, e3.write_time, e3.id, 2),
              ElementsAre(EntryId(2), EntryId(1)));
  EXPECT_THAT(ListIds(JournalAudience::kOwner, e2.write_time, e2.id, 2), ElementsAre(EntryId(1)));
  EXPECT_THAT(ListIds(JournalAudience::kOwner, e1.write_time, e1.id, 2), IsEmpty());
  // A page resumes after a deleted entry's place all the same.
  ASSERT_TRUE(
      Write([&](UnitOfWork& uow) { return uow.journal().Delete(kClinicA, kJo, e3.id, 1); }).ok());
  EXPECT_THAT(ListIds(JournalAudience::kOwner, e3.write_time, e3.id, 2),
              ElementsAre(EntryId(2), EntryId(1)));
}

TEST_F(JournalRepositoryTest, UpdateWritesTheChangesAndRefusesAStaleRevision) {
  ASSERT_TRUE(Insert(NewEntry(1)).ok());
  JournalEntryRecord next = NewEntry(1);
  next.shared_with_care_team = true;
  next.shared_with_partner = true;
  next.content_sealed = "sealed:changed";
  next.update_time = kCreateTime + absl::Hours(5);
  // Fields the port says Update never writes.
  next.create_time = kCreateTime + absl::Hours(9);
  next.request_id = "ignored";

  ASSERT_TRUE(Write([&](UnitOfWork& uow) { return uow.journal().Update(next, 1); }).ok());

  std::optional<JournalEntryRecord> found = Find(EntryId(1));
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->revision, 2);
  EXPECT_TRUE(found->shared_with_care_team);
  EXPECT_TRUE(found->shared_with_partner);
  EXPECT_EQ(found->content_sealed, "sealed:changed");
  EXPECT_EQ(found->update_time, next.update_time);
  EXPECT_EQ(found->create_time, NewEntry(1).create_time);
  EXPECT_EQ(found->request_id, "");

  EXPECT_EQ(Write([&](UnitOfWork& uow) { return uow.journal().Update(next, 1); }).code(),
            absl::StatusCode::kAborted);
  JournalEntryRecord elsewhere = next;
  elsewhere.client_id = kRiley;
  EXPECT_EQ(Write([&](UnitOfWork& uow) { return uow.journal().Update(elsewhere, 2); }).code(),
            absl::StatusCode::kNotFound);
  elsewhere = next;
  elsewhere.clinic_id = kClinicB;
  EXPECT_EQ(Write([&](UnitOfWork& uow) { return uow.journal().Update(elsewhere, 2); }).code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(Find(EntryId(1))->revision, 2);
}

TEST_F(JournalRepositoryTest, DeleteRemovesTheRowOnlyAtTheExpectedRevision) {
  ASSERT_TRUE(Insert(NewEntry(1)).ok());

  EXPECT_EQ(Write([&](UnitOfWork& uow) {
              return uow.journal().Delete(kClinicA, kJo, EntryId(1), 2);
            }).code(),
            absl::StatusCode::kAborted);
  EXPECT_EQ(Write([&](UnitOfWork& uow) {
              return uow.journal().Delete(kClinicB, kJo, EntryId(1), 1);
            }).code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(Write([&](UnitOfWork& uow) {
              return uow.journal().Delete(kClinicA, kRiley, EntryId(1), 1);
            }).code(),
            absl::StatusCode::kNotFound);
  ASSERT_TRUE(Find(EntryId(1)).has_value());

  EXPECT_TRUE(Write([&](UnitOfWork& uow) {
                return uow.journal().Delete(kClinicA, kJo, EntryId(1), 1);
              }).ok());

  EXPECT_EQ(Find(EntryId(1)), std::nullopt);
  // Its sealed text is gone with the row.
  std::unique_ptr<soci::session> sql = scratch_->OpenSession();
  int rows = -1;
  *sql << "SELECT COUNT(*) FROM journal_entries", soci::into(rows);
  EXPECT_EQ(rows, 0);
  EXPECT_EQ(Write([&](UnitOfWork& uow) {
              return uow.journal().Delete(kClinicA, kJo, EntryId(1), 1);
            }).code(),
            absl::StatusCode::kNotFound);
}

// A page of the list walks journal_entries_by_client backwards from the keyset, never the whole
// table and without a sort. PostgreSQL is told not to prefer a sequential scan of the tiny test
// table, as it would not for a real one.
TEST_F(JournalRepositoryTest, ListWalksTheClientIndex) {
  constexpr char kQuery[] =
      "SELECT id FROM journal_entries WHERE clinic_id = 'a' AND client_id = 'b' AND "
      "shared_with_care_team = 1 AND (write_time < 5 OR (write_time = 5 AND id < 'x')) "
      "ORDER BY write_time DESC, id DESC LIMIT 51";
  std::unique_ptr<soci::session> sql = scratch_->OpenSession();
  const bool sqlite = scratch_->dialect() == Dialect::kSqlite;
  if (!sqlite) {
    *sql << "SET enable_seqscan = off";
  }
  soci::rowset<soci::row> rows =
      (sql->prepare << std::string(sqlite ? "EXPLAIN QUERY PLAN " : "EXPLAIN ") + kQuery);
  std::vector<std::string> plan;
  for (const soci::row& row : rows) {
    plan.push_back(row.get<std::string>(row.size() - 1));
  }
  const std::string text = absl::StrJoin(plan, "\n");
  EXPECT_THAT(text, HasSubstr("journal_entries_by_client")) << text;
  EXPECT_THAT(text, ::testing::Not(HasSubstr(sqlite ? "TEMP B-TREE" : "Sort"))) << text;
}

}  // namespace
}  // namespace confide::persistence
