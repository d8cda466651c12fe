// Record export (RecordService.ExportClientRecord) through the real confide-server on SQLite and
// PostgreSQL: a care-team clinician's export holds the client, her consents, intake, plans and
// signed notes with their addenda, never a draft; its HTML has a heading per section and shows
// hostile text only escaped; psychotherapy notes are left out unless asked for, and then only
// those the exporting clinician may read; her home programmes and practice logs are in it, and
// of her journal only the entries she shares with her care team; every other role is refused as
// the policy says; the purpose is required; and the export is audited by ids only.

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

constexpr char kExportAction[] = "confide.v1.RecordService.ExportClientRecord";
constexpr char kHostile[] = "<script>alert(1)</script>\"'";
constexpr char kHostileEscaped[] = "&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;";

std::string ExportPath(const std::string& client_id) {
  return "/v1/clients/" + client_id + ":exportRecord";
}

// The ids of the notes of an export's record.
std::vector<std::string> ExportedNoteIds(const nlohmann::json& record_export) {
  std::vector<std::string> ids;
  for (const nlohmann::json& note :
       record_export["record"].value("notes", nlohmann::json::array())) {
    ids.push_back(note.value("id", ""));
  }
  return ids;
}

class RecordExportApiTest : public NotesApiTestBase {
 protected:
  // POST :exportRecord with `body`, tagged with `request_id` when given.
  static HttpResponse Export(const std::string& client_id, const nlohmann::json& body,
                             const std::string& token, const std::string& request_id = "") {
    HeaderList headers;
    if (!request_id.empty()) {
      headers.push_back({"X-Request-Id", request_id});
    }
    return Rest().Send("POST", ExportPath(client_id), body.dump(), token, headers);
  }

  static nlohmann::json ExportAs(const std::string& email, bool psychotherapy = false) {
    HttpResponse exported = Export(kJoClientId,
                                   {{"purpose", "EXPORT_PURPOSE_TRANSFER_OF_CARE"},
                                    {"includePsychotherapyNotes", psychotherapy}},
                                   TokenOf(email));
    EXPECT_EQ(exported.status, 200) << exported.body;
    return exported.status == 200 ? exported.Json() : nlohmann::json::object();
  }

  // A signed psychotherapy note on Jo by `email`, holding `text`.
  static std::string SignedPsychotherapyNote(const std::string& email, const std::string& text) {
    nlohmann::json body = MinimalNoteBody(text);
    body["kind"] = "NOTE_KIND_PSYCHOTHERAPY";
    return CreateSigned(kJoClientId, body, TokenOf(email)).value("id", "");
  }
};

