// The patient's journal over REST and gRPC against the real confide-server: only she writes;
// each entry's sharing decides who reads it (her care team, her partner while she also shares
// her journal with him or her; nobody else), an entry one may not see answers exactly as a
// made-up id does and is absent from lists; replays are idempotent; out-of-range values name
// their field; stale etags are refused; and her words appear neither in the database in clear
// nor in the server's log.

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "api_test_fixture.h"
#include "confide/v1/journal.grpc.pb.h"
#include "gmock/gmock.h"
#include "grpc_api_test_fixture.h"
#include "gtest/gtest.h"

namespace confide::api_test {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;

// google.rpc.Code ALREADY_EXISTS.
constexpr int kAlreadyExists = 6;

std::string EntriesPath(const std::string& client_id) {
  return "/v1/clients/" + client_id + "/journalEntries";
}

std::string EntryPath(const std::string& client_id, const std::string& entry_id) {
  return EntriesPath(client_id) + "/" + entry_id;
}

std::string Rfc3339(absl::Time t) {
  return absl::FormatTime(absl::RFC3339_full, t, absl::UTCTimeZone());
}

class JournalApiTest : public GrpcApiTestBase {
 protected:
  // Jo writes `body` (an entry's JSON); fails the test and returns null when refused.
  static nlohmann::json Write(const nlohmann::json& body, const std::string& request_id = "") {
    std::string path = EntriesPath("me");
    if (!request_id.empty()) {
      path += "?requestId=" + request_id;
    }
    HttpResponse created = Rest().Post(path, body, TokenOf(kJoEmail));
    EXPECT_EQ(created.status, 200) << created.body;
    return created.status == 200 ? created.Json() : nlohmann::json();
  }

  static nlohmann::json WriteText(const std::string& text, bool care_team = false,
                                  bool partner = false) {
    return Write({{"text", text},
                  {"mood", "MOOD_OKAY"},
                  {"tags", {"dilator"}},
                  {"sharedWithCareTeam", care_team},
                  {"sharedWithPartner", partner}});
  }

  // Jo changes the masked fields of `entry` (sent with its etag).
  static HttpResponse Update(const nlohmann::json& entry, const std::string& mask,
                             nlohmann::json fields) {
    fields["etag"] = entry.value("etag", "");
    return Rest().Patch(EntryPath("me", entry.value("id", "")) + "?updateMask=" + mask, fields,
                        TokenOf(kJoEmail));
  }

  // Jo shares (or stops sharing) `entry` with her care team and partner; returns the entry as
  // it now is.
  static nlohmann::json Share(const nlohmann::json& entry, bool care_team, bool partner) {
    HttpResponse shared =
        Update(entry, "sharedWithCareTeam,sharedWithPartner",
               {{"sharedWithCareTeam", care_team}, {"sharedWithPartner", partner}});
    EXPECT_EQ(shared.status, 200) << shared.body;
    return shared.status == 200 ? shared.Json() : nlohmann::json();
  }

  // Every entry id of Jo's journal that `token`'s caller is listed, page by page.
  static std::vector<std::string> ListedIds(const std::string& token, int page_size = 500) {
    std::vector<std::string> ids;
    std::string page_token;
    for (int pages = 0; pages < 100; ++pages) {
      std::string path = EntriesPath(kJoClientId) + "?pageSize=" + std::to_string(page_size);
      if (!page_token.empty()) {
        path += "&pageToken=" + page_token;
      }
      HttpResponse listed = Rest().Get(path, token);
      EXPECT_EQ(listed.status, 200) << listed.body;
      if (listed.status != 200) {
        break;
      }
      const nlohmann::json body = listed.Json();
      if (body.contains("entries")) {
        for (const nlohmann::json& entry : body["entries"]) {
          ids.push_back(entry.value("id", ""));
        }
      }
      page_token = body.value("nextPageToken", "");
      if (page_token.empty()) {
        break;
      }
    }
    return ids;
  }

