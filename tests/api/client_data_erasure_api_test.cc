// Crypto-erasure (RecordService.EraseClientData, POST /v1/clients/{id}:eraseData) against the
// real confide-server: an admin erases an archived client whose care team wrote an intake, a
// plan, a milestone and a session note; afterwards none of it can be read (FAILED_PRECONDITION),
// the stored key is empty, and the erasure is in the audit trail. Refusals: a client not archived,
// a wrong confirmation, a clinician.

#include <string>
#include <vector>

#include "api_test_fixture.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "notes_api_test_support.h"
#include "practice_api_test_support.h"

namespace confide::api_test {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kErasedMessage[] =
    "this client's clinical content was erased and can no longer be read or added to";

std::string ClientPath(const std::string& id) { return "/v1/clients/" + id; }

nlohmann::json EraseBody(const std::string& confirm) { return {{"confirmClientId", confirm}}; }

class ClientDataErasureApiTest : public PracticeApiTestBase {
 protected:
  // A client of Sam's with an intake, a plan, a milestone and a session note written by Sam;
  // returns its id and sets `plan_id` (and `note_id` when given).
  static std::string ClientWithClinicalContent(std::string* plan_id,
                                               std::string* note_id = nullptr) {
    const std::string sam = TokenOf(kSamEmail);
    const nlohmann::json client = CreateClient(sam);
    if (client.is_null()) {
      return "";
    }
    const std::string id = client["id"];
    HttpResponse intake =
        Rest().Patch(ClientPath(id) + "/intake?updateMask=hopes",
                     {{"etag", "v0"}, {"hopes", "erasure-hopes-" + Unique()}}, sam);
    EXPECT_EQ(intake.status, 200) << intake.body;
    HttpResponse plan = Rest().Post(ClientPath(id) + "/plans",
                                    {{"title", "erasure-plan-" + Unique()},
                                     {"goals",
                                      {{{"id", "g1"},
                                        {"clinicalWording", "Dilator size 2"},
                                        {"patientWording", "Size 2 comfortably"},
                                        {"status", "GOAL_STATUS_IN_PROGRESS"}}}}},
                                    sam);
    EXPECT_EQ(plan.status, 200) << plan.body;
    *plan_id = plan.Json().value("id", "");
    HttpResponse milestone =
        Rest().Post(ClientPath(id) + "/milestones",
                    {{"title", "erasure-milestone"}, {"achievedDate", "2026-03-01"}}, sam);
    EXPECT_EQ(milestone.status, 200) << milestone.body;
    HttpResponse note =
        Rest().Post(NotesPath(id), MinimalNoteBody("erasure-note-" + Unique()), sam);
    EXPECT_EQ(note.status, 200) << note.body;
    if (note_id != nullptr) {
      *note_id = note.Json().value("id", "");
    }
    return id;
  }

  static void Archive(const std::string& id) {
    const std::string sam = TokenOf(kSamEmail);
    HttpResponse client = Rest().Get(ClientPath(id), sam);
    ASSERT_EQ(client.status, 200) << client.body;
    HttpResponse archived =
        Rest().Post(ClientPath(id) + ":archive", {{"etag", client.Json().value("etag", "")}}, sam);
    ASSERT_EQ(archived.status, 200) << archived.body;
  }

  static HttpResponse Erase(const std::string& id, const std::string& confirm,
                            const std::string& token, const std::string& request_id = "") {
    HeaderList headers;
    if (!request_id.empty()) {
      headers.emplace_back("X-Request-Id", request_id);
    }
    return Rest().Send("POST", ClientPath(id) + ":eraseData", EraseBody(confirm).dump(), token,
                       headers);
  }

  // "wrapped_key|erase_time" of the client's key row ("" when there is none). `id` is a
  // server-made UUID, safe to splice into SQL.
  static std::string KeyRow(const std::string& id) {
    std::vector<std::string> rows = Query(
        "SELECT wrapped_key, erase_time FROM client_data_keys WHERE client_id = '" + id + "'");
    return rows.empty() ? "" : rows.front();
  }