// Sam exports Jo's record for a transfer of care: every part recorded through the API is in it
// (the demo consents, the intake, the plan, the signed note with its addendum), the draft is
// not, and the HTML copy shows the same with every hostile text escaped.
TEST_F(RecordExportApiTest, CareTeamClinicianExportsTheWholeRecordAsJsonAndHtml) {
  const std::string marker = "zqexport" + Unique();
  const std::string sam = TokenOf(kSamEmail);
  HttpResponse intake =
      Rest().Patch("/v1/clients/" + std::string(kJoClientId) + "/intake?updateMask=hopes",
                   {{"etag", "v0"}, {"hopes", kHostile + marker}}, sam);
  ASSERT_EQ(intake.status, 200) << intake.body;
  HttpResponse plan =
      Rest().Post("/v1/clients/" + std::string(kJoClientId) + "/plans",
                  {{"title", "Plan " + marker}, {"status", "PLAN_STATUS_ACTIVE"}}, sam);
  ASSERT_EQ(plan.status, 200) << plan.body;
  const nlohmann::json note = CreateSigned(kJoClientId, MinimalNoteBody(kHostile + marker), sam);
  ASSERT_TRUE(note.contains("id"));
  ASSERT_EQ(AddAddendum(note, "Addendum " + marker, sam).status, 200);
  const nlohmann::json draft =
      CreateNote(kJoClientId, MinimalNoteBody("zqdraft" + marker), TokenOf(kAlexEmail));
  ASSERT_TRUE(draft.contains("id"));

  const nlohmann::json exported = ExportAs(kSamEmail);

  const nlohmann::json& record = exported["record"];
  EXPECT_EQ(record["client"].value("id", ""), kJoClientId);
  EXPECT_FALSE(record.value("consents", nlohmann::json::array()).empty())
      << "Jo's demo consents are missing";
  EXPECT_EQ(record["intake"].value("hopes", ""), kHostile + marker);
  bool plan_found = false;
  for (const nlohmann::json& version : record.value("planVersions", nlohmann::json::array())) {
    plan_found = plan_found || version.value("id", "") == plan.Json().value("id", "");
  }
  EXPECT_TRUE(plan_found);
  EXPECT_THAT(ExportedNoteIds(exported), Contains(note.value("id", "")));
  EXPECT_THAT(ExportedNoteIds(exported), Not(Contains(draft.value("id", ""))));
  EXPECT_THAT(exported.dump(), Not(HasSubstr("zqdraft" + marker)));
  for (const nlohmann::json& exported_note : record.value("notes", nlohmann::json::array())) {
    if (exported_note.value("id", "") == note.value("id", "")) {
      EXPECT_EQ(exported_note["addenda"][0].value("text", ""), "Addendum " + marker);
      EXPECT_EQ(exported_note["signature"].value("contentHash", ""),
                note["signature"].value("contentHash", ""));
    }
  }
  EXPECT_EQ(exported.value("exportedByUserId", ""), kSamUserId);
  EXPECT_EQ(exported.value("purpose", ""), "EXPORT_PURPOSE_TRANSFER_OF_CARE");
  EXPECT_FALSE(exported.value("includesPsychotherapyNotes", false));
  EXPECT_FALSE(exported.value("exportTime", "").empty());

  const std::string html = exported.value("html", "");
  for (const char* heading :
       {"<h2>Client</h2>", "<h2>Intake</h2>", "<h2>Consents</h2>", "<h2>Measures</h2>",
        "<h2>Plans</h2>", "<h2>Milestones</h2>", "<h2>Session notes</h2>"}) {
    EXPECT_THAT(html, HasSubstr(heading));
  }
  EXPECT_THAT(html, Not(HasSubstr("<script")));
  EXPECT_THAT(html, HasSubstr(kHostileEscaped + marker));
  EXPECT_THAT(html, HasSubstr("Plan " + marker));
  EXPECT_THAT(html, HasSubstr("Addendum " + marker));
  EXPECT_THAT(html, HasSubstr("Content-Security-Policy"));
  EXPECT_THAT(html, HasSubstr("<dt>Purpose</dt><dd>Transfer of care</dd>"));
  EXPECT_THAT(html, Not(HasSubstr("zqdraft" + marker)));
}

// Psychotherapy notes are left out by default; with the flag, each clinician's export holds
// only those she may read: Alex's never holds Sam's unshared process notes, nor Sam's Alex's.
TEST_F(RecordExportApiTest, PsychotherapyNotesOnlyOnRequestAndOnlyForThoseWhoMayReadThem) {
  const std::string u = Unique();
  const std::string sams = SignedPsychotherapyNote(kSamEmail, "zqsamprivate" + u);
  const std::string alexs = SignedPsychotherapyNote(kAlexEmail, "zqalexprivate" + u);
  ASSERT_FALSE(sams.empty());
  ASSERT_FALSE(alexs.empty());

  const nlohmann::json sam_default = ExportAs(kSamEmail);
  const nlohmann::json sam_with = ExportAs(kSamEmail, true);
  const nlohmann::json alex_with = ExportAs(kAlexEmail, true);

  EXPECT_THAT(ExportedNoteIds(sam_default), Not(Contains(sams)));
  EXPECT_THAT(sam_default.dump(), Not(HasSubstr("zqsamprivate" + u)));
  EXPECT_THAT(ExportedNoteIds(sam_with), Contains(sams));
  EXPECT_THAT(ExportedNoteIds(sam_with), Not(Contains(alexs)));
  EXPECT_TRUE(sam_with.value("includesPsychotherapyNotes", false));
  EXPECT_THAT(sam_with.value("html", ""), HasSubstr("zqsamprivate" + u));
  EXPECT_THAT(sam_with.value("html", ""), HasSubstr("class=\"note psychotherapy\""));
  EXPECT_THAT(ExportedNoteIds(alex_with), Contains(alexs));
  EXPECT_THAT(ExportedNoteIds(alex_with), Not(Contains(sams)));
  EXPECT_THAT(alex_with.dump(), Not(HasSubstr("zqsamprivate" + u)));
}

