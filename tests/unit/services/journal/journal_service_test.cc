// JournalService over the in-memory unit of work and the real envelope cipher, called as the
// pipeline calls it (access already decided): each entry's sharing decides who sees it, an
// entry one may not see is NOT_FOUND like a made-up id, her words are sealed, replays return
// the first entry, and updates and deletes need the current etag.

#include "services/journal/journal_service.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/common/timestamps.h"
#include "tests/fakes/clinical_test_support.h"
#include "tests/fakes/fake_id_generator.h"

namespace confide {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

constexpr char kClinic[] = "clinic-a";
constexpr char kJo[] = "00000000-0000-7000-8000-00000000c001";
constexpr char kRiley[] = "00000000-0000-7000-8000-00000000c002";
const absl::Time kStart =
    absl::FromCivil(absl::CivilSecond(2026, 3, 2, 9, 30, 0), absl::UTCTimeZone());

InMemoryDatabase Seeded() {
  InMemoryDatabase db;
  for (const char* id : {kJo, kRiley}) {
    ClientRecord client{.clinic_id = kClinic};
    client.client.set_id(id);
    client.client.set_status(v1::CLIENT_STATUS_ACTIVE);
    // Sam (ClinicianPrincipal) treats both.
    client.client.add_care_team()->set_user_id("sam");
    db.clients.emplace(id, client);
  }
  return db;
}

Principal Partner() {
  return Principal{.user_id = "kim",
                   .clinic_id = kClinic,
                   .role = v1::ROLE_PARTNER,
                   .client_id = kJo,
                   .session_id = "s4"};
}

class JournalServiceTest : public ClinicalServiceTest {
 protected:
  JournalServiceTest() : ClinicalServiceTest(kStart, Seeded(), kClinic, kJo) {}

  absl::StatusOr<v1::JournalEntry> CreateAs(const Principal& who, const std::string& client_id,
                                            const v1::JournalEntry& entry,
                                            const std::string& request_id = "") {
    v1::CreateJournalEntryRequest request;
    request.set_client_id("me");
    *request.mutable_entry() = entry;
    request.set_request_id(request_id);
    return As(who, client_id, [&](RequestScope& s) { return service_.Create(request, s); });
  }

  // Jo writes `text`, shared as given.
  v1::JournalEntry Write(const std::string& text, bool care_team = false, bool partner = false) {
    v1::JournalEntry entry;
    entry.set_text(text);
    entry.set_mood(v1::MOOD_GOOD);
    entry.add_tags("dilator");
    entry.add_tags("win");
    entry.set_shared_with_care_team(care_team);
    entry.set_shared_with_partner(partner);
    absl::StatusOr<v1::JournalEntry> created = CreateAs(patient_, kJo, entry);
    EXPECT_TRUE(created.ok()) << created.status();
    return created.ok() ? *created : v1::JournalEntry();
  }

  absl::StatusOr<v1::JournalEntry> Get(const Principal& who, const std::string& entry_id) {
    v1::GetJournalEntryRequest request;
    request.set_client_id(kJo);
    request.set_entry_id(entry_id);
    return As(who, kJo, [&](RequestScope& s) { return service_.Get(request, s); });
  }

  absl::StatusOr<v1::ListJournalEntriesResponse> List(const Principal& who, int page_size = 0,
                                                      const std::string& token = "") {
    v1::ListJournalEntriesRequest request;
    request.set_client_id(kJo);
    request.set_page_size(page_size);
    request.set_page_token(token);
    return As(who, kJo, [&](RequestScope& s) { return service_.List(request, s); });
  }

  std::vector<std::string> ListedIds(const Principal& who) {
    absl::StatusOr<v1::ListJournalEntriesResponse> listed = List(who);
    EXPECT_TRUE(listed.ok()) << listed.status();
    std::vector<std::string> ids;
    if (listed.ok()) {
      for (const v1::JournalEntry& entry : listed->entries()) {
        ids.push_back(entry.id());
      }
    }
    return ids;
  }

  absl::StatusOr<v1::JournalEntry> Update(const v1::JournalEntry& changed,
                                          const std::vector<std::string>& paths) {
    v1::UpdateJournalEntryRequest request;
    *request.mutable_entry() = changed;
    for (const std::string& path : paths) {
      request.mutable_update_mask()->add_paths(path);
    }
    return As(patient_, kJo, [&](RequestScope& s) { return service_.Update(request, s); });
  }

  absl::StatusOr<v1::JournalEntry> Share(v1::JournalEntry entry, bool care_team, bool partner) {
    entry.set_shared_with_care_team(care_team);
    entry.set_shared_with_partner(partner);
    return Update(entry, {"shared_with_care_team", "shared_with_partner"});
  }

