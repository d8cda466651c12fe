// Signed session notes over REST (and gRPC), against the real confide-server: signing locks
// the content and records its hash, which this test recomputes independently; nothing changes a
// signed note's content afterwards, whatever the sequence of calls; corrections are signed
// addenda linked to the note, oldest first; co-signature by the supervisor named at signing
// only, once, for the content hash she read.

#include <string>
#include <utility>
#include <vector>

#include "api_test_fixture.h"
#include "confide/v1/notes.grpc.pb.h"
#include "gmock/gmock.h"
#include "grpc_api_test_fixture.h"
#include "gtest/gtest.h"
#include "notes_api_test_support.h"

namespace confide::api_test {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;

class SignedNotesApiTest : public NotesApiTestBase {};

// --- Signing, and what a signed note allows ---

TEST_F(SignedNotesApiTest, SigningLocksTheNoteWithSignerTimeAndContentHash) {
  const nlohmann::json draft =
      CreateNote(kJoClientId, FullNoteBody(NewNoteMarkers("sg")), TokenOf(kSamEmail));
  ASSERT_TRUE(draft.is_object());

  HttpResponse signed_answer = Sign(draft, TokenOf(kSamEmail));

  ASSERT_EQ(signed_answer.status, 200) << signed_answer.body;
  const nlohmann::json note = signed_answer.Json();
  EXPECT_EQ(note.value("state", ""), "NOTE_STATE_SIGNED");
  EXPECT_EQ(ContentOf(note), ContentOf(draft));
  const nlohmann::json signature = note.value("signature", nlohmann::json::object());
  EXPECT_EQ(signature.value("userId", ""), kSamUserId);
  EXPECT_FALSE(signature.value("time", "").empty());
  const std::string hash = signature.value("contentHash", "");
  EXPECT_EQ(hash.size(), 64u);
  EXPECT_EQ(hash, ExpectedContentHash(note)) << "the recorded hash is not SHA-256 of the "
                                                "canonical form of the signed content";
  EXPECT_FALSE(note.contains("cosignerUserId"));
  EXPECT_NE(note.value("etag", ""), draft.value("etag", ""));
  EXPECT_EQ(One("SELECT content_hash FROM notes WHERE id = '" + note.value("id", "") + "'"), hash);
  // Signed: the rest of the care team reads it.
  HttpResponse by_alex = GetNote(kJoClientId, note.value("id", ""), TokenOf(kAlexEmail));
  ASSERT_EQ(by_alex.status, 200) << by_alex.body;
  EXPECT_EQ(by_alex.Json(), note);
  HttpResponse listed = ListNotes(kJoClientId, TokenOf(kAlexEmail), "?pageSize=500");
  EXPECT_TRUE(HasId(NoteIdsIn(listed.Json()), note.value("id", "")));
}

// The Bar: signed content is byte-for-byte unchanged after any sequence of API calls.
TEST_F(SignedNotesApiTest, SignedNoteIsUnchangedByteForByteAfterEveryAttemptToChangeIt) {
  const NoteMarkers m = NewNoteMarkers("lock");
  const nlohmann::json note = CreateSigned(kJoClientId, FullNoteBody(m), TokenOf(kSamEmail));
  ASSERT_TRUE(note.is_object());
  const std::string id = note.value("id", "");
  const std::string hash = note["signature"].value("contentHash", "");
  const std::string row_sql =
      "SELECT kind || '|' || state || '|' || author_user_id || '|' || session_start_time || '|' "
      "|| duration_minutes || '|' || modality || '|' || session_type || '|' || content_sealed || "
      "'|' || patient_summary_sealed || '|' || create_time || '|' || signed_by_user_id || '|' || "
      "sign_time || '|' || content_hash FROM notes WHERE id = '" +
      id + "'";
  const std::string row_before = One(row_sql);
  const std::string sam = TokenOf(kSamEmail);
  const std::string alex = TokenOf(kAlexEmail);
  const std::string etag = note.value("etag", "");
  const std::string old_etag = "v1";
  std::vector<std::string> refusals;
  auto refused = [&](const HttpResponse& answer, int http, int code, const std::string& what) {
    EXPECT_TRUE(IsErrorAnswer(answer, http, code)) << what;
    refusals.push_back(answer.body);
  };

  for (const std::string& who : {sam, alex}) {
    for (const std::string& tag : {etag, old_etag}) {
      refused(Update(note, "soap.subjective", {{"soap", {{"subjective", "rewritten"}}}}, who, tag),
              400, kFailedPrecondition, "update soap");
      refused(Update(note, "patientSummary", {{"patientSummary", {{"summary", "rewritten"}}}}, who,
                     tag),
              400, kFailedPrecondition, "update summary");
      refused(Update(note, "session",
                     {{"session",
                       {{"startTime", "2026-11-03T09:30:00Z"},
                        {"durationMinutes", 10},
                        {"modality", "SESSION_MODALITY_TELEHEALTH"},
                        {"type", "SESSION_TYPE_REVIEW"}}}},
                     who, tag),
              400, kFailedPrecondition, "update session");
      refused(Update(note, "dap", {{"dap", {{"data", "a new body"}}}}, who, tag), 400,
              kFailedPrecondition, "switch body");
    }
    refused(Discard(note, who), 400, kFailedPrecondition, "discard");
    refused(Sign(note, who), 400, kFailedPrecondition, "sign again");
    refused(Sign(note, who, kAlexUserId), 400, kFailedPrecondition, "sign again for cosign");
    refused(Cosign(note, who, hash), 400, kFailedPrecondition, "cosign without a cosigner");
  }
  ASSERT_EQ(AddAddendum(note, "Correction: " + Unique(), sam).status, 200);
  ASSERT_EQ(AddAddendum(note, "Later information: " + Unique(), alex).status, 200);
  refused(Rest().Post(NotePath(kJoClientId, id) + ":cosign",
                      {{"contentHash", std::string(64, 'a')}}, alex),
          400, kFailedPrecondition, "cosign with another hash");
  // Sharing is for psychotherapy notes only: refused whatever the state.
  for (const std::string& who : {sam, alex}) {
    HttpResponse shared = Share(note, {kAlexUserId}, who);
    EXPECT_TRUE(IsErrorAnswer(shared, 400, kFailedPrecondition)) << "share a session note";
    EXPECT_THAT(shared.body, HasSubstr("session note"));
  }
  for (const std::string& refusal : refusals) {
    EXPECT_THAT(refusal, HasSubstr("signed"));
    for (const std::string& marker : m.All()) {
      EXPECT_THAT(refusal, Not(HasSubstr(marker)));
    }
  }

  HttpResponse after = GetNote(kJoClientId, id, sam);
  ASSERT_EQ(after.status, 200) << after.body;
  const nlohmann::json now = after.Json();
  EXPECT_EQ(ContentOf(now).dump(), ContentOf(note).dump());
  EXPECT_EQ(now["signature"], note["signature"]);
  EXPECT_EQ(now.value("state", ""), "NOTE_STATE_SIGNED");
  EXPECT_EQ(ExpectedContentHash(now), hash);
  EXPECT_EQ(now.value("addenda", nlohmann::json::array()).size(), 2u);
  // The stored row: the same sealed bytes, session facts, signer, time and hash.
  EXPECT_EQ(One(row_sql), row_before);
}

TEST_F(SignedNotesApiTest, SignedNoteCanNeverBeDiscarded) {
  const nlohmann::json note =
      CreateSigned(kJoClientId, MinimalNoteBody("kept " + Unique()), TokenOf(kSamEmail));
  ASSERT_TRUE(note.is_object());

  HttpResponse refused = Discard(note, TokenOf(kSamEmail));

  ASSERT_TRUE(IsErrorAnswer(refused, 400, kFailedPrecondition));
  EXPECT_THAT(refused.Json().value("message", ""), HasSubstr("signed"));
  HttpResponse listed = ListNotes(kJoClientId, TokenOf(kSamEmail), "?pageSize=500");
  EXPECT_TRUE(HasId(NoteIdsIn(listed.Json()), note.value("id", "")));
  EXPECT_EQ(GetNote(kJoClientId, note.value("id", ""), TokenOf(kSamEmail)).Json(), note);
}

// --- Addenda ---

TEST_F(SignedNotesApiTest, AddendaLinkToTheNoteOldestFirstEachSignedByItsAuthor) {
  const nlohmann::json note =
      CreateSigned(kJoClientId, FullNoteBody(NewNoteMarkers("add")), TokenOf(kSamEmail));
  ASSERT_TRUE(note.is_object());
  const std::string first_text = "Correction: dilator size was 3. " + Unique();
  const std::string second_text = "Later: referred on.\nSecond line. " + Unique();

  HttpResponse first = AddAddendum(note, first_text, TokenOf(kSamEmail));
  HttpResponse second = AddAddendum(note, second_text, TokenOf(kAlexEmail));

  ASSERT_EQ(first.status, 200) << first.body;
  ASSERT_EQ(second.status, 200) << second.body;
  const nlohmann::json answer = second.Json();
  EXPECT_EQ(answer.value("id", ""), note.value("id", ""));
  ASSERT_EQ(answer.value("addenda", nlohmann::json::array()).size(), 2u) << second.body;
  const nlohmann::json a1 = answer["addenda"][0];
  const nlohmann::json a2 = answer["addenda"][1];
  EXPECT_EQ(a1.value("text", ""), first_text);
  EXPECT_EQ(a2.value("text", ""), second_text);
  EXPECT_NE(a1.value("id", ""), a2.value("id", ""));
  EXPECT_EQ(a1["signature"].value("userId", ""), kSamUserId);
  EXPECT_EQ(a2["signature"].value("userId", ""), kAlexUserId);
  for (const nlohmann::json& addendum : {a1, a2}) {
    EXPECT_FALSE(addendum["signature"].value("time", "").empty());
    EXPECT_EQ(addendum["signature"].value("contentHash", "").size(), 64u);
    EXPECT_EQ(addendum["signature"].value("contentHash", ""),
              ExpectedAddendumHash(note.value("id", ""), addendum))
        << addendum.dump();
  }
  // The note itself is as signed, and its addenda read the same for the care team.
  EXPECT_EQ(ContentOf(answer), ContentOf(note));
  EXPECT_EQ(answer["signature"], note["signature"]);
  HttpResponse read = GetNote(kJoClientId, note.value("id", ""), TokenOf(kAlexEmail));
  ASSERT_EQ(read.status, 200) << read.body;
  EXPECT_EQ(read.Json()["addenda"], answer["addenda"]);
  // Linked in the database by note id, its text sealed.
  EXPECT_EQ(Query("SELECT id FROM note_addenda WHERE note_id = '" + note.value("id", "") +
                  "' ORDER BY create_time, id"),
            (std::vector<std::string>{a1.value("id", ""), a2.value("id", "")}));
}

TEST_F(SignedNotesApiTest, RetriedAddendumWithTheSameRequestIdIsAddedOnce) {
  const nlohmann::json note =
      CreateSigned(kJoClientId, MinimalNoteBody("base " + Unique()), TokenOf(kSamEmail));
  ASSERT_TRUE(note.is_object());
  const std::string request_id = "addendum-" + Unique();
  const std::string text = "Phone retried this. " + Unique();

  HttpResponse first = AddAddendum(note, text, TokenOf(kSamEmail), request_id);
  HttpResponse again = AddAddendum(note, text, TokenOf(kSamEmail), request_id);

  ASSERT_EQ(first.status, 200) << first.body;
  ASSERT_EQ(again.status, 200) << again.body;
  ASSERT_EQ(again.Json().value("addenda", nlohmann::json::array()).size(), 1u) << again.body;
  EXPECT_EQ(again.Json()["addenda"], first.Json()["addenda"]);
  EXPECT_EQ(One("SELECT COUNT(*) FROM note_addenda WHERE note_id = '" + note.value("id", "") + "'"),
            "1");
}

TEST_F(SignedNotesApiTest, AddendumToADraftIsRefusedAndTheDraftIsUnchanged) {
  const nlohmann::json draft =
      CreateNote(kJoClientId, MinimalNoteBody("draft " + Unique()), TokenOf(kSamEmail));
  ASSERT_TRUE(draft.is_object());

  HttpResponse refused = AddAddendum(draft, "Too early", TokenOf(kSamEmail));

  EXPECT_TRUE(IsErrorAnswer(refused, 400, kFailedPrecondition));
  EXPECT_THAT(refused.Json().value("message", ""), HasSubstr("draft"));
  EXPECT_EQ(GetNote(kJoClientId, draft.value("id", ""), TokenOf(kSamEmail)).Json(), draft);
  EXPECT_EQ(
      One("SELECT COUNT(*) FROM note_addenda WHERE note_id = '" + draft.value("id", "") + "'"),
      "0");
}

// --- Co-signature ---

TEST_F(SignedNotesApiTest, OnlyTheNamedSupervisorCosignsOnceWithTheHashSheRead) {
  const NoteMarkers m = NewNoteMarkers("co");
  const nlohmann::json note =
      CreateSigned(kJoClientId, FullNoteBody(m), TokenOf(kSamEmail), kAlexUserId);
  ASSERT_TRUE(note.is_object());
  EXPECT_EQ(note.value("cosignerUserId", ""), kAlexUserId);
  EXPECT_FALSE(note.contains("cosignature"));
  const std::string hash = note["signature"].value("contentHash", "");
  std::string wrong_hash = hash;
  wrong_hash[0] = wrong_hash[0] == '0' ? '1' : '0';

  // The author, an admin off the care team, another clinic's clinician: refused.
  EXPECT_TRUE(IsErrorAnswer(Cosign(note, TokenOf(kSamEmail), hash), 403, kPermissionDenied));
  EXPECT_TRUE(IsErrorAnswer(Cosign(note, TokenOf(kAdminEmail), hash), 403, kPermissionDenied));
  EXPECT_TRUE(IsErrorAnswer(Cosign(note, TokenOf(kOtherTherapistEmail), hash), 404, kNotFound));
  EXPECT_TRUE(IsErrorAnswer(Cosign(note, TokenOf(kJoEmail), hash), 403, kPermissionDenied));
  // The named supervisor with a hash other than the signed content's: refused.
  EXPECT_TRUE(
      IsErrorAnswer(Cosign(note, TokenOf(kAlexEmail), wrong_hash), 400, kFailedPrecondition));
  HttpResponse still = GetNote(kJoClientId, note.value("id", ""), TokenOf(kAlexEmail));
  ASSERT_EQ(still.status, 200) << still.body;
  EXPECT_FALSE(still.Json().contains("cosignature"));

  HttpResponse cosigned = Cosign(note, TokenOf(kAlexEmail), hash);

  ASSERT_EQ(cosigned.status, 200) << cosigned.body;
  const nlohmann::json after = cosigned.Json();
  const nlohmann::json cosignature = after.value("cosignature", nlohmann::json::object());
  EXPECT_EQ(cosignature.value("userId", ""), kAlexUserId);
  EXPECT_FALSE(cosignature.value("time", "").empty());
  EXPECT_EQ(cosignature.value("contentHash", ""), hash);
  EXPECT_EQ(after["signature"], note["signature"]);
  EXPECT_EQ(ContentOf(after), ContentOf(note));
  EXPECT_EQ(ExpectedContentHash(after), hash);

  // Once only.
  HttpResponse again = Cosign(note, TokenOf(kAlexEmail), hash);
  EXPECT_TRUE(IsErrorAnswer(again, 400, kFailedPrecondition));
  HttpResponse final_read = GetNote(kJoClientId, note.value("id", ""), TokenOf(kSamEmail));
  ASSERT_EQ(final_read.status, 200) << final_read.body;
  EXPECT_EQ(final_read.Json()["cosignature"], cosignature);
}

TEST_F(SignedNotesApiTest, CosignerMustBeAnotherClinicianOnTheCareTeam) {
  const std::string sam = TokenOf(kSamEmail);
  // Riley's care team is Sam only.
  const nlohmann::json riley_draft =
      CreateNote(kRileyClientId, MinimalNoteBody("riley " + Unique()), sam);
  ASSERT_TRUE(riley_draft.is_object());
  const nlohmann::json jo_draft = CreateNote(kJoClientId, MinimalNoteBody("jo " + Unique()), sam);
  ASSERT_TRUE(jo_draft.is_object());

  const std::vector<std::pair<nlohmann::json, std::string>> refused = {
      {riley_draft, kAlexUserId},         // a clinician off Riley's care team
      {jo_draft, kSamUserId},             // the author herself
      {jo_draft, kAdminUserId},           // not a clinician
      {jo_draft, kOtherTherapistUserId},  // another clinic
      {jo_draft, kKimUserId},             // a partner
      {jo_draft, kNonexistentClientId}};  // nobody
  for (const auto& [draft, cosigner] : refused) {
    HttpResponse answer = Sign(draft, sam, cosigner);
    EXPECT_TRUE(IsErrorAnswer(answer, 400)) << cosigner;
    EXPECT_THAT(ViolatedFields(answer.Json()), Contains("cosigner_user_id")) << answer.body;
    HttpResponse still = GetNote(draft.value("clientId", ""), draft.value("id", ""), sam);
    EXPECT_EQ(still.Json().value("state", ""), "NOTE_STATE_DRAFT") << cosigner;
    EXPECT_EQ(still.Json().value("etag", ""), draft.value("etag", "")) << cosigner;
  }
}

TEST_F(SignedNotesApiTest, NoteSignedWithoutACosignerCannotBeCosigned) {
  const nlohmann::json note =
      CreateSigned(kJoClientId, MinimalNoteBody("solo " + Unique()), TokenOf(kSamEmail));
  ASSERT_TRUE(note.is_object());

  HttpResponse refused =
      Cosign(note, TokenOf(kAlexEmail), note["signature"].value("contentHash", ""));

  EXPECT_TRUE(IsErrorAnswer(refused, 400, kFailedPrecondition));
  EXPECT_FALSE(GetNote(kJoClientId, note.value("id", ""), TokenOf(kAlexEmail))
                   .Json()
                   .contains("cosignature"));
}

// --- gRPC ---

TEST_F(SignedNotesApiTest, CreateSignAndGetOverGrpc) {
  auto stub = v1::NoteService::NewStub(channel());
  const std::string sam = TokenOf(kSamEmail);
  v1::CreateNoteRequest create;
  create.set_client_id(kJoClientId);
  v1::Note* body = create.mutable_note();
  body->set_kind(v1::NOTE_KIND_SESSION);
  body->mutable_session()->mutable_start_time()->set_seconds(1793000000);
  body->mutable_session()->set_duration_minutes(30);
  body->mutable_session()->set_modality(v1::SESSION_MODALITY_TELEHEALTH);
  body->mutable_session()->set_type(v1::SESSION_TYPE_REVIEW);
  body->mutable_birp()->set_behavior("grpc behaviour " + Unique());
  body->mutable_birp()->set_plan("grpc plan");
  v1::Note draft;
  grpc::Status status = stub->CreateNote(Context(sam).get(), create, &draft);
  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_EQ(draft.state(), v1::NOTE_STATE_DRAFT);
  EXPECT_EQ(draft.birp().behavior(), body->birp().behavior());

  v1::SignNoteRequest sign;
  sign.set_client_id(kJoClientId);
  sign.set_note_id(draft.id());
  sign.set_etag(draft.etag());
  v1::Note signed_note;
  status = stub->SignNote(Context(sam).get(), sign, &signed_note);
  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_EQ(signed_note.state(), v1::NOTE_STATE_SIGNED);
  EXPECT_EQ(signed_note.signature().user_id(), kSamUserId);

  v1::GetNoteRequest get;
  get.set_client_id(kJoClientId);
  get.set_note_id(draft.id());
  v1::Note read;
  status = stub->GetNote(Context(TokenOf(kAlexEmail)).get(), get, &read);
  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_EQ(read.SerializeAsString(), signed_note.SerializeAsString());
  // The same note as REST reads it, with the same independently computed hash.
  HttpResponse rest = GetNote(kJoClientId, draft.id(), sam);
  ASSERT_EQ(rest.status, 200) << rest.body;
  EXPECT_EQ(ExpectedContentHash(rest.Json()), read.signature().content_hash());
}

TEST_F(SignedNotesApiTest, ChangingASignedNoteOverGrpcIsFailedPrecondition) {
  const nlohmann::json note =
      CreateSigned(kJoClientId, FullNoteBody(NewNoteMarkers("gr")), TokenOf(kSamEmail));
  ASSERT_TRUE(note.is_object());
  auto stub = v1::NoteService::NewStub(channel());
  v1::UpdateNoteRequest update;
  update.mutable_note()->set_client_id(kJoClientId);
  update.mutable_note()->set_id(note.value("id", ""));
  update.mutable_note()->set_etag(note.value("etag", ""));
  update.mutable_note()->mutable_soap()->set_plan("rewritten over gRPC");
  update.mutable_update_mask()->add_paths("soap.plan");
  v1::Note answer;

  grpc::Status status = stub->UpdateNote(Context(TokenOf(kSamEmail)).get(), update, &answer);

  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << Describe(status);
  EXPECT_THAT(status.error_message(), HasSubstr("signed"));
  v1::DiscardNoteRequest discard;
  discard.set_client_id(kJoClientId);
  discard.set_note_id(note.value("id", ""));
  discard.set_etag(note.value("etag", ""));
  status = stub->DiscardNote(Context(TokenOf(kSamEmail)).get(), discard, &answer);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << Describe(status);
  HttpResponse after = GetNote(kJoClientId, note.value("id", ""), TokenOf(kSamEmail));
  EXPECT_EQ(ContentOf(after.Json()), ContentOf(note));
  EXPECT_EQ(after.Json()["signature"], note["signature"]);
}

}  // namespace
}  // namespace confide::api_test