  // Jo's partner link's shares; the demo's are put back by each test that changes them.
  static void SetKimShares(const std::vector<std::string>& shares) {
    HttpResponse set =
        Rest().Post(std::string("/v1/clients/me/partners/") + kKimPartnerLinkId + ":updateShares",
                    {{"shares", shares}}, TokenOf(kJoEmail));
    ASSERT_EQ(set.status, 200) << set.body;
  }
};

TEST_F(JournalApiTest, PatientWritesAndReadsHerEntry) {
  const std::string text = "zqjournal " + Unique() + "\nTried size 2 today. Breathing helped.";
  const absl::Time written = absl::Now() - absl::Hours(30);
  const nlohmann::json created = Write({{"text", text},
                                        {"mood", "MOOD_GOOD"},
                                        {"tags", {"dilator", "win"}},
                                        {"writeTime", Rfc3339(written)}});
  ASSERT_TRUE(created.is_object());
  EXPECT_EQ(created.value("clientId", ""), kJoClientId);
  EXPECT_EQ(created.value("etag", ""), "v1");
  EXPECT_FALSE(created.value("sharedWithCareTeam", false));  // private by default

  HttpResponse read = Rest().Get(EntryPath("me", created.value("id", "")), TokenOf(kJoEmail));

  ASSERT_EQ(read.status, 200) << read.body;
  const nlohmann::json entry = read.Json();
  EXPECT_EQ(entry.value("text", ""), text);
  EXPECT_EQ(entry.value("mood", ""), "MOOD_GOOD");
  EXPECT_EQ(entry["tags"], nlohmann::json({"dilator", "win"}));
  absl::Time write_time;
  std::string error;
  ASSERT_TRUE(
      absl::ParseTime(absl::RFC3339_full, entry.value("writeTime", ""), &write_time, &error))
      << error;
  EXPECT_LT(absl::AbsDuration(write_time - written), absl::Microseconds(1));
  EXPECT_THAT(ListedIds(TokenOf(kJoEmail)), Contains(created.value("id", "")));
}

// The privacy rule of the issue: a private entry does not exist for her therapist; sharing it
// shows it; unsharing hides it again.
TEST_F(JournalApiTest, SamReadsAnEntryOnlyWhileJoSharesItWithHerCareTeam) {
  const std::string sam = TokenOf(kSamEmail);
  nlohmann::json entry = WriteText("zqprivate " + Unique());
  ASSERT_TRUE(entry.is_object());
  const std::string id = entry.value("id", "");

  HttpResponse hidden = Rest().Get(EntryPath(kJoClientId, id), sam);
  // A made-up entry id of the same shape answers byte for byte the same.
  HttpResponse made_up =
      Rest().Get(EntryPath(kJoClientId, "0190d000-0000-7000-8000-0000deadbeef"), sam);
  EXPECT_TRUE(IsErrorAnswer(hidden, 404, kNotFound));
  EXPECT_EQ(hidden.body, made_up.body);
  EXPECT_THAT(ListedIds(sam), Not(Contains(id)));

  entry = Share(entry, true, false);
  HttpResponse seen = Rest().Get(EntryPath(kJoClientId, id), sam);
  ASSERT_EQ(seen.status, 200) << seen.body;
  EXPECT_EQ(seen.Json().value("text", ""), entry.value("text", ""));
  EXPECT_THAT(ListedIds(sam), Contains(id));
  // Alex is on her care team too.
  EXPECT_EQ(Rest().Get(EntryPath(kJoClientId, id), TokenOf(kAlexEmail)).status, 200);

  entry = Share(entry, false, false);
  EXPECT_TRUE(IsErrorAnswer(Rest().Get(EntryPath(kJoClientId, id), sam), 404, kNotFound));
  EXPECT_THAT(ListedIds(sam), Not(Contains(id)));
}

TEST_F(JournalApiTest, KimReadsOnlyPartnerSharedEntriesWhileJoSharesHerJournal) {
  const std::string kim = TokenOf(kKimEmail);
  const nlohmann::json for_kim = WriteText("zqforkim " + Unique(), false, true);
  const nlohmann::json for_team = WriteText("zqforteam " + Unique(), true, false);
  ASSERT_TRUE(for_kim.is_object() && for_team.is_object());
  const std::string kim_path = EntryPath(kJoClientId, for_kim.value("id", ""));

  // The demo link shares her plan summary only: no journal at all.
  EXPECT_TRUE(IsErrorAnswer(Rest().Get(kim_path, kim), 403, kPermissionDenied));
  EXPECT_TRUE(IsErrorAnswer(Rest().Get(EntriesPath(kJoClientId), kim), 403, kPermissionDenied));

  SetKimShares({"PARTNER_SHARE_PLAN_SUMMARY", "PARTNER_SHARE_JOURNAL"});
  HttpResponse seen = Rest().Get(kim_path, kim);
  HttpResponse team_only = Rest().Get(EntryPath(kJoClientId, for_team.value("id", "")), kim);
  const std::vector<std::string> listed = ListedIds(kim);
  SetKimShares({"PARTNER_SHARE_PLAN_SUMMARY"});

  ASSERT_EQ(seen.status, 200) << seen.body;
  EXPECT_EQ(seen.Json().value("text", ""), for_kim.value("text", ""));
  EXPECT_TRUE(IsErrorAnswer(team_only, 404, kNotFound));
  EXPECT_THAT(listed, Contains(for_kim.value("id", "")));
  EXPECT_THAT(listed, Not(Contains(for_team.value("id", ""))));
  // With the journal share gone, so is the entry.
  EXPECT_TRUE(IsErrorAnswer(Rest().Get(kim_path, kim), 403, kPermissionDenied));
}

TEST_F(JournalApiTest, NobodyElseReadsOrWritesHerJournal) {
  const nlohmann::json shared = WriteText("zqshared " + Unique(), true, true);
  ASSERT_TRUE(shared.is_object());
  const std::string path = EntryPath(kJoClientId, shared.value("id", ""));

  // Not on her care team: the demo admin (refused), the other clinic's therapist and another
  // patient (as if she did not exist).
  EXPECT_TRUE(IsErrorAnswer(Rest().Get(path, TokenOf(kAdminEmail)), 403, kPermissionDenied));
  EXPECT_TRUE(IsErrorAnswer(Rest().Get(path, TokenOf(kOtherTherapistEmail)), 404, kNotFound));
  EXPECT_TRUE(IsErrorAnswer(Rest().Get(path, TokenOf(kRileyEmail)), 404, kNotFound));
  EXPECT_TRUE(IsErrorAnswer(Rest().Get(path, TokenOf(kAuditorEmail)), 404, kNotFound));
  // Her care team reads what she shares but never writes in her journal.
  HttpResponse by_sam =
      Rest().Post(EntriesPath(kJoClientId), {{"text", "written for her"}}, TokenOf(kSamEmail));
  EXPECT_TRUE(IsErrorAnswer(by_sam, 403, kPermissionDenied));
  HttpResponse edit_by_sam =
      Rest().Patch(path + "?updateMask=text", {{"text", "x"}, {"etag", "v1"}}, TokenOf(kSamEmail));
  EXPECT_TRUE(IsErrorAnswer(edit_by_sam, 403, kPermissionDenied));
  HttpResponse delete_by_sam = Rest().Send("DELETE", path + "?etag=v1", "", TokenOf(kSamEmail));
  EXPECT_TRUE(IsErrorAnswer(delete_by_sam, 403, kPermissionDenied));
  EXPECT_EQ(Rest()
                .Get(EntryPath("me", shared.value("id", "")), TokenOf(kJoEmail))
                .Json()
                .value("etag", ""),
            "v1");
}

// Break-glass opens Riley's record to Alex in an emergency, and an admin may be put on her care
// team; neither is someone she shares her journal with. Each is answered as for a made-up id.
TEST_F(JournalApiTest, AdminOnTheCareTeamAndBreakGlassClinicianReadNoEntry) {
  Query(std::string("INSERT INTO care_team_members (client_id, user_id, is_primary, added_time) "
                    "VALUES ('") +
        kRileyClientId + "', '" + kAdminUserId + "', 0, 1)");
  HttpResponse glass =
      Rest().Post("/v1/clients/" + std::string(kRileyClientId) + ":breakGlass",
                  {{"reason", "Urgent: covering for Sam, client in crisis"}}, TokenOf(kAlexEmail));
  ASSERT_EQ(glass.status, 200) << glass.body;
  HttpResponse created = Rest().Post(
      EntriesPath("me"), {{"text", "zqriley " + Unique()}, {"sharedWithCareTeam", true}},
      TokenOf(kRileyEmail));
  ASSERT_EQ(created.status, 200) << created.body;
  const std::string id = created.Json().value("id", "");
  // Sam, on her care team, reads it.
  ASSERT_EQ(Rest().Get(EntryPath(kRileyClientId, id), TokenOf(kSamEmail)).status, 200);

  for (const char* email : {kAlexEmail, kAdminEmail}) {
    SCOPED_TRACE(email);
    HttpResponse hidden = Rest().Get(EntryPath(kRileyClientId, id), TokenOf(email));
    HttpResponse made_up = Rest().Get(
        EntryPath(kRileyClientId, "0190d000-0000-7000-8000-0000deadbeef"), TokenOf(email));
    EXPECT_TRUE(IsErrorAnswer(hidden, 404, kNotFound)) << hidden.body;
    EXPECT_EQ(hidden.body, made_up.body);
    HttpResponse listed = Rest().Get(EntriesPath(kRileyClientId), TokenOf(email));
    ASSERT_EQ(listed.status, 200) << listed.body;
    EXPECT_THAT(listed.body, Not(HasSubstr(id)));
  }
}

// A reader never writes, so gets no etag: its revision would count her changes of sharing.
TEST_F(JournalApiTest, ReadersOtherThanJoGetNoEtag) {
  const nlohmann::json entry = WriteText("zqetag " + Unique(), true, false);
  ASSERT_TRUE(entry.is_object());
  const nlohmann::json shared = Share(entry, true, false);
  ASSERT_EQ(shared.value("etag", ""), "v2");

  HttpResponse seen = Rest().Get(EntryPath(kJoClientId, entry.value("id", "")), TokenOf(kSamEmail));
  ASSERT_EQ(seen.status, 200) << seen.body;
  EXPECT_FALSE(seen.Json().contains("etag")) << seen.body;
}

TEST_F(JournalApiTest, RetryWithTheSameRequestIdMakesOneEntry) {
  const std::string request_id = "journal-" + Unique();
  const nlohmann::json first = Write({{"text", "offline entry"}}, request_id);
  const nlohmann::json again = Write({{"text", "offline entry"}}, request_id);
  ASSERT_TRUE(first.is_object() && again.is_object());

  EXPECT_EQ(again.value("id", ""), first.value("id", ""));
  EXPECT_EQ(Query("SELECT id FROM journal_entries WHERE request_id = '" + request_id + "'"),
            std::vector<std::string>{first.value("id", "")});
  // Another patient guessing her request id learns nothing of her entry.
  HttpResponse guessed = Rest().Post(EntriesPath("me") + "?requestId=" + request_id,
                                     {{"text", "not hers"}}, TokenOf(kRileyEmail));
  EXPECT_TRUE(IsErrorAnswer(guessed, 409, kAlreadyExists)) << guessed.body;
  EXPECT_THAT(guessed.body, Not(HasSubstr(first.value("id", ""))));
  EXPECT_THAT(guessed.body, Not(HasSubstr("offline entry")));
}

TEST_F(JournalApiTest, OutOfRangeValuesNameTheirField) {
  const std::string jo = TokenOf(kJoEmail);
  struct Case {
    nlohmann::json body;
    std::string field;
  };
  const std::vector<Case> cases = {
      {{{"text", ""}}, "entry.text"},
      {{{"text", std::string(20001, 'a')}}, "entry.text"},
      {{{"text", "ok"}, {"tags", {"a", "a"}}}, "entry.tags[1]"},
      {{{"text", "ok"}, {"tags", {std::string(41, 't')}}}, "entry.tags[0]"},
      {{{"text", "ok"}, {"writeTime", Rfc3339(absl::Now() + absl::Hours(1))}}, "entry.write_time"},
      {{{"text", "ok"}, {"writeTime", Rfc3339(absl::Now() - absl::Hours(24 * 91))}},
       "entry.write_time"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.field);
    HttpResponse refused = Rest().Post(EntriesPath("me"), c.body, jo);
    ASSERT_TRUE(IsErrorAnswer(refused, 400, kInvalidArgument)) << refused.body;
    EXPECT_THAT(ViolatedFields(refused.Json()), Contains(c.field));
  }
  const nlohmann::json entry = WriteText("ok " + Unique());
  HttpResponse bad_mask = Update(entry, "writeTime", {{"writeTime", Rfc3339(absl::Now())}});
  ASSERT_TRUE(IsErrorAnswer(bad_mask, 400, kInvalidArgument));
  EXPECT_THAT(ViolatedFields(bad_mask.Json()), Contains("update_mask"));
}

TEST_F(JournalApiTest, StaleEtagIsRefusedAndDeleteRemovesTheEntry) {
  const nlohmann::json entry = WriteText("zqdelete " + Unique());
  ASSERT_TRUE(entry.is_object());
  HttpResponse changed = Update(entry, "text,mood", {{"text", "changed"}, {"mood", "MOOD_LOW"}});
  ASSERT_EQ(changed.status, 200) << changed.body;
  EXPECT_EQ(changed.Json().value("etag", ""), "v2");
  EXPECT_EQ(changed.Json()["tags"], nlohmann::json({"dilator"}));

  EXPECT_TRUE(
      IsErrorAnswer(Update(entry, "text", {{"text", "from a stale device"}}), 409, kAborted));
  const std::string path = EntryPath("me", entry.value("id", ""));
  EXPECT_TRUE(IsErrorAnswer(Rest().Send("DELETE", path + "?etag=v1", "", TokenOf(kJoEmail)), 409,
                            kAborted));

  HttpResponse deleted = Rest().Send("DELETE", path + "?etag=v2", "", TokenOf(kJoEmail));
  ASSERT_EQ(deleted.status, 200) << deleted.body;
  EXPECT_TRUE(IsErrorAnswer(Rest().Get(path, TokenOf(kJoEmail)), 404, kNotFound));
  EXPECT_TRUE(
      Query("SELECT id FROM journal_entries WHERE id = '" + entry.value("id", "") + "'").empty());
  // The audit trail keeps that it existed.
  EXPECT_FALSE(Query("SELECT id FROM audit_events WHERE resource = 'clients/" +
                     std::string(kJoClientId) + "/journalEntries/" + entry.value("id", "") + "'")
                   .empty());
}

TEST_F(JournalApiTest, ListPagesNewestWrittenFirst) {
  // Written (by her phone's clock) three, one and two days ago.
  const absl::Time now = absl::Now();
  std::vector<std::string> ids;
  for (int days : {3, 1, 2}) {
    const nlohmann::json entry =
        Write({{"text", "paged"}, {"writeTime", Rfc3339(now - absl::Hours(24 * days))}});
    ASSERT_TRUE(entry.is_object());
    ids.push_back(entry.value("id", ""));
  }

  const std::vector<std::string> listed = ListedIds(TokenOf(kJoEmail), 1);

  const std::set<std::string> distinct(listed.begin(), listed.end());
  EXPECT_EQ(distinct.size(), listed.size());
  std::vector<std::string> ours;
  for (const std::string& id : listed) {
    if (id == ids[0] || id == ids[1] || id == ids[2]) {
      ours.push_back(id);
    }
  }
  EXPECT_EQ(ours, (std::vector<std::string>{ids[1], ids[2], ids[0]}));
  EXPECT_TRUE(
      IsErrorAnswer(Rest().Get(EntriesPath("me") + "?pageToken=bm90LWEtdG9rZW4", TokenOf(kJoEmail)),
                    400, kInvalidArgument));
}

TEST_F(JournalApiTest, HerWordsAreNeitherInTheDatabaseInClearNorInTheLog) {
  const std::string marker = "zqsecretword" + Unique();
  const std::string tag = "zqtag" + Unique();
  const std::string request_id = "journal-audit-" + Unique();
  HttpResponse created =
      Rest().Send("POST", EntriesPath("me"),
                  nlohmann::json{{"text", "I felt " + marker}, {"tags", {tag}}}.dump(),
                  TokenOf(kJoEmail), {{"x-request-id", request_id}});
  ASSERT_EQ(created.status, 200) << created.body;
  const std::string id = created.Json().value("id", "");
  // Refused, too: an error must not echo the text either.
  HttpResponse refused =
      Rest().Post(EntriesPath("me"), {{"text", marker}, {"tags", {tag, tag}}}, TokenOf(kJoEmail));
  ASSERT_EQ(refused.status, 400);
  EXPECT_THAT(refused.body, Not(HasSubstr(marker)));
  EXPECT_THAT(refused.body, Not(HasSubstr(tag)));

  const std::vector<std::string> rows =
      Query("SELECT * FROM journal_entries WHERE id = '" + id + "'");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_THAT(rows[0], Not(HasSubstr(marker)));
  EXPECT_THAT(rows[0], Not(HasSubstr(tag)));
  const std::vector<std::string> sealed =
      Query("SELECT content_sealed FROM journal_entries WHERE id = '" + id + "'");
  ASSERT_EQ(sealed.size(), 1u);
  std::string payload;
  ASSERT_TRUE(absl::WebSafeBase64Unescape(sealed[0].substr(sealed[0].rfind('.') + 1), &payload));
  EXPECT_THAT(payload, Not(HasSubstr(marker)));
  EXPECT_EQ(
      Query("SELECT resource FROM audit_events WHERE request_id = '" + request_id + "'"),
      std::vector<std::string>{"clients/" + std::string(kJoClientId) + "/journalEntries/" + id});
  for (const std::string& audit : Query("SELECT * FROM audit_events")) {
    EXPECT_THAT(audit, Not(HasSubstr(marker)));
  }
  const std::string log = server().Log();
  EXPECT_THAT(log, Not(HasSubstr(marker)));
  EXPECT_THAT(log, Not(HasSubstr(tag)));
}

TEST_F(JournalApiTest, GrpcCallsSeeTheSameJournal) {
  std::unique_ptr<v1::JournalService::Stub> stub = v1::JournalService::NewStub(channel());
  v1::CreateJournalEntryRequest create;
  create.set_client_id("me");
  create.mutable_entry()->set_text("over gRPC " + Unique());
  create.mutable_entry()->set_mood(v1::MOOD_VERY_GOOD);
  v1::JournalEntry created;
  grpc::Status status =
      stub->CreateJournalEntry(Context(TokenOf(kJoEmail)).get(), create, &created);
  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_EQ(created.etag(), "v1");

  HttpResponse read = Rest().Get(EntryPath("me", created.id()), TokenOf(kJoEmail));
  ASSERT_EQ(read.status, 200) << read.body;
  EXPECT_EQ(read.Json().value("text", ""), create.entry().text());

  v1::GetJournalEntryRequest get;
  get.set_client_id(kJoClientId);
  get.set_entry_id(created.id());
  v1::JournalEntry hidden;
  status = stub->GetJournalEntry(Context(TokenOf(kSamEmail)).get(), get, &hidden);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND) << Describe(status);

