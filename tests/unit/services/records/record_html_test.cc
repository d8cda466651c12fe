// The readable copy of an exported record: every text escaped wherever it appears, nothing that
// runs or loads, a heading per section, the export's facts and a confidentiality notice, and
// psychotherapy notes marked as such.

#include "services/records/record_html.h"

#include <string>
#include <string_view>

#include "absl/strings/match.h"
#include "absl/time/civil_time.h"
#include "gmock/gmock.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "google/protobuf/timestamp.pb.h"
#include "gtest/gtest.h"
#include "services/common/timestamps.h"

namespace confide {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr std::string_view kHostile = "<script>alert(1)</script>\"'&";
constexpr std::string_view kHostileEscaped =
    "&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;";

const absl::Time kExportTime =
    absl::FromCivil(absl::CivilSecond(2026, 3, 2, 9, 30, 0), absl::UTCTimeZone());

size_t Count(std::string_view text, std::string_view part) {
  size_t count = 0;
  for (size_t at = text.find(part); at != std::string_view::npos;
       at = text.find(part, at + part.size())) {
    ++count;
  }
  return count;
}

// Sets every field of `message`, down through nested messages, one element per repeated field:
// each string to the hostile text, each enum to its first named value, numbers to 1, flags on.
void FillEverything(Message& message, int depth = 0) {
  const google::protobuf::Descriptor& type = *message.GetDescriptor();
  const google::protobuf::Reflection& reflection = *message.GetReflection();
  if (type.full_name() == google::protobuf::Timestamp::descriptor()->full_name()) {
    static_cast<google::protobuf::Timestamp&>(message) = ToTimestamp(kExportTime);
    return;
  }
  for (int i = 0; i < type.field_count(); ++i) {
    const FieldDescriptor* field = type.field(i);
    const bool repeated = field->is_repeated();
    switch (field->cpp_type()) {
      case FieldDescriptor::CPPTYPE_STRING:
        repeated ? reflection.AddString(&message, field, std::string(kHostile))
                 : reflection.SetString(&message, field, std::string(kHostile));
        break;
      case FieldDescriptor::CPPTYPE_ENUM:
        repeated ? reflection.AddEnumValue(&message, field, 1)
                 : reflection.SetEnumValue(&message, field, 1);
        break;
      case FieldDescriptor::CPPTYPE_INT32:
        repeated ? reflection.AddInt32(&message, field, 1)
                 : reflection.SetInt32(&message, field, 1);
        break;
      case FieldDescriptor::CPPTYPE_BOOL:
        repeated ? reflection.AddBool(&message, field, true)
                 : reflection.SetBool(&message, field, true);
        break;
      case FieldDescriptor::CPPTYPE_MESSAGE:
        if (depth < 8) {
          FillEverything(repeated ? *reflection.AddMessage(&message, field)
                                  : *reflection.MutableMessage(&message, field),
                         depth + 1);
        }
        break;
      default:
        ADD_FAILURE() << "no filler for " << field->full_name();
    }
  }
}

v1::ClientRecordExport PlainExport() {
  v1::ClientRecordExport record_export;
  *record_export.mutable_export_time() = ToTimestamp(kExportTime);
  record_export.set_exported_by_user_id("sam");
  record_export.set_purpose(v1::EXPORT_PURPOSE_TRANSFER_OF_CARE);
  v1::Client* client = record_export.mutable_record()->mutable_client();
  client->set_id("client-jo");
  client->set_preferred_name("Jo");
  client->set_legal_family_name("Example");
  client->set_date_of_birth("1990-05-17");
  v1::CareTeamMember* sam = client->add_care_team();
  sam->set_user_id("sam");
  sam->set_display_name("Sam Therapist");
  return record_export;
}

v1::Note SignedNote(v1::NoteKind kind, std::string_view text) {
  v1::Note note;
  note.set_id(kind == v1::NOTE_KIND_PSYCHOTHERAPY ? "note-p" : "note-s");
  note.set_kind(kind);
  note.set_state(v1::NOTE_STATE_SIGNED);
  note.set_author_user_id("sam");
  note.mutable_session()->set_type(v1::SESSION_TYPE_PELVIC_FLOOR_PHYSIOTHERAPY);
  *note.mutable_session()->mutable_start_time() = ToTimestamp(kExportTime - absl::Hours(48));
  note.mutable_free_text()->set_text(std::string(text));
  note.mutable_signature()->set_user_id("sam");
  *note.mutable_signature()->mutable_time() = ToTimestamp(kExportTime - absl::Hours(47));
  note.mutable_signature()->set_content_hash(std::string(64, 'a'));
  return note;
}

// Whatever field a hostile text sits in (names, answers, plan and note text, addenda, ids,
// display names), it reaches the document only escaped: it can neither open a tag nor leave a
// quoted attribute.
TEST(RecordHtmlTest, EveryTextOfTheRecordIsEscapedWhereverItAppears) {
  v1::ClientRecordExport record_export;
  FillEverything(*record_export.mutable_record());
  record_export.clear_html();
  record_export.set_exported_by_user_id(std::string(kHostile));
  *record_export.mutable_export_time() = ToTimestamp(kExportTime);

  const std::string html = RenderRecordHtml(record_export);

  EXPECT_THAT(html, Not(HasSubstr("<script")));
  EXPECT_THAT(html, Not(HasSubstr("</script")));
  const size_t shown = Count(html, "alert(1)");
  EXPECT_GT(shown, 50u) << "the hostile text should appear in many places";
  EXPECT_EQ(Count(html, kHostileEscaped), shown) << "some text was not fully escaped";
}

TEST(RecordHtmlTest, HasNoScriptsLoadsNothingAndForbidsAllButInlineStyles) {
  v1::ClientRecordExport record_export = PlainExport();
  *record_export.mutable_record()->add_notes() = SignedNote(v1::NOTE_KIND_SESSION, "Went well.");

  const std::string html = RenderRecordHtml(record_export);

  EXPECT_TRUE(absl::StartsWith(html, "<!DOCTYPE html>\n<html lang=\"en\">"));
  EXPECT_THAT(html, HasSubstr("<meta http-equiv=\"Content-Security-Policy\" "
                              "content=\"default-src 'none'; style-src 'unsafe-inline';"));
  for (std::string_view loads : {"<script", "src=", "href=", "url(", "@import", "http://",
                                 "https://", "<link", "<img", "<iframe", "<object", "<form"}) {
    EXPECT_THAT(html, Not(HasSubstr(std::string(loads))));
  }
  EXPECT_TRUE(absl::EndsWith(html, "</html>\n"));
}

TEST(RecordHtmlTest, HasAHeadingForEverySection) {
  const std::string html = RenderRecordHtml(PlainExport());

  for (std::string_view heading :
       {"<h2>Client</h2>", "<h2>Intake</h2>", "<h2>Consents</h2>", "<h2>Measures</h2>",
        "<h2>Plans</h2>", "<h2>Milestones</h2>", "<h2>Session notes</h2>"}) {
    EXPECT_THAT(html, HasSubstr(std::string(heading)));
  }
  // Empty parts say so rather than vanish.
  EXPECT_THAT(html, HasSubstr("No intake on record."));
  EXPECT_THAT(html, HasSubstr("No signed session notes on record."));
}

TEST(RecordHtmlTest, HeaderStatesWhenByWhomWhyAndWhetherPsychotherapyNotesAreIn) {
  v1::ClientRecordExport record_export = PlainExport();

  const std::string without = RenderRecordHtml(record_export);
  record_export.set_includes_psychotherapy_notes(true);
  const std::string with = RenderRecordHtml(record_export);

  EXPECT_THAT(without, HasSubstr("<h1>Client record: Jo Example</h1>"));
  EXPECT_THAT(without, HasSubstr("<dt>Exported</dt><dd>2 March 2026, 09:30 UTC</dd>"));
  EXPECT_THAT(without, HasSubstr("<dt>Exported by</dt><dd>Sam Therapist (sam)</dd>"));
  EXPECT_THAT(without, HasSubstr("<dt>Purpose</dt><dd>Transfer of care</dd>"));
  EXPECT_THAT(without, HasSubstr("<dt>Psychotherapy notes</dt><dd>Not included</dd>"));
  EXPECT_THAT(with, HasSubstr("<dt>Psychotherapy notes</dt><dd>Included"));
  EXPECT_THAT(without, HasSubstr("<p class=\"notice\">Confidential health record."));
}

TEST(RecordHtmlTest, PsychotherapyNoteIsMarkedAsSuchAndASessionNoteIsNot) {
  v1::ClientRecordExport record_export = PlainExport();
  record_export.set_includes_psychotherapy_notes(true);
  *record_export.mutable_record()->add_notes() = SignedNote(v1::NOTE_KIND_SESSION, "Session.");
  *record_export.mutable_record()->add_notes() =
      SignedNote(v1::NOTE_KIND_PSYCHOTHERAPY, "Process notes.");

  const std::string html = RenderRecordHtml(record_export);

  EXPECT_EQ(Count(html, "<article class=\"note psychotherapy\">"), 1u);
  EXPECT_EQ(Count(html, "<article class=\"note\">"), 1u);
  EXPECT_THAT(html, HasSubstr("<h3>Psychotherapy note: Pelvic floor physiotherapy, "
                              "28 February 2026, 09:30 UTC</h3>"));
  EXPECT_THAT(html, HasSubstr("<h3>Session note: Pelvic floor physiotherapy, "));
  EXPECT_THAT(html, HasSubstr("<p class=\"psychotherapy-marker\">"));
  // The session note's section comes before the marker: the marker belongs to its own note.
  EXPECT_LT(html.find("Session."), html.find("<p class=\"psychotherapy-marker\">"));
  EXPECT_LT(html.find("<p class=\"psychotherapy-marker\">"), html.find("Process notes."));
}

TEST(RecordHtmlTest, NoteShowsItsSignatureContentHashAndAddenda) {
  v1::ClientRecordExport record_export = PlainExport();
  v1::Note note = SignedNote(v1::NOTE_KIND_SESSION, "Tolerated size 3.");
  v1::Addendum* addendum = note.add_addenda();
  addendum->set_text("Correction: size 2.");
  addendum->mutable_signature()->set_user_id("sam");
  *addendum->mutable_signature()->mutable_time() = ToTimestamp(kExportTime - absl::Hours(24));
  addendum->mutable_signature()->set_content_hash(std::string(64, 'b'));
  *record_export.mutable_record()->add_notes() = note;

  const std::string html = RenderRecordHtml(record_export);

  EXPECT_THAT(html, HasSubstr("Tolerated size 3."));
  EXPECT_THAT(html, HasSubstr("<h4>Signature</h4>\n<dl>\n<dt>Signed by</dt><dd>Sam Therapist "
                              "(sam)</dd>\n<dt>Signed</dt><dd>28 February 2026, 10:30 UTC</dd>"));
  EXPECT_THAT(html, HasSubstr(std::string(64, 'a')));
  EXPECT_THAT(html, HasSubstr("<h4>Addendum, 1 March 2026, 09:30 UTC</h4>"));
  EXPECT_THAT(html, HasSubstr("Correction: size 2."));
  EXPECT_THAT(html, HasSubstr(std::string(64, 'b')));
  EXPECT_LT(html.find("Tolerated size 3."), html.find("Correction: size 2."));
}

TEST(RecordHtmlTest, EnumValuesDatesAndFlagsReadAsWords) {
  v1::ClientRecordExport record_export = PlainExport();
  v1::Consent* consent = record_export.mutable_record()->add_consents();
  consent->set_kind(v1::CONSENT_KIND_INTERNAL_EXAMINATION);
  consent->set_state(v1::CONSENT_STATE_GIVEN);
  consent->set_recorded_by_role(v1::ROLE_PATIENT);
  v1::TherapyPlan* plan = record_export.mutable_record()->add_plan_versions();
  plan->set_title("Dilator ladder");
  plan->set_version(2);
  plan->add_goals()->set_target_date("2026-06-30");
  plan->mutable_goals(0)->set_status(v1::GOAL_STATUS_IN_PROGRESS);
  record_export.mutable_record()->mutable_client()->mutable_discreet_contact()->set_voicemail_ok(
      true);

  const std::string html = RenderRecordHtml(record_export);

  EXPECT_THAT(html, HasSubstr("<h3>Internal examination: Given</h3>"));
  EXPECT_THAT(html, HasSubstr("<dt>Recorded by role</dt><dd>Patient</dd>"));
  EXPECT_THAT(html, HasSubstr("<dt>Date of birth</dt><dd>17 May 1990</dd>"));
  EXPECT_THAT(html, HasSubstr("<dt>Target date</dt><dd>30 June 2026</dd>"));
  EXPECT_THAT(html, HasSubstr("<dt>Status</dt><dd>In progress</dd>"));
  EXPECT_THAT(html, HasSubstr("<h3>Dilator ladder, version 2</h3>"));
  EXPECT_THAT(html, HasSubstr("<dt>Voicemail ok</dt><dd>Yes</dd>"));
  // Update tokens mean nothing on paper.
  EXPECT_THAT(html, Not(HasSubstr("Etag")));
}

// A part that is present but holds nothing (an emptied emergency contact) gets no heading.
TEST(RecordHtmlTest, EmptyNestedPartsAreLeftOut) {
  v1::ClientRecordExport record_export = PlainExport();
  record_export.mutable_record()->mutable_client()->mutable_emergency_contact();

  const std::string html = RenderRecordHtml(record_export);

  EXPECT_THAT(html, Not(HasSubstr("Emergency contact")));
  EXPECT_THAT(html, Not(HasSubstr("<dd></dd>")));
}

}  // namespace
}  // namespace confide
