// RecordExportService over the in-memory database with the real envelope cipher, called as the
// pipeline calls it (access already decided: authorization_matrix_test.cc): the export holds the
// whole record, read to the end of every list; only signed notes, psychotherapy notes only on
// request and only those the caller may read; of her journal only what she shares with her care
// team; the purpose is required; the audit event names the record by ids only.

#include "services/records/record_export_service.h"

#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/assessments/assessment_service.h"
#include "services/common/timestamps.h"
#include "services/consents/consent_service.h"
#include "services/intake/intake_service.h"
#include "services/journal/journal_store.h"
#include "services/notes/note_content.h"
#include "services/notes/note_store.h"
#include "services/plans/milestone_service.h"
#include "services/plans/plan_service.h"
#include "services/programmes/practice_log_store.h"
#include "services/programmes/programme_store.h"
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
constexpr char kOtherClinicClient[] = "00000000-0000-7000-8000-00000000c009";

Principal Clinician(const std::string& user_id) {
  Principal who = ClinicianPrincipal(kClinic);
  who.user_id = user_id;
  return who;
}

struct SeededNote {
  v1::NoteKind kind = v1::NOTE_KIND_SESSION;
  v1::NoteState state = v1::NOTE_STATE_SIGNED;
  std::string author = "sam";
  // Hours before the test's start.
  int hours_ago = 24;
  std::string text;
  std::vector<std::string> readers;
};