  absl::Status Delete(const std::string& entry_id, const std::string& etag) {
    v1::DeleteJournalEntryRequest request;
    request.set_client_id("me");
    request.set_entry_id(entry_id);
    request.set_etag(etag);
    return As(patient_, kJo, [&](RequestScope& s) { return service_.Delete(request, s); }).status();
  }

  FakeIdGenerator ids_{"journal"};
  JournalService service_{cipher_, ids_};
};

TEST_F(JournalServiceTest, CreatedEntryIsSealedAndReadsBackWhole) {
  const absl::Time now = clock_.Now();
  const v1::JournalEntry created = Write("zqsecret felt calm today");

  EXPECT_FALSE(created.id().empty());
  EXPECT_EQ(created.client_id(), kJo);
  EXPECT_EQ(created.etag(), "v1");
  EXPECT_EQ(FromTimestamp(created.write_time()), now);
  EXPECT_EQ(FromTimestamp(created.create_time()), now);
  EXPECT_EQ(last_resource_, absl::StrCat("clients/", kJo, "/journalEntries/", created.id()));
  const JournalEntryRecord& row = uow_.state().journal_entries.at(created.id());
  EXPECT_THAT(row.content_sealed, Not(HasSubstr("zqsecret")));
  EXPECT_THAT(row.content_sealed, Not(HasSubstr("dilator")));
  EXPECT_FALSE(row.shared_with_care_team);

  absl::StatusOr<v1::JournalEntry> read = Get(patient_, created.id());
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->text(), "zqsecret felt calm today");
  EXPECT_EQ(read->mood(), v1::MOOD_GOOD);
  EXPECT_THAT(read->tags(), ElementsAre("dilator", "win"));
  EXPECT_EQ(read->etag(), "v1");
  EXPECT_EQ(read->write_time().seconds(), created.write_time().seconds());
}

