// Session notes over REST, against the real confide-server: a draft is its author's alone and
// saved with an etag, discarded with who and when kept; only care-team clinicians write, an
// admin on the care team reads signed notes; the patient reads session summaries, never notes;
// internal-examination findings need the consent in force; bad input names the field and
// stores nothing. Signing, addenda and co-signature are in signed_notes_api_test.cc; the
// psychotherapy-note rules and what is stored, logged and audited in
// psychotherapy_notes_api_test.cc.

#include <string>
#include <vector>

#include "api_test_fixture.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "notes_api_test_support.h"

namespace confide::api_test {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

class NotesApiTest : public NotesApiTestBase {};

// The google.rpc.ErrorInfo detail of an error answer, or null.
nlohmann::json ErrorInfoOf(const HttpResponse& response) {
  const nlohmann::json status = response.Json();
  if (status.is_object() && status.contains("details")) {
    for (const nlohmann::json& detail : status["details"]) {
      if (detail.value("@type", "") == "type.googleapis.com/google.rpc.ErrorInfo") {
        return detail;
      }
    }
  }
  return nullptr;
}

// --- Drafts ---

TEST_F(NotesApiTest, DraftRoundTripsEveryFieldForItsAuthor) {
  const NoteMarkers m = NewNoteMarkers("rt");
  const nlohmann::json body = FullNoteBody(m);

  HttpResponse created = PostNote(kJoClientId, body, TokenOf(kSamEmail));

  ASSERT_EQ(created.status, 200) << created.body;
  const nlohmann::json note = created.Json();
  for (const auto& [key, value] : body.items()) {
    EXPECT_EQ(note[key], value) << key;
  }
  EXPECT_FALSE(note.value("id", "").empty());
  EXPECT_EQ(note.value("clientId", ""), kJoClientId);
  EXPECT_EQ(note.value("state", ""), "NOTE_STATE_DRAFT");
  EXPECT_EQ(note.value("authorUserId", ""), kSamUserId);
  EXPECT_FALSE(note.value("createTime", "").empty());
  EXPECT_FALSE(note.value("etag", "").empty());
  EXPECT_FALSE(note.contains("signature"));
  EXPECT_FALSE(note.contains("cosignature"));
  EXPECT_FALSE(note.contains("addenda"));

  HttpResponse got = GetNote(kJoClientId, note.value("id", ""), TokenOf(kSamEmail));
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(got.Json(), note);
  HttpResponse listed = ListNotes(kJoClientId, TokenOf(kSamEmail), "?pageSize=500");
  ASSERT_EQ(listed.status, 200) << listed.body;
  EXPECT_TRUE(HasId(NoteIdsIn(listed.Json()), note.value("id", "")));
}

TEST_F(NotesApiTest, OtherBodyFormatsRoundTrip) {
  const std::string u = Unique();
  std::vector<nlohmann::json> bodies;
  for (const nlohmann::json& format :
       {nlohmann::json{{"dap", {{"data", "d" + u}, {"assessment", "a" + u}, {"plan", "p" + u}}}},
        nlohmann::json{{"birp",
                        {{"behavior", "b" + u},
                         {"intervention", "i" + u},
                         {"response", "r" + u},
                         {"plan", "p" + u}}}},
        nlohmann::json{{"freeText", {{"text", "line one\nline two\ttabbed " + u}}}}}) {
    nlohmann::json body = MinimalNoteBody("");
    body.erase("freeText");
    body.update(format);
    const nlohmann::json note = CreateNote(kJoClientId, body, TokenOf(kSamEmail));
    ASSERT_TRUE(note.is_object());
    HttpResponse got = GetNote(kJoClientId, note.value("id", ""), TokenOf(kSamEmail));
    ASSERT_EQ(got.status, 200) << got.body;
    for (const auto& [key, value] : body.items()) {
      EXPECT_EQ(got.Json()[key], value) << key;
    }
  }
}

TEST_F(NotesApiTest, DraftIsHiddenFromTheRestOfTheCareTeam) {
  const nlohmann::json draft =
      CreateNote(kJoClientId, FullNoteBody(NewNoteMarkers("hid")), TokenOf(kSamEmail));
  ASSERT_TRUE(draft.is_object());
  const std::string alex = TokenOf(kAlexEmail);
  const std::string id = draft.value("id", "");

  HttpResponse hidden = GetNote(kJoClientId, id, alex);
  HttpResponse nonexistent = GetNote(kJoClientId, kNonexistentNoteId, alex);

  EXPECT_TRUE(IsErrorAnswer(hidden, 404, kNotFound));
  EXPECT_EQ(hidden.body, nonexistent.body);
  HttpResponse listed = ListNotes(kJoClientId, alex, "?pageSize=500&includeDiscarded=true");
  ASSERT_EQ(listed.status, 200) << listed.body;
  EXPECT_FALSE(HasId(NoteIdsIn(listed.Json()), id));
  // Alex cannot change, sign or discard what he cannot see.
  EXPECT_TRUE(IsErrorAnswer(
      Update(draft, "soap.plan", {{"soap", {{"plan", "Alex's"}}}}, alex, draft.value("etag", "")),
      404, kNotFound));
  EXPECT_TRUE(IsErrorAnswer(Sign(draft, alex), 404, kNotFound));
  EXPECT_TRUE(IsErrorAnswer(Discard(draft, alex), 404, kNotFound));
  HttpResponse after = GetNote(kJoClientId, id, TokenOf(kSamEmail));
  ASSERT_EQ(after.status, 200) << after.body;
  EXPECT_EQ(after.Json(), draft);
}

TEST_F(NotesApiTest, UpdateChangesOnlyTheMaskedFields) {
  const NoteMarkers m = NewNoteMarkers("up");
  const nlohmann::json draft = CreateNote(kJoClientId, FullNoteBody(m), TokenOf(kSamEmail));
  ASSERT_TRUE(draft.is_object());

  HttpResponse updated =
      Update(draft, "soap.plan,patientSummary.nextSteps,session.durationMinutes",
             {{"soap", {{"plan", "Revised plan"}, {"subjective", "ignored: not in the mask"}}},
              {"patientSummary", {{"nextSteps", "Book a review"}}},
              {"session", {{"durationMinutes", 60}}}},
             TokenOf(kSamEmail), draft.value("etag", ""));

  ASSERT_EQ(updated.status, 200) << updated.body;
  const nlohmann::json note = updated.Json();
  EXPECT_EQ(note["soap"]["plan"], "Revised plan");
  EXPECT_EQ(note["soap"]["subjective"], m.subjective);
  EXPECT_EQ(note["soap"]["objective"], m.objective);
  EXPECT_EQ(note["patientSummary"]["nextSteps"], "Book a review");
  EXPECT_EQ(note["patientSummary"]["summary"], m.summary);
  EXPECT_EQ(note["session"]["durationMinutes"], 60);
  EXPECT_EQ(note["session"]["startTime"], draft["session"]["startTime"]);
  EXPECT_EQ(note["pelvicFloorFindings"], draft["pelvicFloorFindings"]);
  EXPECT_EQ(note["therapyDetails"], draft["therapyDetails"]);
  EXPECT_EQ(note["createTime"], draft["createTime"]);
  EXPECT_NE(note.value("etag", ""), draft.value("etag", ""));
  EXPECT_EQ(note.value("state", ""), "NOTE_STATE_DRAFT");
  EXPECT_EQ(GetNote(kJoClientId, draft.value("id", ""), TokenOf(kSamEmail)).Json(), note);
}

TEST_F(NotesApiTest, UpdateOfAnotherBodyFormatReplacesTheBody) {
  const nlohmann::json draft =
      CreateNote(kJoClientId, FullNoteBody(NewNoteMarkers("fmt")), TokenOf(kSamEmail));
  ASSERT_TRUE(draft.is_object());
  const nlohmann::json dap = {{"data", "d"}, {"assessment", "a"}, {"plan", "p"}};

  HttpResponse updated =
      Update(draft, "dap", {{"dap", dap}}, TokenOf(kSamEmail), draft.value("etag", ""));

  ASSERT_EQ(updated.status, 200) << updated.body;
  EXPECT_EQ(updated.Json()["dap"], dap);
  EXPECT_FALSE(updated.Json().contains("soap")) << updated.body;
  EXPECT_EQ(updated.Json()["patientSummary"], draft["patientSummary"]);
  EXPECT_EQ(GetNote(kJoClientId, draft.value("id", ""), TokenOf(kSamEmail)).Json(), updated.Json());
}

TEST_F(NotesApiTest, StaleEtagIsAbortedAndChangesNothing) {
  const nlohmann::json draft =
      CreateNote(kJoClientId, FullNoteBody(NewNoteMarkers("et")), TokenOf(kSamEmail));
  ASSERT_TRUE(draft.is_object());
  const std::string sam = TokenOf(kSamEmail);
  HttpResponse first =
      Update(draft, "soap.plan", {{"soap", {{"plan", "First tab"}}}}, sam, draft.value("etag", ""));
  ASSERT_EQ(first.status, 200) << first.body;

  // The second tab still holds the first etag.
  HttpResponse stale = Update(draft, "soap.plan", {{"soap", {{"plan", "Second tab"}}}}, sam,
                              draft.value("etag", ""));
  HttpResponse stale_sign = Sign(draft, sam);
  HttpResponse stale_discard = Discard(draft, sam);

  EXPECT_TRUE(IsErrorAnswer(stale, 409, kAborted));
  EXPECT_TRUE(IsErrorAnswer(stale_sign, 409, kAborted));
  EXPECT_TRUE(IsErrorAnswer(stale_discard, 409, kAborted));
  HttpResponse now = GetNote(kJoClientId, draft.value("id", ""), sam);
  ASSERT_EQ(now.status, 200) << now.body;
  EXPECT_EQ(now.Json(), first.Json());
}

TEST_F(NotesApiTest, RetriedCreateWithTheSameRequestIdReturnsTheFirstNote) {
  const std::string client = NewClientOfSam();
  ASSERT_FALSE(client.empty());
  const std::string request_id = "note-" + Unique();
  HttpResponse first =
      PostNote(client, MinimalNoteBody("first " + Unique()), TokenOf(kSamEmail), request_id);
  HttpResponse again =
      PostNote(client, MinimalNoteBody("retry " + Unique()), TokenOf(kSamEmail), request_id);

  ASSERT_EQ(first.status, 200) << first.body;
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(again.Json(), first.Json());
  EXPECT_EQ(NoteCount(client), 1);
}

TEST_F(NotesApiTest, RequestIdOfAnotherClinicianGetsNeitherHerNoteNorANewOne) {
  const std::string request_id = "note-" + Unique();
  const std::string text = "zqreq" + Unique();
  HttpResponse first = PostNote(kJoClientId, MinimalNoteBody(text), TokenOf(kSamEmail), request_id);
  ASSERT_EQ(first.status, 200) << first.body;
  const int before = NoteCount(kJoClientId);

  HttpResponse by_alex =
      PostNote(kJoClientId, MinimalNoteBody("alex " + Unique()), TokenOf(kAlexEmail), request_id);

  EXPECT_TRUE(IsErrorAnswer(by_alex, 409, kAlreadyExistsCode));
  EXPECT_THAT(by_alex.body, Not(HasSubstr(text)));
  EXPECT_THAT(by_alex.body, Not(HasSubstr(first.Json().value("id", "?"))));
  EXPECT_EQ(NoteCount(kJoClientId), before);
}

TEST_F(NotesApiTest, DiscardedDraftKeepsWhoAndWhenLosesItsContentAndIsListedOnlyWhenAsked) {
  const NoteMarkers m = NewNoteMarkers("dis");
  const nlohmann::json draft = CreateNote(kJoClientId, FullNoteBody(m), TokenOf(kSamEmail));
  ASSERT_TRUE(draft.is_object());
  const std::string sam = TokenOf(kSamEmail);
  const std::string id = draft.value("id", "");

  HttpResponse discarded = Discard(draft, sam);

  ASSERT_EQ(discarded.status, 200) << discarded.body;
  const nlohmann::json note = discarded.Json();
  EXPECT_EQ(note.value("state", ""), "NOTE_STATE_DISCARDED");
  EXPECT_EQ(note.value("discardedByUserId", ""), kSamUserId);
  EXPECT_FALSE(note.value("discardTime", "").empty());
  EXPECT_FALSE(note.contains("soap")) << discarded.body;
  EXPECT_FALSE(note.contains("patientSummary")) << discarded.body;
  EXPECT_EQ(One("SELECT content_sealed || '|' || patient_summary_sealed FROM notes WHERE id = '" +
                id + "'"),
            "|");
  HttpResponse plain = ListNotes(kJoClientId, sam, "?pageSize=500");
  HttpResponse with_discarded = ListNotes(kJoClientId, sam, "?pageSize=500&includeDiscarded=true");
  ASSERT_EQ(plain.status, 200) << plain.body;
  ASSERT_EQ(with_discarded.status, 200) << with_discarded.body;
  EXPECT_FALSE(HasId(NoteIdsIn(plain.Json()), id));
  EXPECT_TRUE(HasId(NoteIdsIn(with_discarded.Json()), id));
  // Like the draft it was, it is its author's alone.
  HttpResponse by_alex = GetNote(kJoClientId, id, TokenOf(kAlexEmail));
  EXPECT_TRUE(IsErrorAnswer(by_alex, 404, kNotFound));
  EXPECT_EQ(by_alex.body, GetNote(kJoClientId, kNonexistentNoteId, TokenOf(kAlexEmail)).body);
  EXPECT_FALSE(HasId(
      NoteIdsIn(ListNotes(kJoClientId, TokenOf(kAlexEmail), "?pageSize=500&includeDiscarded=true")
                    .Json()),
      id));
  // A discarded note is over: nothing more happens to it.
  EXPECT_TRUE(IsErrorAnswer(Discard(note, sam), 400, kFailedPrecondition));
  EXPECT_TRUE(IsErrorAnswer(Sign(note, sam), 400, kFailedPrecondition));
  EXPECT_TRUE(IsErrorAnswer(
      Update(note, "soap.plan", {{"soap", {{"plan", "back"}}}}, sam, note.value("etag", "")), 400,
      kFailedPrecondition));
  EXPECT_EQ(GetNote(kJoClientId, id, sam).Json(), note);
}

// --- Who may write ---

TEST_F(NotesApiTest, AdminOnTheCareTeamReadsSignedSessionNotesButNeverWrites) {
  const std::string client = NewClientOfSam();
  ASSERT_FALSE(client.empty());
  PutAdminOnCareTeam(client);
  const std::string sam = TokenOf(kSamEmail);
  const std::string admin = TokenOf(kAdminEmail);
  const nlohmann::json signed_note = CreateSigned(client, MinimalNoteBody("s " + Unique()), sam);
  const nlohmann::json draft = CreateNote(client, MinimalNoteBody("d " + Unique()), sam);
  ASSERT_TRUE(signed_note.is_object() && draft.is_object());

  HttpResponse read = GetNote(client, signed_note.value("id", ""), admin);
  ASSERT_EQ(read.status, 200) << read.body;
  EXPECT_EQ(read.Json(), signed_note);
  EXPECT_TRUE(IsErrorAnswer(GetNote(client, draft.value("id", ""), admin), 404, kNotFound));
  HttpResponse listed = ListNotes(client, admin, "?pageSize=500");
  ASSERT_EQ(listed.status, 200) << listed.body;
  EXPECT_THAT(NoteIdsIn(listed.Json()), ElementsAre(signed_note.value("id", "")));

  EXPECT_TRUE(
      IsErrorAnswer(PostNote(client, MinimalNoteBody("admin"), admin), 403, kPermissionDenied));
  EXPECT_TRUE(
      IsErrorAnswer(AddAddendum(signed_note, "admin addendum", admin), 403, kPermissionDenied));
  EXPECT_EQ(NoteCount(client), 2);
  EXPECT_EQ(GetNote(client, signed_note.value("id", ""), sam).Json(), signed_note);
  // Naming the admin as co-signer is refused: a co-signer is a clinician.
  HttpResponse named = Sign(draft, sam, kAdminUserId);
  EXPECT_TRUE(IsErrorAnswer(named, 400)) << named.body;

  // Off the care team (Jo's), the policy already refuses.
  EXPECT_TRUE(IsErrorAnswer(ListNotes(kJoClientId, admin), 403, kPermissionDenied));
}

TEST_F(NotesApiTest, NotesOfAnArchivedClientAreReadOnly) {
  const std::string client = NewClientOfSam();
  ASSERT_FALSE(client.empty());
  const std::string sam = TokenOf(kSamEmail);
  const nlohmann::json signed_note = CreateSigned(client, MinimalNoteBody("s " + Unique()), sam);
  const nlohmann::json draft = CreateNote(client, MinimalNoteBody("d " + Unique()), sam);
  ASSERT_TRUE(signed_note.is_object() && draft.is_object());
  HttpResponse current = Rest().Get("/v1/clients/" + client, sam);
  ASSERT_EQ(current.status, 200) << current.body;
  HttpResponse archived = Rest().Post("/v1/clients/" + client + ":archive",
                                      {{"etag", current.Json().value("etag", "")}}, sam);
  ASSERT_EQ(archived.status, 200) << archived.body;

  EXPECT_TRUE(
      IsErrorAnswer(PostNote(client, MinimalNoteBody("late"), sam), 400, kFailedPrecondition));
  EXPECT_TRUE(IsErrorAnswer(
      Update(draft, "freeText", {{"freeText", {{"text", "late"}}}}, sam, draft.value("etag", "")),
      400, kFailedPrecondition));
  EXPECT_TRUE(IsErrorAnswer(Sign(draft, sam), 400, kFailedPrecondition));
  EXPECT_TRUE(IsErrorAnswer(AddAddendum(signed_note, "late", sam), 400, kFailedPrecondition));
  EXPECT_EQ(NoteCount(client), 2);
  // Still readable.
  EXPECT_EQ(GetNote(client, signed_note.value("id", ""), sam).Json(), signed_note);
  EXPECT_EQ(GetNote(client, draft.value("id", ""), sam).Json(), draft);
}

TEST_F(NotesApiTest, ClinicianOfAnotherClinicFindsNothing) {
  const nlohmann::json note =
      CreateSigned(kJoClientId, MinimalNoteBody("x " + Unique()), TokenOf(kSamEmail));
  ASSERT_TRUE(note.is_object());
  const std::string other = TokenOf(kOtherTherapistEmail);

  EXPECT_TRUE(IsErrorAnswer(GetNote(kJoClientId, note.value("id", ""), other), 404, kNotFound));
  EXPECT_TRUE(IsErrorAnswer(ListNotes(kJoClientId, other), 404, kNotFound));
  EXPECT_TRUE(IsErrorAnswer(ListSummaries(kJoClientId, other), 404, kNotFound));
  EXPECT_TRUE(IsErrorAnswer(PostNote(kJoClientId, MinimalNoteBody("x"), other), 404, kNotFound));
  EXPECT_TRUE(IsErrorAnswer(AddAddendum(note, "x", other), 404, kNotFound));
  // Sam's note under Riley's path (Sam is on Riley's team too): not found.
  EXPECT_TRUE(IsErrorAnswer(GetNote(kRileyClientId, note.value("id", ""), TokenOf(kSamEmail)), 404,
                            kNotFound));
}

// --- What the patient sees ---

TEST_F(NotesApiTest, PatientReadsTheSummariesOfSignedSessionNotesOnly) {
  const std::string sam = TokenOf(kSamEmail);
  const NoteMarkers m = NewNoteMarkers("pat");
  nlohmann::json body = FullNoteBody(m);
  body["session"]["startTime"] = "2026-11-10T08:00:00Z";
  const nlohmann::json signed_note = CreateSigned(kJoClientId, body, sam);
  const NoteMarkers d = NewNoteMarkers("patdraft");
  const nlohmann::json draft = CreateNote(kJoClientId, FullNoteBody(d), sam);
  nlohmann::json psychotherapy_body =
      FullNoteBody(NewNoteMarkers("patpsy"), "NOTE_KIND_PSYCHOTHERAPY");
  const nlohmann::json psychotherapy = CreateSigned(kJoClientId, psychotherapy_body, sam);
  // Signed, but with nothing written for her.
  const nlohmann::json without_summary =
      CreateSigned(kJoClientId, MinimalNoteBody("no summary " + Unique()), sam);
  ASSERT_TRUE(signed_note.is_object() && draft.is_object() && psychotherapy.is_object() &&
              without_summary.is_object());
  const std::string jo = TokenOf(kJoEmail);

  HttpResponse summaries = ListSummaries("me", jo, "?pageSize=500");

  ASSERT_EQ(summaries.status, 200) << summaries.body;
  const std::vector<std::string> ids = SummaryNoteIdsIn(summaries.Json());
  EXPECT_TRUE(HasId(ids, signed_note.value("id", "")));
  EXPECT_FALSE(HasId(ids, draft.value("id", "")));
  EXPECT_FALSE(HasId(ids, psychotherapy.value("id", "")));
  EXPECT_FALSE(HasId(ids, without_summary.value("id", "")));
  nlohmann::json mine;
  // Kept in a variable: a range-for over a member of a temporary would dangle.
  const nlohmann::json list = summaries.Json();
  for (const nlohmann::json& summary : list["summaries"]) {
    if (summary.value("noteId", "") == signed_note.value("id", "")) {
      mine = summary;
    }
  }
  ASSERT_TRUE(mine.is_object());
  EXPECT_EQ(mine["summary"], signed_note["patientSummary"]);
  EXPECT_EQ(mine.value("sessionStartTime", ""), "2026-11-10T08:00:00Z");
  EXPECT_EQ(mine.value("sessionType", ""), "SESSION_TYPE_PELVIC_FLOOR_PHYSIOTHERAPY");
  EXPECT_EQ(mine.value("modality", ""), "SESSION_MODALITY_IN_PERSON");
  EXPECT_EQ(mine.value("clinicianUserId", ""), kSamUserId);
  // Nothing of the clinical note reaches her, nor of the draft.
  for (const std::string& clinical : {m.subjective, m.objective, m.assessment, m.plan,
                                      m.pelvic_comments, m.homework_set, m.risk_comments}) {
    EXPECT_THAT(summaries.body, Not(HasSubstr(clinical)));
  }
  for (const std::string& draft_text : d.All()) {
    EXPECT_THAT(summaries.body, Not(HasSubstr(draft_text)));
  }
  // The same list by her id, and for her care team.
  HttpResponse by_id = ListSummaries(kJoClientId, jo, "?pageSize=500");
  ASSERT_EQ(by_id.status, 200) << by_id.body;
  EXPECT_EQ(by_id.Json(), summaries.Json());
  HttpResponse by_alex = ListSummaries(kJoClientId, TokenOf(kAlexEmail), "?pageSize=500");
  ASSERT_EQ(by_alex.status, 200) << by_alex.body;
  EXPECT_EQ(by_alex.Json(), summaries.Json());

  // The notes themselves: never.
  for (const std::string& client : {std::string("me"), std::string(kJoClientId)}) {
    EXPECT_TRUE(
        IsErrorAnswer(GetNote(client, signed_note.value("id", ""), jo), 403, kPermissionDenied));
    EXPECT_TRUE(IsErrorAnswer(ListNotes(client, jo), 403, kPermissionDenied));
    EXPECT_TRUE(
        IsErrorAnswer(PostNote(client, MinimalNoteBody("mine"), jo), 403, kPermissionDenied));
  }
  // Her partner: neither notes nor summaries.
  const std::string kim = TokenOf(kKimEmail);
  EXPECT_TRUE(IsErrorAnswer(GetNote(kJoClientId, signed_note.value("id", ""), kim), 403,
                            kPermissionDenied));
  EXPECT_TRUE(IsErrorAnswer(ListSummaries(kJoClientId, kim), 403, kPermissionDenied));
  // Another patient does not reach Jo's record.
  EXPECT_TRUE(IsErrorAnswer(ListSummaries(kJoClientId, TokenOf(kRileyEmail)), 404, kNotFound));
}

TEST_F(NotesApiTest, SummariesAndNotesListNewestSessionFirstAndPage) {
  const std::string client = NewClientOfSam();
  ASSERT_FALSE(client.empty());
  const std::string sam = TokenOf(kSamEmail);
  std::vector<std::string> newest_first;
  for (const char* start :
       {"2026-09-01T10:00:00Z", "2026-11-01T10:00:00Z", "2026-10-01T10:00:00Z"}) {
    nlohmann::json body = FullNoteBody(NewNoteMarkers("pg"));
    body["session"]["startTime"] = start;
    const nlohmann::json note = CreateSigned(client, body, sam);
    ASSERT_TRUE(note.is_object());
    newest_first.push_back(note.value("id", ""));
  }
  // By start time: November, October, September.
  newest_first = {newest_first[1], newest_first[2], newest_first[0]};

  for (const bool summaries : {false, true}) {
    std::vector<std::string> seen;
    std::string token;
    for (int page = 0; page < 5; ++page) {
      const std::string query = "?pageSize=2&pageToken=" + token;
      HttpResponse listed =
          summaries ? ListSummaries(client, sam, query) : ListNotes(client, sam, query);
      ASSERT_EQ(listed.status, 200) << listed.body;
      const std::vector<std::string> ids =
          summaries ? SummaryNoteIdsIn(listed.Json()) : NoteIdsIn(listed.Json());
      EXPECT_LE(ids.size(), 2u);
      seen.insert(seen.end(), ids.begin(), ids.end());
      token = listed.Json().value("nextPageToken", "");
      if (token.empty()) {
        break;
      }
    }
    EXPECT_EQ(seen, newest_first) << (summaries ? "summaries" : "notes");
  }
}

// --- Internal examination and its consent ---

TEST_F(NotesApiTest, InternalExaminationFindingsNeedTheConsentInForce) {
  const std::string client = NewClientOfSam();  // no consent on record
  ASSERT_FALSE(client.empty());
  const std::string sam = TokenOf(kSamEmail);
  nlohmann::json internal = FullNoteBody(NewNoteMarkers("int"));
  internal["pelvicFloorFindings"]["examination"] = "PELVIC_EXAMINATION_INTERNAL";

  HttpResponse refused = PostNote(client, internal, sam);

  ASSERT_TRUE(IsErrorAnswer(refused, 400, kFailedPrecondition));
  const nlohmann::json info = ErrorInfoOf(refused);
  ASSERT_TRUE(info.is_object()) << refused.body;
  EXPECT_EQ(info.value("reason", ""), "CONSENT_REQUIRED");
  EXPECT_EQ(info.value("metadata", nlohmann::json::object()).value("consent", ""),
            "CONSENT_KIND_INTERNAL_EXAMINATION");
  EXPECT_EQ(NoteCount(client), 0);

  // External findings need no such consent; turning them into internal ones does.
  const nlohmann::json external = CreateNote(client, FullNoteBody(NewNoteMarkers("ext")), sam);
  ASSERT_TRUE(external.is_object());
  HttpResponse to_internal =
      Update(external, "pelvicFloorFindings.examination",
             {{"pelvicFloorFindings", {{"examination", "PELVIC_EXAMINATION_INTERNAL"}}}}, sam,
             external.value("etag", ""));
  EXPECT_TRUE(IsErrorAnswer(to_internal, 400, kFailedPrecondition));
  EXPECT_EQ(ErrorInfoOf(to_internal).value("reason", ""), "CONSENT_REQUIRED");
  EXPECT_EQ(GetNote(client, external.value("id", ""), sam).Json(), external);

  // Jo has the consent on record: accepted, and signed.
  const nlohmann::json jo_note = CreateSigned(kJoClientId, internal, sam);
  ASSERT_TRUE(jo_note.is_object());
  EXPECT_EQ(jo_note["pelvicFloorFindings"]["examination"], "PELVIC_EXAMINATION_INTERNAL");
}

TEST_F(NotesApiTest, SigningInternalFindingsAfterTheConsentWasWithdrawnIsRefused) {
  const std::string client = NewClientOfSam();
  ASSERT_FALSE(client.empty());
  const std::string sam = TokenOf(kSamEmail);
  HttpResponse consent =
      Rest().Post("/v1/clients/" + client + "/consents",
                  {{"kind", "CONSENT_KIND_INTERNAL_EXAMINATION"}, {"textVersion", "2026-01"}}, sam);
  ASSERT_EQ(consent.status, 200) << consent.body;
  nlohmann::json internal = FullNoteBody(NewNoteMarkers("wd"));
  internal["pelvicFloorFindings"]["examination"] = "PELVIC_EXAMINATION_INTERNAL";
  const nlohmann::json draft = CreateNote(client, internal, sam);
  ASSERT_TRUE(draft.is_object());
  HttpResponse withdrawn = Rest().Post(
      "/v1/clients/" + client + "/consents/" + consent.Json().value("id", "") + ":withdraw",
      nlohmann::json::object(), sam);
  ASSERT_EQ(withdrawn.status, 200) << withdrawn.body;

  HttpResponse refused = Sign(draft, sam);

  EXPECT_TRUE(IsErrorAnswer(refused, 400, kFailedPrecondition));
  EXPECT_EQ(ErrorInfoOf(refused).value("reason", ""), "CONSENT_REQUIRED");
  EXPECT_EQ(GetNote(client, draft.value("id", ""), sam).Json().value("state", ""),
            "NOTE_STATE_DRAFT");
}

// --- Bad input ---

struct BadNote {
  std::string what;
  // Applied to a valid full body.
  nlohmann::json patch;
  std::string field;
};

TEST_F(NotesApiTest, BadNoteContentIsRefusedNamingTheFieldAndStoresNothing) {
  const std::string client = NewClientOfSam();
  ASSERT_FALSE(client.empty());
  const std::string sam = TokenOf(kSamEmail);
  const std::string long_section(20001, 's');
  const std::vector<BadNote> cases = {
      {"no duration", {{"session", {{"durationMinutes", 0}}}}, "note.session.duration_minutes"},
      {"too long", {{"session", {{"durationMinutes", 601}}}}, "note.session.duration_minutes"},
      {"far future",
       {{"session", {{"startTime", "2099-01-01T00:00:00Z"}}}},
       "note.session.start_time"},
      {"no modality",
       {{"session", {{"modality", "SESSION_MODALITY_UNSPECIFIED"}}}},
       "note.session.modality"},
      {"no type", {{"session", {{"type", "SESSION_TYPE_UNSPECIFIED"}}}}, "note.session.type"},
      {"no kind", {{"kind", "NOTE_KIND_UNSPECIFIED"}}, "note.kind"},
      {"subjective too long", {{"soap", {{"subjective", long_section}}}}, "note.soap.subjective"},
      {"control character", {{"soap", {{"plan", std::string("a\x01") + "b"}}}}, "note.soap.plan"},
      {"pelvic comments too long",
       {{"pelvicFloorFindings", {{"comments", std::string(5001, 'c')}}}},
       "note.pelvic_floor_findings.comments"},
      {"clock 13",
       {{"pelvicFloorFindings", {{"tenderPoints", {{{"clockPosition", 13}, {"painScore", 1}}}}}}},
       "note.pelvic_floor_findings.tender_points[0].clock_position"},
      {"pain 11",
       {{"pelvicFloorFindings", {{"tenderPoints", {{{"clockPosition", 3}, {"painScore", 11}}}}}}},
       "note.pelvic_floor_findings.tender_points[0].pain_score"},
      {"dilator 11",
       {{"pelvicFloorFindings", {{"dilatorSizeTolerated", 11}}}},
       "note.pelvic_floor_findings.dilator_size_tolerated"},
      {"intervention twice",
       {{"therapyDetails",
         {{"interventionsUsed", {"INTERVENTION_KIND_KEGELS", "INTERVENTION_KIND_KEGELS"}}}}},
       "note.therapy_details.interventions_used[1]"},
      {"homework too long",
       {{"therapyDetails", {{"homeworkSet", std::string(5001, 'h')}}}},
       "note.therapy_details.homework_set"},
      {"summary too long",
       {{"patientSummary", {{"summary", std::string(5001, 'p')}}}},
       "note.patient_summary.summary"},
  };
  for (const BadNote& bad : cases) {
    nlohmann::json body = FullNoteBody(NewNoteMarkers("bad"));
    body.merge_patch(bad.patch);
    HttpResponse refused = PostNote(client, body, sam);
    EXPECT_TRUE(IsErrorAnswer(refused, 400, kInvalidArgument)) << bad.what;
    EXPECT_THAT(ViolatedFields(refused.Json()), Contains(bad.field)) << bad.what << refused.body;
  }
  // Free text has its own, larger limit.
  nlohmann::json free_text = MinimalNoteBody(std::string(50001, 'f'));
  HttpResponse too_long = PostNote(client, free_text, sam);
  EXPECT_TRUE(IsErrorAnswer(too_long, 400, kInvalidArgument));
  EXPECT_THAT(ViolatedFields(too_long.Json()), Contains("note.free_text.text"));
  // Twenty-five tender points.
  nlohmann::json many_points = FullNoteBody(NewNoteMarkers("tp"));
  many_points["pelvicFloorFindings"]["tenderPoints"] = nlohmann::json::array();
  for (int i = 0; i < 25; ++i) {
    many_points["pelvicFloorFindings"]["tenderPoints"].push_back(
        {{"clockPosition", 1 + i % 12}, {"painScore", 1}});
  }
  HttpResponse too_many = PostNote(client, many_points, sam);
  EXPECT_TRUE(IsErrorAnswer(too_many, 400, kInvalidArgument));
  EXPECT_THAT(ViolatedFields(too_many.Json()),
              Contains("note.pelvic_floor_findings.tender_points"));
  // Notes are written for a named client, never `me`.
  HttpResponse me = PostNote("me", MinimalNoteBody("me"), sam);
  EXPECT_TRUE(IsErrorAnswer(me, 400, kInvalidArgument)) << me.body;
  // A psychotherapy note has no patient summary.
  nlohmann::json with_summary = FullNoteBody(NewNoteMarkers("ps"));
  with_summary["kind"] = "NOTE_KIND_PSYCHOTHERAPY";
  HttpResponse psychotherapy_summary = PostNote(client, with_summary, sam);
  EXPECT_TRUE(IsErrorAnswer(psychotherapy_summary, 400, kInvalidArgument));
  EXPECT_THAT(ViolatedFields(psychotherapy_summary.Json()), Contains("note.patient_summary"));

  EXPECT_EQ(NoteCount(client), 0);
}

TEST_F(NotesApiTest, BadRequestsAroundTheNoteAreRefusedNamingTheFieldAndChangeNothing) {
  const std::string sam = TokenOf(kSamEmail);
  const nlohmann::json draft = CreateNote(kJoClientId, FullNoteBody(NewNoteMarkers("br")), sam);
  const nlohmann::json signed_note =
      CreateSigned(kJoClientId, MinimalNoteBody("signed " + Unique()), sam);
  const nlohmann::json psychotherapy = CreateSigned(
      kJoClientId, FullNoteBody(NewNoteMarkers("brp"), "NOTE_KIND_PSYCHOTHERAPY"), sam);
  ASSERT_TRUE(draft.is_object() && signed_note.is_object() && psychotherapy.is_object());

  struct Case {
    std::string what;
    HttpResponse answer;
    std::string field;
  };
  const std::vector<Case> cases = {
      {"update too long",
       Update(draft, "soap.subjective", {{"soap", {{"subjective", std::string(20001, 'x')}}}}, sam,
              draft.value("etag", "")),
       "note.soap.subjective"},
      {"update duration",
       Update(draft, "session.durationMinutes", {{"session", {{"durationMinutes", 0}}}}, sam,
              draft.value("etag", "")),
       "note.session.duration_minutes"},
      {"update output-only path",
       Update(draft, "state", {{"state", "NOTE_STATE_SIGNED"}}, sam, draft.value("etag", "")),
       "update_mask"},
      {"update kind",
       Update(draft, "kind", {{"kind", "NOTE_KIND_PSYCHOTHERAPY"}}, sam, draft.value("etag", "")),
       "update_mask"},
      {"update unknown path",
       Update(draft, "soap.nothing", {{"soap", {{"plan", "x"}}}}, sam, draft.value("etag", "")),
       "update_mask"},
      {"update without etag", Update(draft, "soap.plan", {{"soap", {{"plan", "x"}}}}, sam, ""),
       "note.etag"},
      {"sign without etag",
       Rest().Post(NotePath(kJoClientId, draft.value("id", "")) + ":sign", nlohmann::json::object(),
                   sam),
       "etag"},
      {"empty addendum", AddAddendum(signed_note, "", sam), "addendum.text"},
      {"blank addendum", AddAddendum(signed_note, "  \n ", sam), "addendum.text"},
      {"addendum too long", AddAddendum(signed_note, std::string(20001, 'a'), sam),
       "addendum.text"},
      {"addendum request id", AddAddendum(signed_note, "x", sam, std::string(101, 'r')),
       "request_id"},
      {"cosign with no hash",
       Rest().Post(NotePath(kJoClientId, signed_note.value("id", "")) + ":cosign",
                   nlohmann::json::object(), TokenOf(kAlexEmail)),
       "content_hash"},
      {"reader not an id", Share(psychotherapy, {"not an id"}, sam), "reader_user_ids[0]"},
      {"reader twice", Share(psychotherapy, {kAlexUserId, kAlexUserId}, sam), "reader_user_ids[1]"},
      {"reader not on the care team", Share(psychotherapy, {kOtherTherapistUserId}, sam),
       "reader_user_ids[0]"},
      {"reader is the author", Share(psychotherapy, {kSamUserId}, sam), "reader_user_ids[0]"},
      {"reader is an admin", Share(psychotherapy, {kAlexUserId, kAdminUserId}, sam),
       "reader_user_ids[1]"},
      {"page size", ListNotes(kJoClientId, sam, "?pageSize=501"), "page_size"},
      {"summaries page size", ListSummaries(kJoClientId, sam, "?pageSize=501"), "page_size"},
  };
  for (const Case& c : cases) {
    EXPECT_TRUE(IsErrorAnswer(c.answer, 400, kInvalidArgument)) << c.what;
    EXPECT_THAT(ViolatedFields(c.answer.Json()), Contains(c.field)) << c.what << c.answer.body;
  }
  EXPECT_TRUE(
      IsErrorAnswer(ListNotes(kJoClientId, sam, "?pageToken=bogus"), 400, kInvalidArgument));
  EXPECT_TRUE(
      IsErrorAnswer(ListSummaries(kJoClientId, sam, "?pageToken=bogus"), 400, kInvalidArgument));

  EXPECT_EQ(GetNote(kJoClientId, draft.value("id", ""), sam).Json(), draft);
  EXPECT_EQ(GetNote(kJoClientId, signed_note.value("id", ""), sam).Json(), signed_note);
  EXPECT_EQ(GetNote(kJoClientId, psychotherapy.value("id", ""), sam).Json(), psychotherapy);
  EXPECT_EQ(One("SELECT COUNT(*) FROM note_addenda WHERE note_id = '" +
                signed_note.value("id", "") + "'"),
            "0");
}

// --- Audit ---

TEST_F(NotesApiTest, NoteCallsAreAuditedWithTheNoteAsResource) {
  const nlohmann::json note =
      CreateSigned(kJoClientId, MinimalNoteBody("audited " + Unique()), TokenOf(kSamEmail));
  ASSERT_TRUE(note.is_object());
  const std::string request_id = "note-audit-" + Unique();

  HttpResponse got = Rest().Send("GET", NotePath(kJoClientId, note.value("id", "")), "",
                                 TokenOf(kAlexEmail), {{"x-request-id", request_id}});

  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(Query("SELECT resource || '|' || client_id || '|' || actor_user_id FROM audit_events "
                  "WHERE request_id = '" +
                  request_id + "'"),
            std::vector<std::string>{"clients/" + std::string(kJoClientId) + "/notes/" +
                                     note.value("id", "") + "|" + kJoClientId + "|" + kAlexUserId});
}

}  // namespace
}  // namespace confide::api_test