// The programme store that ProgrammeService, PracticeService (accepting a suggestion) and the
// demo share: versions sealed where they belong, a stale writer refused, and the dilator's size
// clock and pending suggestions kept in step with the prescription.

#include "services/programmes/programme_store.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/common/timestamps.h"
#include "services/programmes/ports/progression_suggestion_repository.h"
#include "tests/fakes/clinical_test_support.h"

namespace confide {
namespace {

constexpr char kClinic[] = "clinic-a";
constexpr char kJo[] = "00000000-0000-7000-8000-00000000f201";
constexpr char kRiley[] = "00000000-0000-7000-8000-00000000f202";
constexpr char kProgramme[] = "00000000-0000-7000-8000-00000000f301";
const absl::Time kStart =
    absl::FromCivil(absl::CivilSecond(2026, 3, 29, 0, 30, 0), absl::UTCTimeZone());

InMemoryDatabase Seeded() {
  InMemoryDatabase db;
  for (const char* id : {kJo, kRiley}) {
    ClientRecord client{.clinic_id = kClinic};
    client.client.set_id(id);
    db.clients.emplace(id, client);
  }
  return db;
}

v1::ProgrammeItem DilatorItem(const std::string& id, int size) {
  v1::ProgrammeItem item;
  item.set_id(id);
  item.set_exercise_id("00000000-0000-7000-8000-00000000f401");
  item.set_start_date("2026-03-29");
  v1::DilatorPrescription* d = item.mutable_dilator();
  for (int s = 1; s <= 4; ++s) {
    v1::DilatorSize* entry = d->mutable_set()->add_sizes();
    entry->set_size(s);
    entry->set_diameter_mm(10 + 5 * s);
  }
  d->set_current_size(size);
  d->set_minutes_per_session(10);
  d->set_sessions_per_week(3);
  return item;
}

class ProgrammeStoreTest : public ClinicalServiceTest {
 protected:
  ProgrammeStoreTest() : ClinicalServiceTest(kStart, Seeded(), kClinic, kJo) {}

  void SetUp() override {
    record_ = ProgrammeRecord{.id = kProgramme,
                              .clinic_id = kClinic,
                              .client_id = kJo,
                              .latest_version = 1,
                              .status = v1::PROGRAMME_STATUS_ACTIVE,
                              .revision = 1,
                              .time_zone = "Europe/London",
                              .create_time = kStart,
                              .created_by = "sam"};
    v1::Programme content;
    content.set_title("Ladder");
    content.set_time_zone("Europe/London");
    *content.add_items() = DilatorItem("a", 1);
    *content.mutable_items(0)->mutable_dilator()->mutable_current_size_since() =
        ToTimestamp(kStart);
    *content.add_items() = DilatorItem("b", 2);
    *content.mutable_items(1)->mutable_dilator()->mutable_current_size_since() =
        ToTimestamp(kStart);
    ASSERT_TRUE(uow_.programmes().Insert(record_, "").ok());
    ASSERT_TRUE(StoreProgrammeVersion(uow_, cipher_, record_, 1, content, "sam", kStart).ok());
  }

  OpenedProgramme Latest() {
    absl::StatusOr<OpenedProgramme> opened =
        LoadProgramme(uow_, cipher_, kClinic, kJo, kProgramme, 0);
    EXPECT_TRUE(opened.ok()) << opened.status();
    return opened.ok() ? *opened : OpenedProgramme{};
  }

  void AddPending(const std::string& id, const std::string& item_id, int from_size = 1,
                  int to_size = 2) {
    ASSERT_TRUE(uow_.progression_suggestions()
                    .Insert(ProgressionSuggestionRecord{.id = id,
                                                        .clinic_id = kClinic,
                                                        .client_id = kJo,
                                                        .programme_id = kProgramme,
                                                        .programme_version = 1,
                                                        .item_id = item_id,
                                                        .direction = 1,
                                                        .from_size = from_size,
                                                        .to_size = to_size,
                                                        .status = v1::SUGGESTION_STATUS_PENDING,
                                                        .create_time = kStart})
                    .ok());
  }