// She chooses per entry who sees it; an entry not shared with the caller does not exist for
// them, whether asked for by id or listed.
TEST_F(JournalServiceTest, CareTeamSeesAnEntryOnlyWhileItIsSharedWithThem) {
  const v1::JournalEntry entry = Write("private thoughts");
  absl::StatusOr<v1::JournalEntry> hidden = Get(clinician_, entry.id());
  EXPECT_EQ(hidden.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(hidden.status().message(), Get(clinician_, ids_.NewId()).status().message());
  EXPECT_THAT(ListedIds(clinician_), IsEmpty());

  absl::StatusOr<v1::JournalEntry> shared = Share(entry, true, true);
  ASSERT_TRUE(shared.ok()) << shared.status();
  absl::StatusOr<v1::JournalEntry> seen = Get(clinician_, entry.id());
  ASSERT_TRUE(seen.ok()) << seen.status();
  EXPECT_EQ(seen->text(), "private thoughts");
  EXPECT_TRUE(seen->shared_with_care_team());
  // Whom else she shares it with is not the care team's business.
  EXPECT_FALSE(seen->shared_with_partner());
  EXPECT_THAT(ListedIds(clinician_), ElementsAre(entry.id()));

  ASSERT_TRUE(Share(*shared, false, true).ok());
  EXPECT_EQ(Get(clinician_, entry.id()).status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(ListedIds(clinician_), IsEmpty());
}

TEST_F(JournalServiceTest, PartnerSeesOnlyEntriesSharedWithThePartner) {
  const v1::JournalEntry for_team = Write("for my therapist", true, false);
  const v1::JournalEntry for_kim = Write("for Kim", false, true);

  EXPECT_EQ(Get(Partner(), for_team.id()).status().code(), absl::StatusCode::kNotFound);
  absl::StatusOr<v1::JournalEntry> seen = Get(Partner(), for_kim.id());
  ASSERT_TRUE(seen.ok()) << seen.status();
  EXPECT_EQ(seen->text(), "for Kim");
  EXPECT_THAT(ListedIds(Partner()), ElementsAre(for_kim.id()));
  EXPECT_THAT(ListedIds(clinician_), ElementsAre(for_team.id()));
  EXPECT_THAT(ListedIds(patient_), ElementsAre(for_kim.id(), for_team.id()));
}

// The policy lets an admin on the care team read clinical content; the journal stays out of
// an administrator's reach all the same.
TEST_F(JournalServiceTest, AdminReadsNoEntryEvenOneSharedWithTheCareTeam) {
  const v1::JournalEntry shared = Write("shared with the team", true, true);

  EXPECT_EQ(Get(admin_, shared.id()).status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(ListedIds(admin_), IsEmpty());
}

// Break-glass lets a clinician outside her care team reach her record in an emergency; it does
// not make him one of the people she chose to share her journal with.
TEST_F(JournalServiceTest, ClinicianUnderBreakGlassReadsNoEntryEvenOneSharedWithTheCareTeam) {
  const v1::JournalEntry shared = Write("shared with the team", true, true);
  Principal alex = ClinicianPrincipal(kClinic);
  alex.user_id = "alex";  // not on Jo's care team: the pipeline let him in by break-glass

  absl::StatusOr<v1::JournalEntry> hidden = Get(alex, shared.id());
  EXPECT_EQ(hidden.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(hidden.status().message(), Get(alex, ids_.NewId()).status().message());
  EXPECT_THAT(ListedIds(alex), IsEmpty());
  EXPECT_TRUE(Get(clinician_, shared.id()).ok());
}

// A reader never writes: no etag, whose revision would also count her changes of sharing.
TEST_F(JournalServiceTest, ReadersOtherThanHerGetNoEtag) {
  const v1::JournalEntry shared = Write("for both", true, true);

  for (const Principal& reader : {clinician_, Partner()}) {
    absl::StatusOr<v1::JournalEntry> seen = Get(reader, shared.id());
    ASSERT_TRUE(seen.ok()) << seen.status();
    EXPECT_EQ(seen->etag(), "");
    absl::StatusOr<v1::ListJournalEntriesResponse> listed = List(reader);
    ASSERT_TRUE(listed.ok()) << listed.status();
    ASSERT_EQ(listed->entries_size(), 1);
    EXPECT_EQ(listed->entries(0).etag(), "");
  }
  EXPECT_EQ(Get(patient_, shared.id())->etag(), "v1");
}

TEST_F(JournalServiceTest, MalformedOrMadeUpIdIsNotFound) {
  EXPECT_EQ(Get(patient_, "not-an-id").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(Get(patient_, ids_.NewId()).status().code(), absl::StatusCode::kNotFound);
  // Another client's entry, asked for on Jo's record.
  v1::JournalEntry entry;
  entry.set_text("Riley's");
  Principal riley = PatientPrincipal(kClinic, kRiley);
  absl::StatusOr<v1::JournalEntry> rileys = CreateAs(riley, kRiley, entry);
  ASSERT_TRUE(rileys.ok()) << rileys.status();
  EXPECT_EQ(Get(patient_, rileys->id()).status().code(), absl::StatusCode::kNotFound);
}

TEST_F(JournalServiceTest, RetryWithTheSameRequestIdReturnsTheFirstEntry) {
  v1::JournalEntry entry;
  entry.set_text("written offline");
  absl::StatusOr<v1::JournalEntry> first = CreateAs(patient_, kJo, entry, "phone-42");
  ASSERT_TRUE(first.ok()) << first.status();
  entry.set_text("a different retry body");
  absl::StatusOr<v1::JournalEntry> again = CreateAs(patient_, kJo, entry, "phone-42");

  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->id(), first->id());
  EXPECT_EQ(again->text(), "written offline");
  EXPECT_EQ(uow_.state().journal_entries.size(), 1u);
  // The same request id for another client names nothing of Jo's.
  Principal riley = PatientPrincipal(kClinic, kRiley);
  EXPECT_EQ(CreateAs(riley, kRiley, entry, "phone-42").status().code(),
            absl::StatusCode::kAlreadyExists);
}

TEST_F(JournalServiceTest, WriteTimeMayBeBackdatedUpToNinetyDaysButNotInTheFuture) {
  v1::JournalEntry entry;
  entry.set_text("synced later");
  *entry.mutable_write_time() = ToTimestamp(clock_.Now() - absl::Hours(24 * 89));
  absl::StatusOr<v1::JournalEntry> backdated = CreateAs(patient_, kJo, entry);
  ASSERT_TRUE(backdated.ok()) << backdated.status();
  EXPECT_EQ(FromTimestamp(backdated->write_time()), FromTimestamp(entry.write_time()));

  *entry.mutable_write_time() = ToTimestamp(clock_.Now() + absl::Minutes(5));
  EXPECT_TRUE(CreateAs(patient_, kJo, entry).ok());

  for (absl::Duration off : {absl::Hours(24 * 91), -absl::Minutes(11)}) {
    *entry.mutable_write_time() = ToTimestamp(clock_.Now() - off);
    absl::StatusOr<v1::JournalEntry> refused = CreateAs(patient_, kJo, entry);
    EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(refused.status().message(), HasSubstr("entry.write_time"));
  }
  EXPECT_EQ(uow_.state().journal_entries.size(), 2u);
}

TEST_F(JournalServiceTest, UpdateChangesOnlyMaskedFieldsAndNeedsTheCurrentEtag) {
  const v1::JournalEntry entry = Write("first words");
  v1::JournalEntry changed = entry;
  changed.set_text("second words");
  changed.set_mood(v1::MOOD_VERY_LOW);
  changed.clear_tags();

  absl::StatusOr<v1::JournalEntry> updated = Update(changed, {"text"});

  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->text(), "second words");
  EXPECT_EQ(updated->mood(), v1::MOOD_GOOD);
  EXPECT_THAT(updated->tags(), ElementsAre("dilator", "win"));
  EXPECT_EQ(updated->etag(), "v2");
  EXPECT_GT(FromTimestamp(updated->update_time()), FromTimestamp(entry.update_time()));
  EXPECT_EQ(FromTimestamp(updated->write_time()), FromTimestamp(entry.write_time()));
  absl::StatusOr<v1::JournalEntry> read = Get(patient_, entry.id());
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->text(), "second words");
  EXPECT_EQ(read->etag(), "v2");

  // The etag of the version before: someone (her other device) changed it since.
  absl::StatusOr<v1::JournalEntry> stale = Update(changed, {"mood"});
  EXPECT_EQ(stale.status().code(), absl::StatusCode::kAborted);
  EXPECT_EQ(Get(patient_, entry.id())->mood(), v1::MOOD_GOOD);
}

TEST_F(JournalServiceTest, DeleteNeedsTheCurrentEtagAndLeavesNothingBehind) {
  const v1::JournalEntry entry = Write("to be deleted");

  EXPECT_EQ(Delete(entry.id(), "v2").code(), absl::StatusCode::kAborted);
  ASSERT_TRUE(Delete(entry.id(), "v1").ok());

  EXPECT_EQ(last_resource_, absl::StrCat("clients/", kJo, "/journalEntries/", entry.id()));
  EXPECT_TRUE(uow_.state().journal_entries.empty());
  EXPECT_EQ(Get(patient_, entry.id()).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(Delete(entry.id(), "v1").code(), absl::StatusCode::kNotFound);
}

TEST_F(JournalServiceTest, ListPagesNewestWrittenFirst) {
  // Written (by her phone's clock) in the order 2, 0, 4, 1, 3 days ago.
  std::vector<std::string> by_age(5);
  for (int days_ago : {2, 0, 4, 1, 3}) {
    v1::JournalEntry entry;
    entry.set_text(absl::StrCat("day ", days_ago));
    entry.set_shared_with_care_team(days_ago != 1);
    *entry.mutable_write_time() = ToTimestamp(clock_.Now() - absl::Hours(24 * days_ago));
    absl::StatusOr<v1::JournalEntry> created = CreateAs(patient_, kJo, entry);
    ASSERT_TRUE(created.ok()) << created.status();
    by_age[days_ago] = created->id();
  }

  std::vector<std::string> paged;
  std::string token;
  int pages = 0;
  do {
    absl::StatusOr<v1::ListJournalEntriesResponse> page = List(patient_, 2, token);
    ASSERT_TRUE(page.ok()) << page.status();
    EXPECT_LE(page->entries_size(), 2);
    for (const v1::JournalEntry& entry : page->entries()) {
      paged.push_back(entry.id());
    }
    token = page->next_page_token();
    ++pages;
  } while (!token.empty() && pages < 10);

  EXPECT_EQ(paged, by_age);
  EXPECT_EQ(pages, 3);
  EXPECT_THAT(ListedIds(clinician_), ElementsAre(by_age[0], by_age[2], by_age[3], by_age[4]));
  absl::StatusOr<v1::ListJournalEntriesResponse> bad = List(patient_, 2, "bm90LWEtdG9rZW4");
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(bad.status().message(), HasSubstr("page_token"));
}

TEST_F(JournalServiceTest, ArchivedClientsJournalIsReadOnly) {
  const v1::JournalEntry entry = Write("before archiving");
  uow_.state().clients.at(kJo).client.set_status(v1::CLIENT_STATUS_ARCHIVED);

  v1::JournalEntry more;
  more.set_text("after");
  EXPECT_EQ(CreateAs(patient_, kJo, more).status().code(), absl::StatusCode::kFailedPrecondition);
  v1::JournalEntry changed = entry;
  changed.set_text("changed");
  EXPECT_EQ(Update(changed, {"text"}).status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Delete(entry.id(), "v1").code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(Get(patient_, entry.id()).ok());
}

}  // namespace
}  // namespace confide