// Alex's programme for Jo and the session she logs against it are in the export, her feelings
// escaped in the HTML; of two journal entries she writes, the one she shares with her care team
// is in it and the private one is nowhere in the answer.
TEST_F(RecordExportApiTest, HoldsHerProgrammesAndPracticeButOnlyTheJournalSheShares) {
  const std::string u = Unique();
  const std::string alex = TokenOf(kAlexEmail);
  const std::string jo = TokenOf(kJoEmail);
  HttpResponse library =
      Rest().Get("/v1/exercises?pageSize=500&category=EXERCISE_CATEGORY_DILATOR", alex);
  ASSERT_EQ(library.status, 200) << library.body;
  ASSERT_FALSE(library.Json().value("exercises", nlohmann::json::array()).empty());
  const std::string exercise = library.Json()["exercises"][0].value("id", "");
  const Clock::time_point now = Clock::now();
  nlohmann::json body =
      DilatorProgramme(exercise, UtcDate(now - std::chrono::hours(72)), 2, Rule(8, 3, 3, 3, 2, 7));
  body["title"] = "zqladder" + u;
  HttpResponse created = Rest().Post(ProgrammesPath(kJoClientId), body, alex);
  ASSERT_EQ(created.status, 200) << created.body;
  const nlohmann::json programme = created.Json();
  HttpResponse activated =
      Rest().Post(ProgrammesPath(kJoClientId) + "/" + programme.value("id", "") + ":activate",
                  {{"etag", programme.value("etag", "")}}, alex);
  ASSERT_EQ(activated.status, 200) << activated.body;
  nlohmann::json session = {{"programmeId", programme.value("id", "")},
                            {"itemId", "dilator"},
                            {"practicedAt", Rfc3339(now - std::chrono::hours(2))},
                            {"durationMinutes", 10},
                            {"completion", "PRACTICE_COMPLETION_FULLY"},
                            {"dilatorSize", 2},
                            {"pain", 3},
                            {"anxiety", 2},
                            {"feelings", kHostile + ("zqfeelings" + u)}};
  HttpResponse logged =
      Rest().Post("/v1/clients/me/practiceLogs?requestId=export-" + u, session, jo);
  ASSERT_EQ(logged.status, 200) << logged.body;
  HttpResponse shared =
      Rest().Post("/v1/clients/me/journalEntries",
                  {{"text", kHostile + ("zqshared" + u)}, {"sharedWithCareTeam", true}}, jo);
  ASSERT_EQ(shared.status, 200) << shared.body;
  HttpResponse private_entry =
      Rest().Post("/v1/clients/me/journalEntries",
                  {{"text", "zqprivate" + u}, {"sharedWithPartner", true}}, jo);
  ASSERT_EQ(private_entry.status, 200) << private_entry.body;

  const nlohmann::json exported = ExportAs(kSamEmail);

  const nlohmann::json& record = exported["record"];
  bool programme_found = false;
  for (const nlohmann::json& version : record.value("programmeVersions", nlohmann::json::array())) {
    programme_found = programme_found || (version.value("id", "") == programme.value("id", "") &&
                                          version.value("title", "") == "zqladder" + u);
  }
  EXPECT_TRUE(programme_found);
  bool log_found = false;
  for (const nlohmann::json& log : record.value("practiceLogs", nlohmann::json::array())) {
    if (log.value("id", "") == logged.Json().value("id", "")) {
      log_found = true;
      EXPECT_EQ(log.value("pain", -1), 3);
      EXPECT_EQ(log.value("feelings", ""), kHostile + ("zqfeelings" + u));
    }
  }
  EXPECT_TRUE(log_found);
  std::vector<std::string> entry_ids;
  for (const nlohmann::json& entry : record.value("journalEntries", nlohmann::json::array())) {
    entry_ids.push_back(entry.value("id", ""));
  }
  EXPECT_THAT(entry_ids, Contains(shared.Json().value("id", "")));
  EXPECT_THAT(entry_ids, Not(Contains(private_entry.Json().value("id", ""))));
  EXPECT_THAT(exported.dump(), Not(HasSubstr("zqprivate" + u)));

  const std::string html = exported.value("html", "");
  for (const char* heading : {"<h2>Home programmes</h2>", "<h2>Practice log</h2>",
                              "<h2>Dilator progression suggestions</h2>",
                              "<h2>Journal entries shared with the care team</h2>"}) {
    EXPECT_THAT(html, HasSubstr(heading));
  }
  EXPECT_THAT(html, HasSubstr("zqladder" + u));
  EXPECT_THAT(html, HasSubstr(kHostileEscaped + ("zqfeelings" + u)));
  EXPECT_THAT(html, HasSubstr(kHostileEscaped + ("zqshared" + u)));
  EXPECT_THAT(html, Not(HasSubstr("<script")));
  EXPECT_THAT(html, Not(HasSubstr("zqprivate" + u)));
}