  static void ExpectKeyIntact(const std::string& id) {
    const std::string row = KeyRow(id);
    EXPECT_EQ(row.substr(0, 3), "v1.") << row;
    EXPECT_EQ(row.substr(row.size() - 2), "|0") << row;
  }
};

TEST_F(ClientDataErasureApiTest, AdminErasesAnArchivedClientAndHerContentCanNoLongerBeRead) {
  std::string plan_id, note_id;
  const std::string id = ClientWithClinicalContent(&plan_id, &note_id);
  ASSERT_FALSE(id.empty());
  ASSERT_FALSE(plan_id.empty());
  ASSERT_FALSE(note_id.empty());
  ExpectKeyIntact(id);
  Archive(id);

  const std::string request_id = "erase-" + Unique();
  HttpResponse erased = Erase(id, id, TokenOf(kAdminEmail), request_id);
  ASSERT_EQ(erased.status, 200) << erased.body;
  EXPECT_EQ(erased.Json().value("clientId", ""), id);
  EXPECT_EQ(erased.Json().value("erasedByUserId", ""), kAdminUserId);
  const std::string erase_time = erased.Json().value("eraseTime", "");
  EXPECT_FALSE(erase_time.empty());

  // The stored key is gone; only the erase time is left.
  const std::string row = KeyRow(id);
  EXPECT_EQ(row.substr(0, 1), "|") << row;
  EXPECT_NE(row, "|0");

  // Every sealed read of her record answers FAILED_PRECONDITION, for the care team too.
  const std::string sam = TokenOf(kSamEmail);
  for (const std::string& path :
       {ClientPath(id) + "/intake", ClientPath(id) + "/plans/" + plan_id, ClientPath(id) + "/plans",
        ClientPath(id) + "/milestones", NotePath(id, note_id)}) {
    HttpResponse read = Rest().Get(path, sam);
    EXPECT_TRUE(IsErrorAnswer(read, 400, kFailedPrecondition)) << path << " " << read.body;
    EXPECT_THAT(read.body, HasSubstr(kErasedMessage)) << path;
  }
  // Her demographic record is not sealed and stays readable.
  EXPECT_EQ(Rest().Get(ClientPath(id), sam).status, 200);

  // The erasure is audited like every RPC, naming the key, not her content.
  EXPECT_THAT(
      Query("SELECT actor_user_id, action, resource, client_id, outcome FROM audit_events "
            "WHERE request_id = '" +
            request_id + "'"),
      ElementsAre(std::string(kAdminUserId) + "|confide.v1.RecordService.EraseClientData|clients/" +
                  id + "/dataKey|" + id + "|success"));

  // Erasing again changes nothing and answers the first erasure's time.
  HttpResponse again = Erase(id, id, TokenOf(kAdminEmail));
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(again.Json().value("eraseTime", ""), erase_time);
  EXPECT_EQ(again.Json().value("erasedByUserId", ""), "");
  EXPECT_EQ(KeyRow(id), row);
}

// Why she came is stored in plain columns of her client row: the erasure clears them there (and
// in what the API answers), and keeps her names.
TEST_F(ClientDataErasureApiTest, ErasureClearsThePresentingConcernAndReferralOfHerClientRow) {
  const std::string sam = TokenOf(kSamEmail);
  const std::string concern = "erasure-concern-" + Unique();
  const std::string referral = "erasure-referral-" + Unique();
  const nlohmann::json client =
      CreateClient(sam, {{"presentingConcern", "PRESENTING_CONCERN_OTHER"},
                         {"presentingConcernOther", concern},
                         {"referralSource", referral}});
  ASSERT_FALSE(client.is_null());
  const std::string id = client["id"];
  const std::string columns =
      "SELECT presenting_concern, presenting_concern_other, referral_source FROM clients WHERE "
      "id = '" +
      id + "'";
  ASSERT_THAT(Query(columns), ElementsAre("5|" + concern + "|" + referral));
  Archive(id);

  HttpResponse erased = Erase(id, id, TokenOf(kAdminEmail));
  ASSERT_EQ(erased.status, 200) << erased.body;
  EXPECT_THAT(Query(columns), ElementsAre("0||"));
  HttpResponse read = Rest().Get(ClientPath(id), sam);
  ASSERT_EQ(read.status, 200) << read.body;
  EXPECT_THAT(read.body, Not(HasSubstr(concern)));
  EXPECT_THAT(read.body, Not(HasSubstr(referral)));
  EXPECT_EQ(read.Json().value("legalGivenName", ""), client.value("legalGivenName", ""));
}

// Her practice logs hold pain, anxiety and dilator sizes as plain numbers (and the ladder's
// suggestion its pain evidence): after the erasure not one of them is left in the database, her
// programme and shared journal entry can no longer be read, and her practice log reads empty.
TEST_F(ClientDataErasureApiTest, ErasureLeavesNoPracticeScoreOfHersInTheDatabase) {
  const std::string sam = TokenOf(kSamEmail);
  const nlohmann::json client = CreateClient(sam);
  ASSERT_FALSE(client.is_null());
  const std::string id = client["id"];
  const std::string exercise = DilatorExerciseId();
  ASSERT_FALSE(exercise.empty());
  const Clock::time_point now = Clock::now();
  // Down a size after one session at pain 6 or more.
  nlohmann::json programme = CreateProgramme(
      DilatorProgramme(exercise, UtcDate(now - std::chrono::hours(72)), 2, Rule(5, 3, 2, 3, 1, 6)),
      id, kSamEmail);
  ASSERT_FALSE(programme.is_null());
  programme = ChangeStatus(programme, "activate", kSamEmail);
  ASSERT_FALSE(programme.is_null());
  const std::string email = "erasure-patient-" + Unique() + "@example.test";
  HttpResponse invited = Rest().Post(ClientPath(id) + ":inviteToPortal", {{"email", email}}, sam);
  ASSERT_EQ(invited.status, 200) << invited.body;
  const std::string password = "erasure-password-" + Unique();
  HttpResponse accepted = Rest().Post("/v1/auth/invitations:accept",
                                      {{"token", TokenSentTo(email)}, {"password", password}});
  ASSERT_EQ(accepted.status, 200) << accepted.body;
  HttpResponse login = LogIn(email, password);
  ASSERT_EQ(login.status, 200) << login.body;
  const std::string her = login.Json().value("sessionToken", "");
  nlohmann::json session =
      DilatorSession(programme.value("id", ""), now - std::chrono::hours(1), 2, 7, 6);
  session["feelings"] = "erasure-feelings-" + Unique();
  HttpResponse logged =
      Rest().Post("/v1/clients/me/practiceLogs?requestId=erasure-" + Unique(), session, her);
  ASSERT_EQ(logged.status, 200) << logged.body;
  HttpResponse entry =
      Rest().Post("/v1/clients/me/journalEntries",
                  {{"text", "erasure-journal-" + Unique()}, {"sharedWithCareTeam", true}}, her);
  ASSERT_EQ(entry.status, 200) << entry.body;
  // `id` is a server-made UUID, safe to splice into SQL.
  const std::string scores = "SELECT count(*) FROM practice_logs WHERE client_id = '" + id +
                             "' OR id = '" + logged.Json().value("id", "") + "'";
  const std::string evidence =
      "SELECT count(*) FROM progression_suggestions WHERE client_id = '" + id + "'";
  ASSERT_THAT(Query(scores), ElementsAre("1"));
  ASSERT_THAT(Query(evidence), ElementsAre("1")) << "the step down was not suggested";
  Archive(id);

  HttpResponse erased = Erase(id, id, TokenOf(kAdminEmail));
  ASSERT_EQ(erased.status, 200) << erased.body;

  EXPECT_THAT(Query(scores), ElementsAre("0"));
  EXPECT_THAT(Query(evidence), ElementsAre("0"));
  for (const std::string& path :
       {ProgrammesPath(id) + "/" + programme.value("id", ""),
        ClientPath(id) + "/journalEntries/" + entry.Json().value("id", "")}) {
    HttpResponse read = Rest().Get(path, sam);
    EXPECT_TRUE(IsErrorAnswer(read, 400, kFailedPrecondition)) << path << " " << read.body;
  }
  HttpResponse logs = Rest().Get(ClientPath(id) + "/practiceLogs", sam);
  ASSERT_EQ(logs.status, 200) << logs.body;
  EXPECT_FALSE(logs.Json().contains("logs")) << logs.body;
}

TEST_F(ClientDataErasureApiTest, AClientNotArchivedIsRefusedAndKeepsHerKey) {
  std::string plan_id;
  const std::string id = ClientWithClinicalContent(&plan_id);
  ASSERT_FALSE(id.empty());
  HttpResponse erased = Erase(id, id, TokenOf(kAdminEmail));
  EXPECT_TRUE(IsErrorAnswer(erased, 400, kFailedPrecondition)) << erased.body;
  EXPECT_THAT(erased.body, HasSubstr("archive"));
  ExpectKeyIntact(id);
  EXPECT_EQ(Rest().Get(ClientPath(id) + "/intake", TokenOf(kSamEmail)).status, 200);
}

TEST_F(ClientDataErasureApiTest, AWrongConfirmationIsInvalidArgumentNamingTheField) {
  std::string plan_id;
  const std::string id = ClientWithClinicalContent(&plan_id);
  ASSERT_FALSE(id.empty());
  Archive(id);
  for (const std::string& confirm : {std::string(kJoClientId), std::string()}) {
    HttpResponse erased = Erase(id, confirm, TokenOf(kAdminEmail));
    EXPECT_TRUE(IsErrorAnswer(erased, 400, kInvalidArgument)) << erased.body;
    EXPECT_THAT(ViolatedFields(erased.Json()), ElementsAre("confirm_client_id")) << erased.body;
  }
  ExpectKeyIntact(id);
}

TEST_F(ClientDataErasureApiTest, AClinicianOnTheCareTeamIsPermissionDenied) {
  std::string plan_id;
  const std::string id = ClientWithClinicalContent(&plan_id);
  ASSERT_FALSE(id.empty());
  Archive(id);
  HttpResponse erased = Erase(id, id, TokenOf(kSamEmail));
  EXPECT_TRUE(IsErrorAnswer(erased, 403, kPermissionDenied)) << erased.body;
  ExpectKeyIntact(id);
  EXPECT_THAT(Query("SELECT outcome FROM audit_events WHERE action = "
                    "'confide.v1.RecordService.EraseClientData' AND client_id = '" +
                    id + "'"),
              Contains("denied"));
}

}  // namespace
}  // namespace confide::api_test
