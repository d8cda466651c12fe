// Jo's demo home practice over the in-memory database and the real envelope cipher: the story
// docs/home-programmes.md tells (an ACTIVE programme at version 2, size 2 of 6, an accepted step
// up, five weeks of logs, two journal entries, one shared) is the one the data holds, and the
// ladder is one calm session away from suggesting size 3.

#include "services/demo/demo_programme.h"

#include <algorithm>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/common/timestamps.h"
#include "services/demo/demo_clinic.h"
#include "services/exercises/starter_exercises.h"
#include "services/journal/journal_store.h"
#include "services/programmes/local_day.h"
#include "services/programmes/programme_store.h"
#include "services/programmes/progression_rule.h"
#include "tests/fakes/clinical_test_support.h"
#include "tests/fakes/fake_id_generator.h"

namespace confide {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

// A Thursday afternoon in London.
const absl::Time kLoadTime =
    absl::FromCivil(absl::CivilSecond(2026, 11, 26, 15, 30, 0), absl::UTCTimeZone());

class DemoProgrammeTest : public EnvelopeCipherTest<FakeSecretGenerator> {
 protected:
  DemoProgrammeTest() : EnvelopeCipherTest(kLoadTime) {}

  void SetUp() override {
    FakeIdGenerator ids("exercises");
    ASSERT_TRUE(SeedStarterExercises(uow_, ids, kDemoClinicId, kLoadTime).ok());
    absl::Status loaded = LoadDemoHomeProgramme(uow_, cipher_, kLoadTime);
    ASSERT_TRUE(loaded.ok()) << loaded;
  }

  // The done dilator sessions at `size`, newest practice first.
  std::vector<PracticeLogRecord> DilatorSessionsAt(int size) {
    std::vector<PracticeLogRecord> out;
    for (const auto& [id, log] : uow_.state().practice_logs) {
      if (log.item_id == "practice" && log.dilator_size == size &&
          log.completion != v1::PRACTICE_COMPLETION_SKIPPED) {
        out.push_back(log);
      }
    }
    std::sort(out.begin(), out.end(),
              [](const auto& a, const auto& b) { return a.practiced_at > b.practiced_at; });
    return out;
  }
};

TEST_F(DemoProgrammeTest, JoHasAnActiveProgrammeAtSizeTwoAfterAnAcceptedStepUp) {
  absl::StatusOr<OpenedProgramme> programme =
      LoadProgramme(uow_, cipher_, kDemoClinicId, kDemoJoClientId, kDemoJoProgrammeId, 0);
  ASSERT_TRUE(programme.ok()) << programme.status();
  EXPECT_EQ(programme->record.status, v1::PROGRAMME_STATUS_ACTIVE);
  EXPECT_EQ(programme->programme.version(), 2);
  EXPECT_EQ(programme->programme.time_zone(), "Europe/London");
  std::vector<std::string> items;
  for (const v1::ProgrammeItem& item : programme->programme.items()) {
    items.push_back(item.id());
    EXPECT_EQ(item.exercise().id(), item.exercise_id());
    EXPECT_FALSE(item.exercise().patient_instructions().empty());
  }
  EXPECT_THAT(items, ElementsAre("breathing", "exercises", "practice", "notes"));
  const v1::DilatorPrescription& ladder = programme->programme.items(2).dilator();
  EXPECT_EQ(ladder.current_size(), 2);
  EXPECT_EQ(ladder.set().sizes_size(), 6);
  // Size 2 became current with version 2, 21 days before the load, at 09:00 London time.
  EXPECT_EQ(LocalDate(FromTimestamp(ladder.current_size_since()), absl::UTCTimeZone()),
            "2026-11-05");

  absl::StatusOr<OpenedProgramme> first =
      LoadProgramme(uow_, cipher_, kDemoClinicId, kDemoJoClientId, kDemoJoProgrammeId, 1);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->programme.items(2).dilator().current_size(), 1);
  const ProgressionSuggestionRecord& accepted =
      uow_.state().progression_suggestions.begin()->second;
  EXPECT_EQ(uow_.state().progression_suggestions.size(), 1u);
  EXPECT_EQ(accepted.status, v1::SUGGESTION_STATUS_ACCEPTED);
  EXPECT_EQ(accepted.from_size, 1);
  EXPECT_EQ(accepted.to_size, 2);
  EXPECT_EQ(accepted.accepted_version, 2);
  EXPECT_LT(accepted.create_time, *accepted.decide_time);
}

TEST_F(DemoProgrammeTest, LogsCoverFiveWeeksBeforeTodayWithTheVersionPractisedAgainst) {
  const absl::TimeZone london = *LoadProgrammeZone("Europe/London");
  const std::string today = LocalDate(kLoadTime, london);
  int with_feelings = 0;
  for (const auto& [id, log] : uow_.state().practice_logs) {
    EXPECT_LT(log.local_date, today) << id;
    EXPECT_GE(log.practiced_at, kLoadTime - absl::Hours(24 * 35)) << id;
    EXPECT_EQ(log.local_date, LocalDate(log.practiced_at, london)) << id;
    EXPECT_EQ(
        log.programme_version,
        log.practiced_at < absl::FromCivil(absl::CivilSecond(2026, 11, 5, 9, 0, 0), london) ? 1 : 2)
        << id;
    if (!log.feelings_sealed.empty()) {
      ++with_feelings;
      EXPECT_THAT(log.feelings_sealed, Not(HasSubstr("size")));
    }
  }
  EXPECT_GT(uow_.state().practice_logs.size(), 60u);
  EXPECT_GE(with_feelings, 4);
}

