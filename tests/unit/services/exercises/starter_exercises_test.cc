// The starter set every clinic begins with, and seeding it: once per clinic, never touching
// what a clinic already has or has edited.

#include "services/exercises/starter_exercises.h"

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/exercises/exercise_service.h"
#include "services/exercises/exercise_store.h"
#include "services/exercises/exercise_validation.h"
#include "tests/fakes/fake_id_generator.h"
#include "tests/fakes/in_memory_unit_of_work.h"

namespace confide {
namespace {

constexpr char kClinic[] = "clinic-a";
constexpr char kOtherClinic[] = "clinic-b";
const absl::Time kNow = absl::FromUnixSeconds(1772443800);

TEST(StarterExercisesTest, EveryStarterExerciseIsValidAndComplete) {
  for (const StarterExercise& starter : StarterExercises()) {
    SCOPED_TRACE(std::string(starter.key));
    const v1::Exercise& e = starter.exercise;
    EXPECT_TRUE(ValidateExerciseContent(e, "exercise").ok())
        << ValidateExerciseContent(e, "exercise");
    EXPECT_FALSE(e.clinician_notes().empty());
    EXPECT_FALSE(e.discreet_title().empty());
    EXPECT_GT(e.disciplines_size(), 0);
    EXPECT_TRUE(e.id().empty() && e.version() == 0 && !e.starter()) << "content only";
    // Patient instructions for reading alone at home: long enough to follow, and never
    // shouting or blaming.
    EXPECT_GT(e.patient_instructions().size(), 300u);
    for (const char* harsh : {"must ", "failure to", "fail to", "wrong with you", "just relax",
                              "should be able", "you failed", "!"}) {
      EXPECT_FALSE(absl::StrContains(absl::AsciiStrToLower(e.patient_instructions()), harsh))
          << harsh;
    }
    // The discreet title shows on a shared screen: it names nothing intimate.
    for (const char* telling : {"dilator", "vagin", "kegel", "pelvic", "sex", "genital", "vulva",
                                "sensate", "intima", "penetrat"}) {
      EXPECT_FALSE(absl::StrContains(absl::AsciiStrToLower(e.discreet_title()), telling))
          << telling;
    }
  }
}

TEST(StarterExercisesTest, KeysAreUniqueAndShapedAsSlugs) {
  std::set<std::string> keys;
  for (const StarterExercise& starter : StarterExercises()) {
    EXPECT_TRUE(keys.insert(std::string(starter.key)).second) << starter.key;
    for (char c : starter.key) {
      EXPECT_TRUE(absl::ascii_islower(static_cast<unsigned char>(c)) ||
                  absl::ascii_isdigit(static_cast<unsigned char>(c)) || c == '-')
          << starter.key;
    }
  }
  // The keys other code and docs rely on.
  for (const char* key :
       {"kegels-gentle", "dilator-practice", "down-training-breathing", "journaling-prompts"}) {
    EXPECT_TRUE(keys.contains(key)) << key;
  }
}

// The issue's list: down-training, relaxation and body scan, mindfulness, breathing for
// intimate moments, Kegels, reverse Kegels, four stretches, self-exploration with mirror and
// touch, dilators, three sensate focus stages, couples' intimacy, partner communication,
// reading, journaling.
TEST(StarterExercisesTest, CoversEveryCategoryAndTheIssuesList) {
  std::set<int> categories;
  int stretches = 0, sensate_focus = 0;
  for (const StarterExercise& starter : StarterExercises()) {
    categories.insert(starter.exercise.category());
    stretches += starter.exercise.category() == v1::EXERCISE_CATEGORY_YOGA_AND_STRETCHING;
    sensate_focus += starter.exercise.category() == v1::EXERCISE_CATEGORY_SENSATE_FOCUS;
  }
  for (int c = v1::ExerciseCategory_MIN + 1; c <= v1::ExerciseCategory_MAX; ++c) {
    EXPECT_TRUE(categories.contains(c)) << v1::ExerciseCategory_Name(c);
  }
  EXPECT_GE(stretches, 4);
  EXPECT_EQ(sensate_focus, 3);
  EXPECT_GE(StarterExercises().size(), 16u);
}

TEST(StarterExercisesTest, KegelsAcceptHoldAndRestSeconds) {
  for (const StarterExercise& starter : StarterExercises()) {
    if (starter.key == "kegels-gentle") {
      EXPECT_THAT(
          starter.exercise.parameters(),
          ::testing::IsSupersetOf({v1::DOSE_PARAMETER_HOLD_SECONDS, v1::DOSE_PARAMETER_REST_SECONDS,
                                   v1::DOSE_PARAMETER_REPS, v1::DOSE_PARAMETER_SETS}));
      return;
    }
  }
  ADD_FAILURE() << "no kegels-gentle";
}

const StarterExercise* Starter(std::string_view key, const std::vector<StarterExercise>& set) {
  for (const StarterExercise& starter : set) {
    if (starter.key == key) {
      return &starter;
    }
  }
  return nullptr;
}

std::string Lower(const std::string& text) { return absl::AsciiStrToLower(text); }

bool AnyContains(const google::protobuf::RepeatedPtrField<std::string>& texts,
                 absl::string_view needle) {
  for (const std::string& text : texts) {
    if (absl::StrContains(Lower(text), needle)) {
      return true;
    }
  }
  return false;
}

// Whatever she does with her body, the patient reads that she may stop: practice that hurts or
// overwhelms is never something to push through.
TEST(StarterExercisesTest, EveryBodyOrTouchExerciseTellsThePatientSheMayStop) {
  const std::set<int> bodily = {v1::EXERCISE_CATEGORY_DOWN_TRAINING,
                                v1::EXERCISE_CATEGORY_BREATHING,
                                v1::EXERCISE_CATEGORY_KEGELS,
                                v1::EXERCISE_CATEGORY_REVERSE_KEGELS,
                                v1::EXERCISE_CATEGORY_YOGA_AND_STRETCHING,
                                v1::EXERCISE_CATEGORY_SELF_EXPLORATION,
                                v1::EXERCISE_CATEGORY_DILATOR,
                                v1::EXERCISE_CATEGORY_SENSATE_FOCUS,
                                v1::EXERCISE_CATEGORY_COUPLES_INTIMACY};
  for (const StarterExercise& starter : StarterExercises()) {
    if (!bodily.contains(starter.exercise.category())) {
      continue;
    }
    const std::string text = Lower(starter.exercise.patient_instructions());
    EXPECT_TRUE(absl::StrContains(text, "stop") || absl::StrContains(text, "pause") ||
                absl::StrContains(text, "ease off") || absl::StrContains(text, "take a break"))
        << starter.key;
  }
}

// Dilator practice at home: hygiene, the right lubricant, stopping on pain or bleeding, and
// permission to stop when trauma memories surface; the clinician checks trauma first.
TEST(StarterExercisesTest, DilatorPracticeCoversHygieneLubricantPainAndTrauma) {
  const std::vector<StarterExercise> set = StarterExercises();
  const StarterExercise* dilator = Starter("dilator-practice", set);
  ASSERT_NE(dilator, nullptr);
  const std::string text = Lower(dilator->exercise.patient_instructions());
  EXPECT_TRUE(absl::StrContains(text, "wash your hands"));
  EXPECT_TRUE(absl::StrContains(text, "water-based lubricant"));
  EXPECT_TRUE(absl::StrContains(text, "silicone lubricant with silicone dilators"));
  EXPECT_TRUE(absl::StrContains(text, "rinse and dry"));
  EXPECT_TRUE(absl::StrContains(text, "sharp pain, bleeding"));
  EXPECT_TRUE(absl::StrContains(text, "memories come up"));
  EXPECT_TRUE(AnyContains(dilator->exercise.contraindications(), "trauma"));
  EXPECT_TRUE(AnyContains(dilator->exercise.contraindications(), "infection"));
}

// Most patients with vaginismus have an overactive pelvic floor: strengthening is not first-line
// and may raise tone and pain, so the clinician reads that before prescribing Kegels.
TEST(StarterExercisesTest, KegelsWarnAgainstStrengtheningAnOveractivePelvicFloor) {
  const std::vector<StarterExercise> set = StarterExercises();
  const StarterExercise* kegels = Starter("kegels-gentle", set);
  ASSERT_NE(kegels, nullptr);
  EXPECT_TRUE(AnyContains(kegels->exercise.contraindications(), "hypertonic"));
  EXPECT_TRUE(AnyContains(kegels->exercise.contraindications(), "do not prescribe for strength"));
  EXPECT_TRUE(absl::StrContains(Lower(kegels->exercise.clinician_notes()), "down-training"));
  const std::string text = Lower(kegels->exercise.patient_instructions());
  EXPECT_TRUE(absl::StrContains(text, "let go completely"));
  EXPECT_TRUE(absl::StrContains(text, "pain"));
}

class SeedStarterExercisesTest : public ::testing::Test {
 protected:
  SeedStarterExercisesTest() : uow_(InMemoryDatabase{}) {}