  int StatusOf(const std::string& suggestion_id) {
    return uow_.state().progression_suggestions.at(suggestion_id).status;
  }

  ProgrammeRecord record_;
};

TEST_F(ProgrammeStoreTest, LoadFillsTheOutputFieldsFromTheRow) {
  const OpenedProgramme opened = Latest();
  EXPECT_EQ(opened.programme.id(), kProgramme);
  EXPECT_EQ(opened.programme.client_id(), kJo);
  EXPECT_EQ(opened.programme.version(), 1);
  EXPECT_EQ(opened.programme.status(), v1::PROGRAMME_STATUS_ACTIVE);
  EXPECT_EQ(opened.programme.author_user_id(), "sam");
  EXPECT_EQ(opened.programme.etag(), ProgrammeEtag(opened.record));
  EXPECT_EQ(opened.programme.title(), "Ladder");
  EXPECT_EQ(ProgrammeResource(kJo, kProgramme),
            std::string("clients/") + kJo + "/programmes/" + kProgramme);
}

TEST_F(ProgrammeStoreTest, AnythingButTheClientsOwnProgrammeIsNotFound) {
  EXPECT_EQ(LoadProgramme(uow_, cipher_, kClinic, kRiley, kProgramme, 0).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(LoadProgramme(uow_, cipher_, "clinic-b", kJo, kProgramme, 0).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(LoadProgramme(uow_, cipher_, kClinic, kJo, "not-an-id", 0).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(LoadProgramme(uow_, cipher_, kClinic, kJo, kProgramme, 2).status().code(),
            absl::StatusCode::kNotFound);
}

// The sealed content is bound to its programme and version: copied elsewhere it does not open.
TEST_F(ProgrammeStoreTest, SealedVersionDoesNotOpenAsAnotherVersion) {
  ProgrammeVersionRecord moved = uow_.state().programme_versions.at({kProgramme, 1});
  moved.version = 2;
  ASSERT_TRUE(uow_.programmes().InsertVersion(moved).ok());
  EXPECT_EQ(LoadProgramme(uow_, cipher_, kClinic, kJo, kProgramme, 2).status().code(),
            absl::StatusCode::kDataLoss);
}

TEST_F(ProgrammeStoreTest, NextVersionMovesTheRevisionAndRefusesAStaleWriter) {
  const OpenedProgramme current = Latest();
  v1::Programme content = current.programme;
  content.set_title("Second");

  absl::StatusOr<OpenedProgramme> next =
      WriteNextVersion(uow_, cipher_, current, content, "alex", kStart + absl::Hours(1));

  ASSERT_TRUE(next.ok()) << next.status();
  EXPECT_EQ(next->programme.version(), 2);
  EXPECT_EQ(next->record.revision, 2);
  EXPECT_EQ(next->programme.author_user_id(), "alex");
  EXPECT_NE(next->programme.etag(), current.programme.etag());
  EXPECT_EQ(Latest().programme.SerializeAsString(), next->programme.SerializeAsString());
  EXPECT_EQ(WriteNextVersion(uow_, cipher_, current, content, "sam", kStart + absl::Hours(2))
                .status()
                .code(),
            absl::StatusCode::kAborted);
  EXPECT_EQ(uow_.state().programme_versions.size(), 2u);
}

// The clock of a size is the version that made it current; a resize (or removing the item)
// makes a pending suggestion for it moot, while other items' suggestions stay.
TEST_F(ProgrammeStoreTest, SizeClockAndPendingSuggestionsFollowTheSizes) {
  AddPending("for-a", "a");
  AddPending("for-b", "b");
  const OpenedProgramme current = Latest();
  v1::Programme content = current.programme;
  content.mutable_items(0)->mutable_dilator()->set_current_size(2);
  const absl::Time later = kStart + absl::Hours(30);

  absl::StatusOr<OpenedProgramme> resized =
      WriteNextVersion(uow_, cipher_, current, content, "alex", later);

  ASSERT_TRUE(resized.ok()) << resized.status();
  EXPECT_EQ(FromTimestamp(resized->programme.items(0).dilator().current_size_since()), later);
  EXPECT_EQ(FromTimestamp(resized->programme.items(1).dilator().current_size_since()), kStart);
  EXPECT_EQ(StatusOf("for-a"), v1::SUGGESTION_STATUS_SUPERSEDED);
  EXPECT_EQ(StatusOf("for-b"), v1::SUGGESTION_STATUS_PENDING);

  v1::Programme without_b = resized->programme;
  without_b.mutable_items()->RemoveLast();
  ASSERT_TRUE(WriteNextVersion(uow_, cipher_, *resized, without_b, "alex", later).ok());
  EXPECT_EQ(StatusOf("for-b"), v1::SUGGESTION_STATUS_SUPERSEDED);
}

TEST_F(ProgrammeStoreTest, AnEndedProgrammeGetsNoNewVersion) {
  OpenedProgramme current = Latest();
  current.record.status = v1::PROGRAMME_STATUS_ENDED;
  EXPECT_EQ(
      WriteNextVersion(uow_, cipher_, current, current.programme, "alex", kStart).status().code(),
      absl::StatusCode::kFailedPrecondition);
}

TEST_F(ProgrammeStoreTest, PatientViewHasNoClinicianNotesOrContraindications) {
  v1::Programme programme = Latest().programme;
  programme.mutable_items(0)->mutable_exercise()->set_clinician_notes("notes");
  programme.mutable_items(0)->mutable_exercise()->add_contraindications("c");
  programme.mutable_items(0)->mutable_exercise()->set_patient_instructions("Go gently");
  const v1::Programme seen = ProgrammeForPatient(programme);
  EXPECT_TRUE(seen.items(0).exercise().clinician_notes().empty());
  EXPECT_EQ(seen.items(0).exercise().contraindications_size(), 0);
  EXPECT_EQ(seen.items(0).exercise().patient_instructions(), "Go gently");
}

// A version the programme does not have answers exactly as a made-up programme does.
TEST_F(ProgrammeStoreTest, AMissingVersionAnswersExactlyAsAMadeUpProgramme) {
  const absl::Status made_up =
      LoadProgramme(uow_, cipher_, kClinic, kJo, "00000000-0000-7000-8000-00000000ffff", 0)
          .status();
  EXPECT_EQ(made_up.code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(LoadProgramme(uow_, cipher_, kClinic, kJo, kProgramme, 7).status(), made_up);
}

// Fewer sizes in her set at the same current size: a step up to a size she no longer has is
// moot (it could never be accepted, and one PENDING per item would block the ladder); a step
// that is still possible waits for the care team.
TEST_F(ProgrammeStoreTest, ShrinkingTheSetSupersedesAStepUpToASizeNoLongerInIt) {
  AddPending("a-up", "a", 1, 2);
  AddPending("b-up", "b", 2, 3);
  const OpenedProgramme current = Latest();
  v1::Programme content = current.programme;
  for (int i : {0, 1}) {
    // Sizes 1..2 only: a's step to 2 is still possible, b's step to 3 is not.
    content.mutable_items(i)->mutable_dilator()->mutable_set()->mutable_sizes()->DeleteSubrange(2,
                                                                                                2);
  }

  ASSERT_TRUE(
      WriteNextVersion(uow_, cipher_, current, content, "alex", kStart + absl::Hours(1)).ok());

  EXPECT_EQ(StatusOf("a-up"), v1::SUGGESTION_STATUS_PENDING);
  EXPECT_EQ(StatusOf("b-up"), v1::SUGGESTION_STATUS_SUPERSEDED);
}

}  // namespace
}  // namespace confide