class RecordExportServiceTest : public ClinicalServiceTest {
 protected:
  RecordExportServiceTest()
      : ClinicalServiceTest(absl::FromUnixSeconds(1'800'000'000), Seeded(), kClinic, kJo),
        service_(cipher_, random_) {}

  // Jo, treated by Sam and Alex; and a client of another clinic.
  static InMemoryDatabase Seeded() {
    InMemoryDatabase db;
    ClientRecord jo{.clinic_id = kClinic};
    jo.client.set_id(kJo);
    jo.client.set_preferred_name("Jo");
    jo.client.set_legal_family_name("Example");
    jo.client.set_status(v1::CLIENT_STATUS_ACTIVE);
    for (const auto& [id, name] :
         {std::pair{"sam", "Sam Therapist"}, std::pair{"alex", "Alex Physio"}}) {
      v1::CareTeamMember* member = jo.client.add_care_team();
      member->set_user_id(id);
      member->set_display_name(name);
    }
    db.clients.emplace(kJo, jo);
    ClientRecord other{.clinic_id = "clinic-b"};
    other.client.set_id(kOtherClinicClient);
    db.clients.emplace(kOtherClinicClient, other);
    return db;
  }

  absl::StatusOr<v1::ClientRecordExport> Export(const Principal& who, bool psychotherapy = false,
                                                const std::string& client_id = kJo) {
    v1::ExportClientRecordRequest request;
    request.set_client_id(client_id);
    request.set_purpose(v1::EXPORT_PURPOSE_TRANSFER_OF_CARE);
    request.set_include_psychotherapy_notes(psychotherapy);
    return As(who, client_id, [&](RequestScope& s) { return service_.Export(request, s); });
  }

  // A note stored as the note service stores it: content sealed and, once signed, hashed.
  std::string SeedNote(const SeededNote& seed) {
    const absl::Time start = clock_.Now() - absl::Hours(seed.hours_ago);
    NoteRecord record{.id = note_ids_.NewId(),
                      .clinic_id = kClinic,
                      .client_id = kJo,
                      .kind = seed.kind,
                      .state = seed.state,
                      .author_user_id = seed.author,
                      .session_start_time = start,
                      .duration_minutes = 50,
                      .modality = v1::SESSION_MODALITY_IN_PERSON,
                      .session_type = v1::SESSION_TYPE_THERAPY,
                      .create_time = start,
                      .update_time = start};
    record.reader_user_ids = seed.readers;
    v1::Note content;
    content.mutable_free_text()->set_text(seed.text);
    if (seed.state != v1::NOTE_STATE_DISCARDED) {
      absl::Status sealed = As(Clinician(seed.author), kJo, [&](RequestScope& s) {
        return SealNote(cipher_, s, content, record);
      });
      EXPECT_TRUE(sealed.ok()) << sealed;
    }
    if (seed.state == v1::NOTE_STATE_SIGNED) {
      record.signed_by_user_id = seed.author;
      record.sign_time = start + absl::Hours(1);
      record.content_hash = NoteContentHash(random_, NoteOf(record, content));
    }
    EXPECT_TRUE(uow_.notes().Insert(record, "").ok());
    return record.id;
  }

  void SeedAddendum(const std::string& note_id, const std::string& text) {
    AddendumRecord record{.id = note_ids_.NewId(),
                          .note_id = note_id,
                          .clinic_id = kClinic,
                          .client_id = kJo,
                          .author_user_id = "sam",
                          .create_time = clock_.Now()};
    absl::Status sealed = As(Clinician("sam"), kJo, [&](RequestScope& s) {
      return SealAddendumText(cipher_, s, text, record);
    });
    ASSERT_TRUE(sealed.ok()) << sealed;
    record.content_hash = AddendumContentHash(random_, note_id, record.id, record.author_user_id,
                                              record.create_time, text);
    ASSERT_TRUE(uow_.notes().InsertAddendum(record, "").ok());
  }

  static std::vector<std::string> TextsOf(const v1::ClientRecord& record) {
    std::vector<std::string> texts;
    for (const v1::Note& note : record.notes()) {
      texts.push_back(note.free_text().text());
    }
    return texts;
  }

  FakeIdGenerator ids_{"records"};
  FakeIdGenerator note_ids_{"notes"};
  RecordExportService service_;
};

TEST(ValidateExportClientRecordTest, PurposeIsRequired) {
  v1::ExportClientRecordRequest request;
  request.set_client_id(kJo);

  const absl::Status missing = ValidateExportClientRecord(request);
  request.set_purpose(static_cast<v1::ExportPurpose>(99));
  const absl::Status unknown = ValidateExportClientRecord(request);
  request.set_purpose(v1::EXPORT_PURPOSE_PATIENT_ACCESS_REQUEST);
  const absl::Status given = ValidateExportClientRecord(request);

  EXPECT_EQ(missing.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(missing.message(), HasSubstr("purpose"));
  EXPECT_EQ(unknown.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(unknown.message(), HasSubstr("purpose"));
  EXPECT_TRUE(given.ok()) << given;
}

TEST(ValidateExportClientRecordTest, ClientIdIsRequired) {
  v1::ExportClientRecordRequest request;
  request.set_purpose(v1::EXPORT_PURPOSE_LEGAL_REQUEST);

  const absl::Status status = ValidateExportClientRecord(request);

  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("client_id"));
}

// Everything the care team recorded through the other services is in the export, as they read
// it; the audit event names the record by ids only.
TEST_F(RecordExportServiceTest, HoldsEveryPartOfTheRecordAsTheCareTeamReadsIt) {
  const Principal sam = Clinician("sam");
  IntakeService intake(cipher_);
  v1::UpdateIntakeRequest answers;
  answers.mutable_intake()->set_client_id(kJo);
  answers.mutable_intake()->set_etag("v0");
  answers.mutable_intake()->set_hopes("To feel at ease");
  answers.mutable_update_mask()->add_paths("hopes");
  ASSERT_TRUE(As(sam, kJo, [&](RequestScope& s) { return intake.Update(answers, s); }).ok());
  ConsentService consents(ids_);
  v1::RecordConsentRequest consent;
  consent.set_client_id(kJo);
  consent.set_kind(v1::CONSENT_KIND_TREATMENT);
  consent.set_text_version("2026-01");
  ASSERT_TRUE(As(sam, kJo, [&](RequestScope& s) { return consents.Record(consent, s); }).ok());
  AssessmentService assessments(ids_, cipher_);
  v1::SubmitAssessmentRequest submit;
  submit.set_client_id(kJo);
  submit.set_instrument_id("pain-nrs-dilator");
  v1::Answer* answer = submit.add_answers();
  answer->set_item_id("pain-nrs-dilator.1");
  answer->set_value(4);
  absl::StatusOr<v1::Assessment> submitted =
      As(sam, kJo, [&](RequestScope& s) { return assessments.Submit(submit, s); });
  ASSERT_TRUE(submitted.ok()) << submitted.status();
  PlanService plans(cipher_, ids_);
  v1::CreatePlanRequest create;
  create.set_client_id(kJo);
  create.mutable_plan()->set_title("Dilator ladder");
  create.mutable_plan()->set_patient_summary("Step by step");
  absl::StatusOr<v1::TherapyPlan> plan =
      As(sam, kJo, [&](RequestScope& s) { return plans.Create(create, s); });
  ASSERT_TRUE(plan.ok()) << plan.status();
  v1::UpdatePlanRequest update;
  *update.mutable_plan() = *plan;
  update.mutable_plan()->set_title("Dilator ladder, revised");
  update.mutable_update_mask()->add_paths("title");
  ASSERT_TRUE(As(sam, kJo, [&](RequestScope& s) { return plans.Update(update, s); }).ok());
  MilestoneService milestones(cipher_, ids_);
  v1::RecordMilestoneRequest milestone;
  milestone.set_client_id(kJo);
  milestone.mutable_milestone()->set_title("First size 2");
  milestone.mutable_milestone()->set_achieved_date("2027-01-10");
  ASSERT_TRUE(As(sam, kJo, [&](RequestScope& s) { return milestones.Record(milestone, s); }).ok());
  SeedNote({.text = "Session went well."});

  absl::StatusOr<v1::ClientRecordExport> exported = Export(sam);

  ASSERT_TRUE(exported.ok()) << exported.status();
  EXPECT_EQ(last_resource_, absl::StrCat("clients/", kJo, "/record"));
  const v1::ClientRecord& record = exported->record();
  EXPECT_EQ(record.client().id(), kJo);
  EXPECT_EQ(record.intake().hopes(), "To feel at ease");
  ASSERT_EQ(record.consents_size(), 1);
  EXPECT_EQ(record.consents(0).kind(), v1::CONSENT_KIND_TREATMENT);
  ASSERT_EQ(record.assessments_size(), 1);
  EXPECT_EQ(record.assessments(0).id(), submitted->id());
  EXPECT_EQ(record.assessments(0).answers(0).value(), 4);
  EXPECT_FALSE(record.assessments(0).score().total().empty());
  ASSERT_EQ(record.plan_versions_size(), 2);
  EXPECT_EQ(record.plan_versions(0).version(), 2);
  EXPECT_EQ(record.plan_versions(0).title(), "Dilator ladder, revised");
  EXPECT_EQ(record.plan_versions(1).title(), "Dilator ladder");
  ASSERT_EQ(record.milestones_size(), 1);
  EXPECT_EQ(record.milestones(0).title(), "First size 2");
  EXPECT_THAT(TextsOf(record), ElementsAre("Session went well."));
  EXPECT_EQ(exported->exported_by_user_id(), "sam");
  EXPECT_EQ(exported->purpose(), v1::EXPORT_PURPOSE_TRANSFER_OF_CARE);
  EXPECT_FALSE(exported->includes_psychotherapy_notes());
  EXPECT_GT(exported->export_time().seconds(), 0);
  EXPECT_THAT(exported->html(), HasSubstr("<h1>Client record: Jo Example</h1>"));
  EXPECT_THAT(exported->html(), HasSubstr("Dilator ladder, revised"));
  EXPECT_THAT(exported->html(), HasSubstr("Session went well."));
  EXPECT_THAT(exported->html(), HasSubstr("Sam Therapist (sam)"));
}

TEST_F(RecordExportServiceTest, RecordWithNothingYetHoldsTheClientOnly) {
  absl::StatusOr<v1::ClientRecordExport> exported = Export(Clinician("sam"));

  ASSERT_TRUE(exported.ok()) << exported.status();
  EXPECT_EQ(exported->record().client().id(), kJo);
  EXPECT_FALSE(exported->record().has_intake());
  EXPECT_THAT(exported->record().notes(), IsEmpty());
  EXPECT_THAT(exported->html(), HasSubstr("No intake on record."));
}

TEST_F(RecordExportServiceTest, ClientOfAnotherClinicIsNotFound) {
  EXPECT_EQ(Export(Clinician("sam"), false, kOtherClinicClient).status().code(),
            absl::StatusCode::kNotFound);
}

// Only signed notes are part of the record: a draft is unfinished, a discarded one never was.
TEST_F(RecordExportServiceTest, DraftsAndDiscardedNotesAreNeverExported) {
  SeedNote({.state = v1::NOTE_STATE_DRAFT, .text = "sam draft"});
  SeedNote({.state = v1::NOTE_STATE_DISCARDED, .text = ""});
  SeedNote({.text = "signed"});

  absl::StatusOr<v1::ClientRecordExport> exported = Export(Clinician("sam"), true);

  ASSERT_TRUE(exported.ok()) << exported.status();
  EXPECT_THAT(TextsOf(exported->record()), ElementsAre("signed"));
}

TEST_F(RecordExportServiceTest, NotesRunFromTheOldestSessionWithTheirAddenda) {
  const std::string newer = SeedNote({.author = "alex", .hours_ago = 2, .text = "newer"});
  SeedNote({.hours_ago = 48, .text = "older"});
  SeedAddendum(newer, "later information");

  absl::StatusOr<v1::ClientRecordExport> exported = Export(Clinician("sam"));

  ASSERT_TRUE(exported.ok()) << exported.status();
  EXPECT_THAT(TextsOf(exported->record()), ElementsAre("older", "newer"));
  ASSERT_EQ(exported->record().notes(1).addenda_size(), 1);
  EXPECT_EQ(exported->record().notes(1).addenda(0).text(), "later information");
  EXPECT_FALSE(exported->record().notes(0).signature().content_hash().empty());
  EXPECT_THAT(exported->html(), HasSubstr("later information"));
}

// Psychotherapy notes stay out unless asked for, and then only those the exporting clinician
// wrote or was given: Alex never exports Sam's unshared process notes.
TEST_F(RecordExportServiceTest, PsychotherapyNotesOnlyOnRequestAndOnlyThoseTheCallerMayRead) {
  SeedNote({.hours_ago = 30, .text = "session"});
  SeedNote({.kind = v1::NOTE_KIND_PSYCHOTHERAPY, .hours_ago = 20, .text = "sam private"});
  SeedNote({.kind = v1::NOTE_KIND_PSYCHOTHERAPY,
            .hours_ago = 10,
            .text = "sam shared with alex",
            .readers = {"alex"}});
  SeedNote({.kind = v1::NOTE_KIND_PSYCHOTHERAPY,
            .author = "alex",
            .hours_ago = 5,
            .text = "alex private"});

  absl::StatusOr<v1::ClientRecordExport> sam_default = Export(Clinician("sam"));
  absl::StatusOr<v1::ClientRecordExport> sam_with = Export(Clinician("sam"), true);
  absl::StatusOr<v1::ClientRecordExport> alex_with = Export(Clinician("alex"), true);

  ASSERT_TRUE(sam_default.ok() && sam_with.ok() && alex_with.ok());
  EXPECT_THAT(TextsOf(sam_default->record()), ElementsAre("session"));
  EXPECT_THAT(sam_default->html(), Not(HasSubstr("sam private")));
  EXPECT_THAT(TextsOf(sam_with->record()),
              ElementsAre("session", "sam private", "sam shared with alex"));
  EXPECT_TRUE(sam_with->includes_psychotherapy_notes());
  EXPECT_THAT(TextsOf(alex_with->record()),
              ElementsAre("session", "sam shared with alex", "alex private"));
  EXPECT_THAT(alex_with->html(), Not(HasSubstr("sam private")));
}

// A signed note whose stored content no longer matches its hash is not exported as if it were
// the signed record: the export fails.
TEST_F(RecordExportServiceTest, TamperedSignedNoteFailsTheExport) {
  const std::string id = SeedNote({.text = "original"});
  uow_.state().notes.at(id).content_hash = std::string(64, '0');

  EXPECT_EQ(Export(Clinician("sam")).status().code(), absl::StatusCode::kDataLoss);
}

// Her home programmes (every version, with the exercise snapshot's clinician notes), every
// practice log with her feelings, the ladder's suggestions and the journal entries she shares
// with her care team are in the export; her private entries are not, not even in the HTML.
TEST_F(RecordExportServiceTest, HoldsHomeProgrammesPracticeAndOnlyTheSharedJournal) {
  const Principal sam = Clinician("sam");
  const std::string programme_id = ids_.NewId();
  ProgrammeRecord programme{.id = programme_id,
                            .clinic_id = kClinic,
                            .client_id = kJo,
                            .latest_version = 2,
                            .status = v1::PROGRAMME_STATUS_ACTIVE,
                            .revision = 3,
                            .time_zone = "Europe/London",
                            .create_time = clock_.Now(),
                            .created_by = "alex"};
  ASSERT_TRUE(uow_.programmes().Insert(programme, "").ok());
  for (int version = 1; version <= 2; ++version) {
    v1::Programme content;
    content.set_title(absl::StrCat("Ladder <v", version, ">"));
    content.set_time_zone("Europe/London");
    v1::ProgrammeItem* item = content.add_items();
    item->set_id("dilator");
    item->mutable_exercise()->set_title("Dilator practice");
    item->mutable_exercise()->set_clinician_notes("Watch for guarding");
    item->mutable_dilator()->set_current_size(version);
    ASSERT_TRUE(
        StoreProgrammeVersion(uow_, cipher_, programme, version, content, "alex", clock_.Now())
            .ok());
  }
  for (int n = 1; n <= 2; ++n) {
    PracticeLogRecord log{.id = absl::StrCat("log-", n),
                          .clinic_id = kClinic,
                          .client_id = kJo,
                          .programme_id = programme_id,
                          .programme_version = 2,
                          .item_id = "dilator",
                          .practiced_at = clock_.Now() - absl::Hours(48 - n),
                          .local_date = absl::StrCat("2027-01-0", n),
                          .duration_minutes = 10,
                          .completion = v1::PRACTICE_COMPLETION_FULLY,
                          .dilator_size = 2,
                          .pain = 3 + n,
                          .anxiety = 2,
                          .recorded_by_user_id = "jo-user",
                          .create_time = clock_.Now(),
                          .request_id = absl::StrCat("req-", n)};
    absl::StatusOr<std::string> feelings =
        SealFeelings(cipher_, uow_, kClinic, kJo, log.id, absl::StrCat("Felt <calmer> ", n));
    ASSERT_TRUE(feelings.ok()) << feelings.status();
    log.feelings_sealed = *feelings;
    ASSERT_TRUE(uow_.practice_logs().Insert(log).ok());
  }
  ASSERT_TRUE(
      uow_.progression_suggestions()
          .Insert(ProgressionSuggestionRecord{.id = "suggestion-1",
                                              .clinic_id = kClinic,
                                              .client_id = kJo,
                                              .programme_id = programme_id,
                                              .programme_version = 2,
                                              .item_id = "dilator",
                                              .direction = v1::PROGRESSION_DIRECTION_STEP_UP,
                                              .from_size = 2,
                                              .to_size = 3,
                                              .window_max_pain = 5,
                                              .practice_log_id = "log-2",
                                              .status = v1::SUGGESTION_STATUS_PENDING,
                                              .create_time = clock_.Now()})
          .ok());
  for (const auto& [id, text, shared] :
       {std::tuple{"entry-private", "marker private words", false},
        std::tuple{"entry-shared", "marker shared <words>", true}}) {
    v1::JournalEntry entry;
    entry.set_id(id);
    entry.set_client_id(kJo);
    entry.set_text(text);
    entry.set_shared_with_care_team(shared);
    entry.set_shared_with_partner(true);
    *entry.mutable_write_time() = ToTimestamp(clock_.Now());
    absl::StatusOr<JournalEntryRecord> sealed =
        SealNewEntry(cipher_, uow_, kClinic, entry, "", clock_.Now());
    ASSERT_TRUE(sealed.ok()) << sealed.status();
    ASSERT_TRUE(uow_.journal().Insert(*sealed).ok());
  }

  absl::StatusOr<v1::ClientRecordExport> exported = Export(sam);

  ASSERT_TRUE(exported.ok()) << exported.status();
  const v1::ClientRecord& record = exported->record();
  ASSERT_EQ(record.programme_versions_size(), 2);
  EXPECT_EQ(record.programme_versions(0).version(), 2);
  EXPECT_EQ(record.programme_versions(1).title(), "Ladder <v1>");
  EXPECT_EQ(record.programme_versions(0).items(0).exercise().clinician_notes(),
            "Watch for guarding");
  ASSERT_EQ(record.practice_logs_size(), 2);
  EXPECT_EQ(record.practice_logs(0).id(), "log-2");
  EXPECT_EQ(record.practice_logs(0).pain(), 5);
  EXPECT_EQ(record.practice_logs(0).feelings(), "Felt <calmer> 2");
  EXPECT_EQ(record.practice_logs(1).feelings(), "Felt <calmer> 1");
  ASSERT_EQ(record.progression_suggestions_size(), 1);
  EXPECT_EQ(record.progression_suggestions(0).to_size(), 3);
  ASSERT_EQ(record.journal_entries_size(), 1);
  EXPECT_EQ(record.journal_entries(0).text(), "marker shared <words>");
  // As any reader but her sees it: not whom else she shares it with, no etag.
  EXPECT_FALSE(record.journal_entries(0).shared_with_partner());
  EXPECT_EQ(record.journal_entries(0).etag(), "");
  const std::string& html = exported->html();
  EXPECT_THAT(html, HasSubstr("<h2>Home programmes</h2>"));
  EXPECT_THAT(html, HasSubstr("Ladder &lt;v1&gt;, version 1 (Active)"));
  EXPECT_THAT(html, HasSubstr("<h3>2 January 2027: Dilator practice, Fully</h3>"));
  EXPECT_THAT(html, HasSubstr("Felt &lt;calmer&gt; 2"));
  EXPECT_THAT(html, HasSubstr("Step up from size 2 to size 3: Pending"));
  EXPECT_THAT(html, HasSubstr("marker shared &lt;words&gt;"));
  EXPECT_THAT(html, Not(HasSubstr("<calmer>")));
  EXPECT_THAT(exported->DebugString(), Not(HasSubstr("marker private words")));
}

TEST_F(RecordExportServiceTest, RecordWithoutHomeProgrammesSaysSo) {
  absl::StatusOr<v1::ClientRecordExport> exported = Export(Clinician("sam"));

  ASSERT_TRUE(exported.ok()) << exported.status();
  EXPECT_THAT(exported->html(), HasSubstr("No home programmes on record."));
  EXPECT_THAT(exported->html(), HasSubstr("No practice sessions on record."));
  EXPECT_THAT(exported->html(), HasSubstr("No shared journal entries on record."));
}

// Lists are read page after page to the end: nothing is silently cut off.
TEST_F(RecordExportServiceTest, LongListsAreExportedInFull) {
  constexpr int kNotes = 450;
  for (int i = 0; i < kNotes; ++i) {
    SeedNote({.hours_ago = kNotes + 10 - i, .text = absl::StrCat("note ", i)});
  }
  MilestoneService milestones(cipher_, ids_);
  constexpr int kMilestones = 230;
  for (int i = 0; i < kMilestones; ++i) {
    v1::RecordMilestoneRequest milestone;
    milestone.set_client_id(kJo);
    milestone.mutable_milestone()->set_title(absl::StrCat("milestone ", i));
    milestone.mutable_milestone()->set_achieved_date("2027-01-10");
    ASSERT_TRUE(As(Clinician("sam"), kJo, [&](RequestScope& s) {
                  return milestones.Record(milestone, s);
                }).ok());
  }

  // Logs and journal entries page on (time, id): many at one time must not stop the paging.
  constexpr int kLogs = 430;
  for (int i = 0; i < kLogs; ++i) {
    ASSERT_TRUE(uow_.practice_logs()
                    .Insert(PracticeLogRecord{.id = absl::StrCat("log-", 1000 + i),
                                              .clinic_id = kClinic,
                                              .client_id = kJo,
                                              .programme_id = "programme",
                                              .item_id = "breathing",
                                              .practiced_at = clock_.Now() - absl::Hours(i % 3),
                                              .completion = v1::PRACTICE_COMPLETION_SKIPPED,
                                              .request_id = absl::StrCat("req-", i)})
                    .ok());
  }
  constexpr int kEntries = 210;
  for (int i = 0; i < kEntries; ++i) {
    v1::JournalEntry entry;
    entry.set_id(absl::StrCat("entry-", 1000 + i));
    entry.set_client_id(kJo);
    entry.set_text(absl::StrCat("entry ", i));
    entry.set_shared_with_care_team(true);
    *entry.mutable_write_time() = ToTimestamp(clock_.Now() - absl::Hours(i % 2));
    absl::StatusOr<JournalEntryRecord> sealed =
        SealNewEntry(cipher_, uow_, kClinic, entry, "", clock_.Now());
    ASSERT_TRUE(sealed.ok()) << sealed.status();
    ASSERT_TRUE(uow_.journal().Insert(*sealed).ok());
  }

  absl::StatusOr<v1::ClientRecordExport> exported = Export(Clinician("sam"));

  ASSERT_TRUE(exported.ok()) << exported.status();
  EXPECT_EQ(exported->record().practice_logs_size(), kLogs);
  EXPECT_EQ(exported->record().journal_entries_size(), kEntries);
  const std::vector<std::string> texts = TextsOf(exported->record());
  ASSERT_EQ(texts.size(), static_cast<size_t>(kNotes));
  for (int i = 0; i < kNotes; ++i) {
    EXPECT_EQ(texts[i], absl::StrCat("note ", i));
  }
  EXPECT_EQ(exported->record().milestones_size(), kMilestones);
}

}  // namespace
}  // namespace confide