  v1::UpdateJournalEntryRequest share;
  *share.mutable_entry() = created;
  share.mutable_entry()->set_shared_with_care_team(true);
  share.mutable_update_mask()->add_paths("shared_with_care_team");
  v1::JournalEntry shared;
  status = stub->UpdateJournalEntry(Context(TokenOf(kJoEmail)).get(), share, &shared);
  ASSERT_TRUE(status.ok()) << Describe(status);
  v1::JournalEntry seen;
  status = stub->GetJournalEntry(Context(TokenOf(kSamEmail)).get(), get, &seen);
  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_EQ(seen.text(), create.entry().text());
  EXPECT_EQ(seen.mood(), v1::MOOD_VERY_GOOD);

  v1::ListJournalEntriesRequest list;
  list.set_client_id(kJoClientId);
  v1::ListJournalEntriesResponse listed;
  status = stub->ListJournalEntries(Context(TokenOf(kSamEmail)).get(), list, &listed);
  ASSERT_TRUE(status.ok()) << Describe(status);
  bool found = false;
  for (const v1::JournalEntry& entry : listed.entries()) {
    found = found || entry.id() == created.id();
    EXPECT_TRUE(entry.shared_with_care_team());
  }
  EXPECT_TRUE(found);

  v1::DeleteJournalEntryRequest remove;
  remove.set_client_id("me");
  remove.set_entry_id(created.id());
  remove.set_etag("v1");
  v1::DeleteJournalEntryResponse removed;
  status = stub->DeleteJournalEntry(Context(TokenOf(kJoEmail)).get(), remove, &removed);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::ABORTED) << Describe(status);
  remove.set_etag(shared.etag());
  status = stub->DeleteJournalEntry(Context(TokenOf(kJoEmail)).get(), remove, &removed);
  EXPECT_TRUE(status.ok()) << Describe(status);

  // A request id already used for another of her entries never makes a second one.
  create.set_request_id("grpc-" + Unique());
  v1::JournalEntry once, twice;
  ASSERT_TRUE(stub->CreateJournalEntry(Context(TokenOf(kJoEmail)).get(), create, &once).ok());
  ASSERT_TRUE(stub->CreateJournalEntry(Context(TokenOf(kJoEmail)).get(), create, &twice).ok());
  EXPECT_EQ(once.id(), twice.id());
}

}  // namespace
}  // namespace confide::api_test
