// What a note's content and NoteService's requests must satisfy: each rule refused with
// INVALID_ARGUMENT naming the field, never quoting what was written.

#include "services/notes/note_validation.h"

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/common/timestamps.h"
#include "tests/fakes/pipeline_test_support.h"

namespace confide {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

const absl::Time kNow =
    absl::FromCivil(absl::CivilSecond(2026, 3, 2, 10, 0, 0), absl::UTCTimeZone());
constexpr char kClient[] = "00000000-0000-7000-8000-00000000c001";
constexpr char kNote[] = "00000000-0000-7000-8000-0000000000a1";
const std::string kHash(64, 'a');

v1::Note ValidNote() {
  v1::Note note;
  note.set_kind(v1::NOTE_KIND_SESSION);
  v1::SessionDetails* session = note.mutable_session();
  *session->mutable_start_time() = ToTimestamp(kNow - absl::Hours(2));
  session->set_duration_minutes(50);
  session->set_modality(v1::SESSION_MODALITY_IN_PERSON);
  session->set_type(v1::SESSION_TYPE_PELVIC_FLOOR_PHYSIOTHERAPY);
  note.mutable_soap()->set_subjective("line one\nline two\ttabbed");
  v1::PelvicFloorFindings* findings = note.mutable_pelvic_floor_findings();
  findings->set_examination(v1::PELVIC_EXAMINATION_EXTERNAL);
  findings->set_muscle_tone(v1::MUSCLE_TONE_HIGH);
  v1::TenderPoint* point = findings->add_tender_points();
  point->set_clock_position(12);
  point->set_depth(v1::TISSUE_DEPTH_DEEP);
  point->set_pain_score(10);
  findings->set_dilator_size_tolerated(10);
  v1::TherapyDetails* therapy = note.mutable_therapy_details();
  therapy->add_interventions_used(v1::INTERVENTION_KIND_SENSATE_FOCUS);
  therapy->add_interventions_used(v1::INTERVENTION_KIND_JOURNALING);
  therapy->mutable_risk_screen()->set_level(v1::RISK_LEVEL_LOW);
  note.mutable_patient_summary()->set_summary("Good work");
  return note;
}

std::vector<std::string> Fields(const v1::Note& note) {
  return ViolatedFields(ValidateNoteContent(note, "note", kNow));
}

TEST(NoteValidationTest, ValidNotePasses) {
  EXPECT_TRUE(ValidateNoteContent(ValidNote(), "note", kNow).ok());
  v1::Note psychotherapy = ValidNote();
  psychotherapy.set_kind(v1::NOTE_KIND_PSYCHOTHERAPY);
  psychotherapy.clear_patient_summary();
  EXPECT_TRUE(ValidateNoteContent(psychotherapy, "note", kNow).ok());
}

TEST(NoteValidationTest, KindIsRequired) {
  v1::Note note = ValidNote();
  note.set_kind(v1::NOTE_KIND_UNSPECIFIED);
  EXPECT_THAT(Fields(note), ElementsAre("note.kind"));
  note.set_kind(static_cast<v1::NoteKind>(7));
  EXPECT_THAT(Fields(note), ElementsAre("note.kind"));
}

TEST(NoteValidationTest, SessionIsRequired) {
  v1::Note note = ValidNote();
  note.clear_session();
  EXPECT_THAT(Fields(note), ElementsAre("note.session"));
  note = ValidNote();
  note.mutable_session()->clear_start_time();
  note.mutable_session()->set_duration_minutes(0);
  note.mutable_session()->set_modality(v1::SESSION_MODALITY_UNSPECIFIED);
  note.mutable_session()->set_type(v1::SESSION_TYPE_UNSPECIFIED);
  EXPECT_THAT(Fields(note), ElementsAre("note.session.start_time", "note.session.duration_minutes",
                                        "note.session.modality", "note.session.type"));
}

TEST(NoteValidationTest, SessionStartIsNotMoreThanADayAheadNorBefore1900) {
  v1::Note note = ValidNote();
  *note.mutable_session()->mutable_start_time() = ToTimestamp(kNow + absl::Hours(24));
  EXPECT_THAT(Fields(note), IsEmpty());
  *note.mutable_session()->mutable_start_time() =
      ToTimestamp(kNow + absl::Hours(24) + absl::Seconds(1));
  EXPECT_THAT(Fields(note), ElementsAre("note.session.start_time"));
  *note.mutable_session()->mutable_start_time() =
      ToTimestamp(absl::FromCivil(absl::CivilDay(1900, 1, 1), absl::UTCTimeZone()));
  EXPECT_THAT(Fields(note), IsEmpty());
  *note.mutable_session()->mutable_start_time() =
      ToTimestamp(absl::FromCivil(absl::CivilDay(1899, 12, 31), absl::UTCTimeZone()));
  EXPECT_THAT(Fields(note), ElementsAre("note.session.start_time"));
  note.mutable_session()->mutable_start_time()->set_nanos(-1);
  EXPECT_THAT(Fields(note), ElementsAre("note.session.start_time"));
}

TEST(NoteValidationTest, DurationIsOneToSixHundredMinutes) {
  v1::Note note = ValidNote();
  for (int ok : {1, 600}) {
    note.mutable_session()->set_duration_minutes(ok);
    EXPECT_THAT(Fields(note), IsEmpty()) << ok;
  }
  for (int bad : {0, -5, 601}) {
    note.mutable_session()->set_duration_minutes(bad);
    EXPECT_THAT(Fields(note), ElementsAre("note.session.duration_minutes")) << bad;
  }
}

TEST(NoteValidationTest, EnumsMustBeKnownValues) {
  v1::Note note = ValidNote();
  note.mutable_session()->set_modality(static_cast<v1::SessionModality>(9));
  note.mutable_session()->set_type(static_cast<v1::SessionType>(9));
  note.mutable_pelvic_floor_findings()->set_examination(static_cast<v1::PelvicExamination>(9));
  note.mutable_pelvic_floor_findings()->set_muscle_tone(static_cast<v1::MuscleTone>(9));
  note.mutable_pelvic_floor_findings()->set_ability_to_relax(static_cast<v1::RelaxationAbility>(9));
  note.mutable_pelvic_floor_findings()->mutable_tender_points(0)->set_depth(
      static_cast<v1::TissueDepth>(9));
  note.mutable_therapy_details()->mutable_risk_screen()->set_level(static_cast<v1::RiskLevel>(9));
  EXPECT_THAT(Fields(note), ElementsAre("note.session.modality", "note.session.type",
                                        "note.pelvic_floor_findings.examination",
                                        "note.pelvic_floor_findings.muscle_tone",
                                        "note.pelvic_floor_findings.ability_to_relax",
                                        "note.pelvic_floor_findings.tender_points[0].depth",
                                        "note.therapy_details.risk_screen.level"));
}

TEST(NoteValidationTest, SectionLengthsFollowTheProtoComments) {
  v1::Note note = ValidNote();
  note.mutable_soap()->set_subjective(std::string(20'000, 's'));
  note.mutable_soap()->set_plan(std::string(20'000, 'p'));
  EXPECT_THAT(Fields(note), IsEmpty());
  note.mutable_soap()->set_objective(std::string(20'001, 'o'));
  EXPECT_THAT(Fields(note), ElementsAre("note.soap.objective"));

  note.mutable_dap()->set_data(std::string(20'001, 'd'));
  note.mutable_dap()->set_assessment(std::string(20'001, 'a'));
  note.mutable_dap()->set_plan(std::string(20'001, 'p'));
  EXPECT_THAT(Fields(note), ElementsAre("note.dap.data", "note.dap.assessment", "note.dap.plan"));

  note.mutable_birp()->set_behavior(std::string(20'001, 'b'));
  note.mutable_birp()->set_intervention(std::string(20'000, 'i'));
  note.mutable_birp()->set_response(std::string(20'001, 'r'));
  EXPECT_THAT(Fields(note), ElementsAre("note.birp.behavior", "note.birp.response"));

  note.mutable_free_text()->set_text(std::string(50'000, 'f'));
  EXPECT_THAT(Fields(note), IsEmpty());
  note.mutable_free_text()->set_text(std::string(50'001, 'f'));
  EXPECT_THAT(Fields(note), ElementsAre("note.free_text.text"));
}

TEST(NoteValidationTest, LengthsCountCharactersNotBytes) {
  v1::Note note = ValidNote();
  std::string greek;
  for (int i = 0; i < 20'000; ++i) {
    greek += "\xce\xb1";  // U+03B1, two bytes.
  }
  note.mutable_soap()->set_assessment(greek);
  EXPECT_THAT(Fields(note), IsEmpty());
  note.mutable_soap()->set_assessment(greek + "\xce\xb1");
  EXPECT_THAT(Fields(note), ElementsAre("note.soap.assessment"));
}

TEST(NoteValidationTest, TextMustBeUtf8WithoutControlCharacters) {
  v1::Note note = ValidNote();
  note.mutable_soap()->set_subjective("bad \xff byte");
  note.mutable_pelvic_floor_findings()->set_comments(std::string("nul\0here", 8));
  EXPECT_THAT(Fields(note),
              ElementsAre("note.soap.subjective", "note.pelvic_floor_findings.comments"));
}

TEST(NoteValidationTest, CommentsAndSummaryAreAtMostFiveThousand) {
  v1::Note note = ValidNote();
  note.mutable_pelvic_floor_findings()->set_comments(std::string(5'001, 'c'));
  note.mutable_therapy_details()->set_homework_set(std::string(5'001, 'h'));
  note.mutable_therapy_details()->mutable_risk_screen()->set_comments(std::string(5'001, 'r'));
  note.mutable_patient_summary()->set_summary(std::string(5'001, 's'));
  note.mutable_patient_summary()->set_homework(std::string(5'001, 'h'));
  note.mutable_patient_summary()->set_next_steps(std::string(5'001, 'n'));
  EXPECT_THAT(
      Fields(note),
      ElementsAre("note.pelvic_floor_findings.comments", "note.therapy_details.homework_set",
                  "note.therapy_details.risk_screen.comments", "note.patient_summary.summary",
                  "note.patient_summary.homework", "note.patient_summary.next_steps"));
}

TEST(NoteValidationTest, TenderPointsAreAtMost24WithinTheirScales) {
  v1::Note note = ValidNote();
  v1::PelvicFloorFindings* findings = note.mutable_pelvic_floor_findings();
  findings->clear_tender_points();
  for (int i = 0; i < 24; ++i) {
    v1::TenderPoint* point = findings->add_tender_points();
    point->set_clock_position(i % 12 + 1);
    point->set_pain_score(i % 11);
  }
  EXPECT_THAT(Fields(note), IsEmpty());
  findings->add_tender_points()->set_clock_position(1);
  EXPECT_THAT(Fields(note), ElementsAre("note.pelvic_floor_findings.tender_points"));

  findings->clear_tender_points();
  v1::TenderPoint* low = findings->add_tender_points();
  low->set_clock_position(0);
  low->set_pain_score(-1);
  v1::TenderPoint* high = findings->add_tender_points();
  high->set_clock_position(13);
  high->set_pain_score(11);
  EXPECT_THAT(Fields(note),
              ElementsAre("note.pelvic_floor_findings.tender_points[0].clock_position",
                          "note.pelvic_floor_findings.tender_points[0].pain_score",
                          "note.pelvic_floor_findings.tender_points[1].clock_position",
                          "note.pelvic_floor_findings.tender_points[1].pain_score"));
}

TEST(NoteValidationTest, DilatorSizeIsZeroToTen) {
  v1::Note note = ValidNote();
  for (int ok : {0, 1, 10}) {
    note.mutable_pelvic_floor_findings()->set_dilator_size_tolerated(ok);
    EXPECT_THAT(Fields(note), IsEmpty()) << ok;
  }
  for (int bad : {-1, 11}) {
    note.mutable_pelvic_floor_findings()->set_dilator_size_tolerated(bad);
    EXPECT_THAT(Fields(note), ElementsAre("note.pelvic_floor_findings.dilator_size_tolerated"));
  }
}

TEST(NoteValidationTest, InterventionsAreAtMost13DistinctKnownKinds) {
  v1::Note note = ValidNote();
  v1::TherapyDetails* therapy = note.mutable_therapy_details();
  therapy->clear_interventions_used();
  for (int kind = 1; kind <= 13; ++kind) {
    therapy->add_interventions_used(static_cast<v1::InterventionKind>(kind));
  }
  EXPECT_THAT(Fields(note), IsEmpty());
  therapy->add_interventions_used(v1::INTERVENTION_KIND_KEGELS);
  EXPECT_THAT(Fields(note), ElementsAre("note.therapy_details.interventions_used"));

  therapy->clear_interventions_used();
  therapy->add_interventions_used(v1::INTERVENTION_KIND_KEGELS);
  therapy->add_interventions_used(v1::INTERVENTION_KIND_KEGELS);
  therapy->add_interventions_used(v1::INTERVENTION_KIND_UNSPECIFIED);
  therapy->add_interventions_used(static_cast<v1::InterventionKind>(99));
  EXPECT_THAT(Fields(note), ElementsAre("note.therapy_details.interventions_used[1]",
                                        "note.therapy_details.interventions_used[2]",
                                        "note.therapy_details.interventions_used[3]"));
}

TEST(NoteValidationTest, PsychotherapyNotesCarryNoPatientSummary) {
  v1::Note note = ValidNote();
  note.set_kind(v1::NOTE_KIND_PSYCHOTHERAPY);
  const absl::Status status = ValidateNoteContent(note, "note", kNow);
  EXPECT_THAT(ViolatedFields(status), ElementsAre("note.patient_summary"));
  EXPECT_THAT(status.message(), HasSubstr("session notes only"));
  // An empty summary is no summary.
  note.mutable_patient_summary()->Clear();
  EXPECT_THAT(Fields(note), IsEmpty());
}

TEST(NoteValidationTest, MessagesNeverQuoteTheText) {
  v1::Note note = ValidNote();
  note.mutable_soap()->set_subjective(std::string(20'001, 'Q') + "SECRET");
  note.mutable_pelvic_floor_findings()->set_comments("SECRET\x01");
  const absl::Status status = ValidateNoteContent(note, "note", kNow);
  EXPECT_FALSE(status.ok());
  EXPECT_THAT(std::string(status.message()), Not(HasSubstr("SECRET")));
}

TEST(NoteValidationTest, UpdateMaskNamesOnlyWritableFieldsAndTheirSubFields) {
  google::protobuf::FieldMask mask;
  EXPECT_THAT(ViolatedFields(ValidateNoteUpdateMask(mask)), ElementsAre("update_mask"));
  for (const char* path :
       {"session", "soap", "dap", "birp", "free_text", "pelvic_floor_findings", "therapy_details",
        "patient_summary", "soap.plan", "session.start_time", "pelvic_floor_findings.tender_points",
        "therapy_details.risk_screen.level"}) {
    mask.Clear();
    mask.add_paths(path);
    EXPECT_TRUE(ValidateNoteUpdateMask(mask).ok()) << path;
  }
  for (const char* path :
       {"kind", "state", "id", "client_id", "etag", "author_user_id", "signature", "addenda",
        "reader_user_ids", "soap.nonsense", "", "sessions", "soap.plan.x", "soap..plan", "soap.",
        ".soap", "soap.plan."}) {
    mask.Clear();
    mask.add_paths("soap");
    mask.add_paths(path);
    EXPECT_THAT(ViolatedFields(ValidateNoteUpdateMask(mask)), ElementsAre("update_mask")) << path;
  }
}

// The mask is bounded before a path is split or looked up: thousands of paths, or one path of
// a million dots, are refused as they are, never walked.
TEST(NoteValidationTest, UpdateMaskIsBoundedBeforeItsPathsAreLookedUp) {
  google::protobuf::FieldMask mask;
  for (const char* path : {"session", "soap", "pelvic_floor_findings.home_programme_reviewed",
                           "therapy_details.risk_screen.comments", "patient_summary"}) {
    mask.add_paths(path);
  }
  EXPECT_TRUE(ValidateNoteUpdateMask(mask).ok());
  for (int i = 0; i < 10'000; ++i) {
    mask.add_paths("soap.plan");
  }
  EXPECT_THAT(ViolatedFields(ValidateNoteUpdateMask(mask)), ElementsAre("update_mask"));
  v1::UpdateNoteRequest request;
  *request.mutable_update_mask() = mask;
  EXPECT_THAT(ViolatedFields(ValidateUpdateNote(request)), testing::Contains("update_mask"));

  mask.Clear();
  mask.add_paths("soap" + std::string(1'000'000, '.'));
  EXPECT_THAT(ViolatedFields(ValidateNoteUpdateMask(mask)), ElementsAre("update_mask"));
}

TEST(NoteValidationTest, RequestsNameClientAndNote) {
  v1::GetNoteRequest get;
  EXPECT_THAT(ViolatedFields(ValidateGetNote(get)), ElementsAre("client_id", "note_id"));
  get.set_client_id("me");
  get.set_note_id(kNote);
  const absl::Status me = ValidateGetNote(get);
  EXPECT_THAT(ViolatedFields(me), ElementsAre("client_id"));
  EXPECT_THAT(me.message(), HasSubstr("must name the client"));
  get.set_client_id(kClient);
  EXPECT_TRUE(ValidateGetNote(get).ok());
  get.set_note_id(std::string(65, 'x'));
  EXPECT_THAT(ViolatedFields(ValidateGetNote(get)), ElementsAre("note_id"));
}

TEST(NoteValidationTest, CreateChecksClientRequestIdAndCounts) {
  v1::CreateNoteRequest request;
  request.set_client_id("me");
  request.set_request_id(std::string(101, 'r'));
  EXPECT_THAT(ViolatedFields(ValidateCreateNote(request)), ElementsAre("client_id", "request_id"));
  request.set_client_id(kClient);
  request.set_request_id("retry-1");
  EXPECT_TRUE(ValidateCreateNote(request).ok());
  for (int i = 0; i < 25; ++i) {
    request.mutable_note()->mutable_pelvic_floor_findings()->add_tender_points();
  }
  EXPECT_THAT(ViolatedFields(ValidateCreateNote(request)),
              ElementsAre("note.pelvic_floor_findings.tender_points"));
}

TEST(NoteValidationTest, UpdateNeedsIdsEtagAndMask) {
  v1::UpdateNoteRequest request;
  EXPECT_THAT(ViolatedFields(ValidateUpdateNote(request)),
              ElementsAre("note.client_id", "note.id", "note.etag", "update_mask"));
  request.mutable_note()->set_client_id(kClient);
  request.mutable_note()->set_id(kNote);
  request.mutable_note()->set_etag("v1");
  request.mutable_update_mask()->add_paths("soap.plan");
  EXPECT_TRUE(ValidateUpdateNote(request).ok());
  request.mutable_update_mask()->add_paths("state");
  EXPECT_THAT(ViolatedFields(ValidateUpdateNote(request)), ElementsAre("update_mask"));
}

TEST(NoteValidationTest, SignAndDiscardNeedTheEtag) {
  v1::SignNoteRequest sign;
  sign.set_client_id(kClient);
  sign.set_note_id(kNote);
  EXPECT_THAT(ViolatedFields(ValidateSignNote(sign)), ElementsAre("etag"));
  sign.set_etag("v3");
  EXPECT_TRUE(ValidateSignNote(sign).ok());
  sign.set_cosigner_user_id(std::string(65, 'u'));
  EXPECT_THAT(ViolatedFields(ValidateSignNote(sign)), ElementsAre("cosigner_user_id"));

  v1::DiscardNoteRequest discard;
  discard.set_client_id(kClient);
  discard.set_note_id(kNote);
  EXPECT_THAT(ViolatedFields(ValidateDiscardNote(discard)), ElementsAre("etag"));
  discard.set_etag("v1");
  EXPECT_TRUE(ValidateDiscardNote(discard).ok());
}

TEST(NoteValidationTest, CosignNeedsA64DigitLowercaseHexHash) {
  v1::CosignNoteRequest request;
  request.set_client_id(kClient);
  request.set_note_id(kNote);
  request.set_content_hash(kHash);
  EXPECT_TRUE(ValidateCosignNote(request).ok());
  for (const std::string& bad : {std::string(), std::string(63, 'a'), std::string(65, 'a'),
                                 std::string(64, 'A'), std::string(64, 'g')}) {
    request.set_content_hash(bad);
    EXPECT_THAT(ViolatedFields(ValidateCosignNote(request)), ElementsAre("content_hash"));
  }
}

TEST(NoteValidationTest, AddendumTextIsOneToTwentyThousandCharacters) {
  v1::AddAddendumRequest request;
  request.set_client_id(kClient);
  request.set_note_id(kNote);
  EXPECT_THAT(ViolatedFields(ValidateAddAddendum(request)), ElementsAre("addendum.text"));
  request.mutable_addendum()->set_text("  \n ");
  EXPECT_THAT(ViolatedFields(ValidateAddAddendum(request)), ElementsAre("addendum.text"));
  request.mutable_addendum()->set_text("x");
  EXPECT_TRUE(ValidateAddAddendum(request).ok());
  request.mutable_addendum()->set_text(std::string(20'000, 'a'));
  EXPECT_TRUE(ValidateAddAddendum(request).ok());
  request.mutable_addendum()->set_text(std::string(20'001, 'a'));
  EXPECT_THAT(ViolatedFields(ValidateAddAddendum(request)), ElementsAre("addendum.text"));
  request.mutable_addendum()->set_text("\xc0\xaf");
  EXPECT_THAT(ViolatedFields(ValidateAddAddendum(request)), ElementsAre("addendum.text"));
  request.mutable_addendum()->set_text("fine");
  request.set_request_id("bad\x01id");
  EXPECT_THAT(ViolatedFields(ValidateAddAddendum(request)), ElementsAre("request_id"));
}

TEST(NoteValidationTest, ReadersAreAtMostTwentyDistinctIds) {
  v1::SharePsychotherapyNoteRequest request;
  request.set_client_id(kClient);
  request.set_note_id(kNote);
  EXPECT_TRUE(ValidateSharePsychotherapyNote(request).ok());  // Empty un-shares.
  for (int i = 0; i < 20; ++i) {
    request.add_reader_user_ids("user-" + std::to_string(i));
  }
  EXPECT_TRUE(ValidateSharePsychotherapyNote(request).ok());
  request.add_reader_user_ids("user-20");
  EXPECT_THAT(ViolatedFields(ValidateSharePsychotherapyNote(request)),
              ElementsAre("reader_user_ids"));
  request.clear_reader_user_ids();
  request.add_reader_user_ids("alex");
  request.add_reader_user_ids("");
  request.add_reader_user_ids("alex");
  EXPECT_THAT(ViolatedFields(ValidateSharePsychotherapyNote(request)),
              ElementsAre("reader_user_ids[1]", "reader_user_ids[2]"));
}

TEST(NoteValidationTest, ListsCheckPageSize) {
  v1::ListNotesRequest notes;
  notes.set_client_id(kClient);
  notes.set_page_size(501);
  EXPECT_THAT(ViolatedFields(ValidateListNotes(notes)), ElementsAre("page_size"));
  notes.set_page_size(500);
  EXPECT_TRUE(ValidateListNotes(notes).ok());

  v1::ListSessionSummariesRequest summaries;
  summaries.set_client_id("me");  // The patient's own.
  EXPECT_TRUE(ValidateListSessionSummaries(summaries).ok());
  summaries.set_page_size(-1);
  EXPECT_THAT(ViolatedFields(ValidateListSessionSummaries(summaries)), ElementsAre("page_size"));
}

}  // namespace
}  // namespace confide