// Only the treating clinicians export: the admin, the auditor, the patient herself, her
// partner, a clinician off her care team and one of another clinic are refused as the policy
// says (403 where the caller may know the record exists, else 404).
TEST_F(RecordExportApiTest, EveryoneButTheCareTeamsCliniciansIsRefused) {
  const nlohmann::json body = {{"purpose", "EXPORT_PURPOSE_PATIENT_ACCESS_REQUEST"}};
  struct Refusal {
    const char* email;
    std::string client_id;
    int http_status;
    int code;
  };
  for (const Refusal& refusal : std::vector<Refusal>{
           {kAdminEmail, kJoClientId, 403, kPermissionDenied},
           {kAuditorEmail, kJoClientId, 404, kNotFound},
           {kJoEmail, kJoClientId, 403, kPermissionDenied},
           {kJoEmail, "me", 403, kPermissionDenied},
           {kKimEmail, kJoClientId, 403, kPermissionDenied},
           {kAlexEmail, kRileyClientId, 404, kNotFound},
           {kOtherTherapistEmail, kJoClientId, 404, kNotFound},
       }) {
    HttpResponse refused = Export(refusal.client_id, body, TokenOf(refusal.email));
    EXPECT_TRUE(IsErrorAnswer(refused, refusal.http_status, refusal.code))
        << refusal.email << " on " << refusal.client_id << ": " << refused.status << " "
        << refused.body;
    EXPECT_THAT(refused.body, Not(HasSubstr("html")));
  }
}

TEST_F(RecordExportApiTest, MissingPurposeIsRefusedNamingIt) {
  HttpResponse refused = Export(kJoClientId, nlohmann::json::object(), TokenOf(kSamEmail));

  ASSERT_TRUE(IsErrorAnswer(refused, 400, kInvalidArgument)) << refused.body;
  EXPECT_THAT(ViolatedFields(refused.Json()), ElementsAre("purpose"));
}

// The export is on the audit trail: who, which client, the record's resource (ids only), why
// (purpose) and whether psychotherapy notes were asked for, and no record text.
TEST_F(RecordExportApiTest, ExportIsAuditedByIdsOnly) {
  const std::string marker = "zqaudited" + Unique();
  ASSERT_TRUE(
      CreateSigned(kJoClientId, MinimalNoteBody(marker), TokenOf(kSamEmail)).contains("id"));
  const std::string request_id = "export-" + Unique();

  HttpResponse exported = Export(kJoClientId, {{"purpose", "EXPORT_PURPOSE_LEGAL_REQUEST"}},
                                 TokenOf(kSamEmail), request_id);

  ASSERT_EQ(exported.status, 200) << exported.body;
  ASSERT_THAT(exported.body, HasSubstr(marker));
  // `request_id` is the test's own [a-z0-9-] text, safe to splice into SQL.
  EXPECT_THAT(Query("SELECT actor_user_id, action, resource, client_id, outcome, detail FROM "
                    "audit_events WHERE request_id = '" +
                    request_id + "'"),
              ElementsAre(std::string(kSamUserId) + "|" + kExportAction + "|clients/" +
                          kJoClientId + "/record|" + kJoClientId +
                          "|success|purpose=LEGAL_REQUEST psychotherapy_notes=excluded"));
  EXPECT_THAT(Query("SELECT count(*) FROM audit_events WHERE resource LIKE '%" + marker +
                    "%' OR action LIKE '%" + marker + "%' OR detail LIKE '%" + marker + "%'"),
              ElementsAre("0"));
}

}  // namespace
}  // namespace confide::api_test