// The docs' worked example: 11 sessions at size 2, the last three at pain 4, 3, 3: no suggestion
// yet; one more calm session suggests size 3.
TEST_F(DemoProgrammeTest, LadderIsOneCalmSessionAwayFromSuggestingSizeThree) {
  absl::StatusOr<OpenedProgramme> programme =
      LoadProgramme(uow_, cipher_, kDemoClinicId, kDemoJoClientId, kDemoJoProgrammeId, 0);
  ASSERT_TRUE(programme.ok()) << programme.status();
  const v1::DilatorPrescription& ladder = programme->programme.items(2).dilator();
  LadderEvidence evidence{.current_size = 2, .largest_size = 6};
  for (const PracticeLogRecord& log : DilatorSessionsAt(2)) {
    EXPECT_GE(log.create_time, FromTimestamp(ladder.current_size_since()));
    ++evidence.sessions_at_size;
    evidence.latest.push_back({.pain = log.pain, .anxiety = log.anxiety});
  }
  ASSERT_EQ(evidence.sessions_at_size, 11);
  EXPECT_EQ(evidence.latest[0].pain, 3);
  EXPECT_EQ(evidence.latest[1].pain, 3);
  EXPECT_EQ(evidence.latest[2].pain, 4);
  EXPECT_EQ(EvaluateLadder(ladder.rule(), evidence), std::nullopt);

  evidence.sessions_at_size = 12;
  evidence.latest.insert(evidence.latest.begin(), SessionScore{.pain = 2, .anxiety = 2});
  std::optional<LadderStep> step = EvaluateLadder(ladder.rule(), evidence);
  ASSERT_TRUE(step.has_value());
  EXPECT_EQ(step->direction, v1::PROGRESSION_DIRECTION_STEP_UP);
  EXPECT_EQ(step->to_size, 3);
  EXPECT_EQ(DilatorSessionsAt(1).size(), 8u);
}

// Loaded on 10 April 2026, the five weeks span the clocks going forward in London (29 March):
// every session still happens at its hour on her clock, the DST day included.
const absl::Time kAprilLoadTime =
    absl::FromCivil(absl::CivilSecond(2026, 4, 10, 14, 30, 0), absl::UTCTimeZone());

class DemoProgrammeDstTest : public EnvelopeCipherTest<FakeSecretGenerator> {
 protected:
  DemoProgrammeDstTest() : EnvelopeCipherTest(kAprilLoadTime) {}
};

TEST_F(DemoProgrammeDstTest, SessionsKeepTheirLocalHourAcrossTheClockChange) {
  const absl::TimeZone london = *LoadProgrammeZone("Europe/London");
  FakeIdGenerator ids("exercises");
  ASSERT_TRUE(SeedStarterExercises(uow_, ids, kDemoClinicId, kAprilLoadTime).ok());
  absl::Status loaded = LoadDemoHomeProgramme(uow_, cipher_, kAprilLoadTime);
  ASSERT_TRUE(loaded.ok()) << loaded;

  bool spans_clock_change = false;
  for (const auto& [id, log] : uow_.state().practice_logs) {
    const absl::CivilSecond local = absl::ToCivilSecond(log.practiced_at, london);
    spans_clock_change = spans_clock_change || LocalDate(log.practiced_at, london) == "2026-03-29";
    const int expected_hour = log.item_id == "breathing"   ? 8
                              : log.item_id == "exercises" ? 19
                              : log.item_id == "practice"  ? 21
                                                           : 22;
    EXPECT_EQ(local.hour(), expected_hour) << id << " on " << LocalDate(log.practiced_at, london);
    EXPECT_EQ(local.minute(), 0) << id;
  }
  EXPECT_TRUE(spans_clock_change);
}

TEST_F(DemoProgrammeTest, JournalHasOneSharedAndOnePrivateEntrySealed) {
  ASSERT_EQ(uow_.state().journal_entries.size(), 2u);
  const JournalEntryRecord& shared = uow_.state().journal_entries.at(kDemoJoSharedJournalEntryId);
  const JournalEntryRecord& private_entry =
      uow_.state().journal_entries.at(kDemoJoPrivateJournalEntryId);
  EXPECT_TRUE(shared.shared_with_care_team);
  EXPECT_FALSE(private_entry.shared_with_care_team);
  EXPECT_FALSE(private_entry.shared_with_partner);
  EXPECT_THAT(shared.content_sealed, Not(HasSubstr("size 2")));
  absl::StatusOr<v1::JournalEntry> opened = OpenEntry(cipher_, uow_, shared);
  ASSERT_TRUE(opened.ok()) << opened.status();
  EXPECT_THAT(opened->text(), HasSubstr("size 2"));
  EXPECT_GE(shared.write_time, kLoadTime - absl::Hours(24 * 90));
}

}  // namespace
}  // namespace confide