  FakeIdGenerator ids_{"starter"};
  InMemoryUnitOfWork uow_;
};

TEST_F(SeedStarterExercisesTest, SeedsEveryStarterOnceAsVersionOneWithoutAnAuthor) {
  int added = -1;
  ASSERT_TRUE(SeedStarterExercises(uow_, ids_, kClinic, kNow, &added).ok());

  EXPECT_EQ(added, static_cast<int>(StarterExercises().size()));
  absl::StatusOr<std::optional<ExerciseRecord>> kegels =
      uow_.exercises().FindByStarterKey(kClinic, "kegels-gentle");
  ASSERT_TRUE(kegels.ok() && kegels->has_value());
  absl::StatusOr<v1::Exercise> read = LoadExerciseVersion(uow_, kClinic, (*kegels)->id, 0);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_TRUE(read->starter());
  EXPECT_EQ(read->version(), 1);
  EXPECT_EQ(read->author_user_id(), "");
  EXPECT_EQ(read->create_time().seconds(), absl::ToUnixSeconds(kNow));
  EXPECT_EQ(read->category(), v1::EXERCISE_CATEGORY_KEGELS);
}

TEST_F(SeedStarterExercisesTest, SeedingAgainAddsNothing) {
  ASSERT_TRUE(SeedStarterExercises(uow_, ids_, kClinic, kNow).ok());
  const size_t rows = uow_.state().exercises.size();

  int added = -1;
  ASSERT_TRUE(SeedStarterExercises(uow_, ids_, kClinic, kNow + absl::Hours(1), &added).ok());

  EXPECT_EQ(added, 0);
  EXPECT_EQ(uow_.state().exercises.size(), rows);
  EXPECT_EQ(uow_.state().exercise_versions.size(), rows);
}

// A clinic's edits (here: archiving a starter exercise) survive a later seed.
TEST_F(SeedStarterExercisesTest, SeedingKeepsTheClinicsEditsAndOnlyAddsWhatIsMissing) {
  ASSERT_TRUE(SeedStarterExercises(uow_, ids_, kClinic, kNow).ok());
  FakeIdGenerator service_ids{"service"};
  ExerciseService service(service_ids);
  const Principal admin{.user_id = "admin", .clinic_id = kClinic, .role = v1::ROLE_ADMIN};
  std::optional<ExerciseRecord> dilator =
      *uow_.exercises().FindByStarterKey(kClinic, "dilator-practice");
  ASSERT_TRUE(dilator.has_value());
  AuditEvent audit;
  CallContext context;
  RequestScope scope{
      .principal = &admin, .uow = uow_, .call = context, .audit = audit, .now = kNow};
  v1::UpdateExerciseRequest archive;
  archive.mutable_exercise()->set_id(dilator->id);
  archive.mutable_exercise()->set_etag("v1");
  archive.mutable_exercise()->set_archived(true);
  archive.mutable_update_mask()->add_paths("archived");
  ASSERT_TRUE(service.Update(archive, scope).ok());
  // One starter exercise missing, as for a clinic seeded before it joined the set.
  std::optional<ExerciseRecord> journaling =
      *uow_.exercises().FindByStarterKey(kClinic, "journaling-prompts");
  ASSERT_TRUE(journaling.has_value());
  uow_.state().exercise_versions.erase({journaling->id, 1});
  uow_.state().exercises.erase(journaling->id);

  int added = -1;
  ASSERT_TRUE(SeedStarterExercises(uow_, ids_, kClinic, kNow, &added).ok());

  EXPECT_EQ(added, 1);
  absl::StatusOr<v1::Exercise> kept = LoadExerciseVersion(uow_, kClinic, dilator->id, 0);
  ASSERT_TRUE(kept.ok());
  EXPECT_TRUE(kept->archived());
  EXPECT_EQ(kept->version(), 2);
}

TEST_F(SeedStarterExercisesTest, EachClinicGetsItsOwnCopy) {
  ASSERT_TRUE(SeedStarterExercises(uow_, ids_, kClinic, kNow).ok());
  int added = -1;
  ASSERT_TRUE(SeedStarterExercises(uow_, ids_, kOtherClinic, kNow, &added).ok());

  EXPECT_EQ(added, static_cast<int>(StarterExercises().size()));
  EXPECT_EQ(uow_.state().exercises.size(), 2 * StarterExercises().size());
}

}  // namespace
}  // namespace confide
