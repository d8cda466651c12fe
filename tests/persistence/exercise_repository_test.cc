// The exercise library against a real database (SQLite or PostgreSQL, whichever
// CONFIDE_TEST_DATABASE names): every field round-trips, versions are never changed, a stale
// latest version is ABORTED, starter keys and request ids are unique per clinic, lists page by
// title with their filters, and seeding the starter set is idempotent.

#include "services/exercises/ports/exercise_repository.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_format.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/exercises/exercise_store.h"
#include "services/exercises/starter_exercises.h"
#include "soci/soci.h"
#include "tests/fakes/fake_id_generator.h"
#include "tests/persistence/migrated_database_test.h"

namespace confide::persistence {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

std::string ExerciseId(int n) { return absl::StrFormat("00000000-0000-7000-8000-%012d", 7500 + n); }

ExerciseRecord NewExercise(int n, const std::string& title = "Belly breathing",
                           const std::string& clinic_id = kClinicA) {
  return ExerciseRecord{.id = ExerciseId(n),
                        .clinic_id = clinic_id,
                        .latest_version = 1,
                        .title = title,
                        .category = v1::EXERCISE_CATEGORY_DOWN_TRAINING,
                        .archived = false,
                        .create_time = kCreateTime + absl::Seconds(n),
                        .created_by = clinic_id == kClinicA ? kAlice : kCai};
}

ExerciseVersionRecord NewVersion(const ExerciseRecord& exercise, int version) {
  return ExerciseVersionRecord{
      .exercise_id = exercise.id,
      .version = version,
      .clinic_id = exercise.clinic_id,
      .author_user_id = version == 1 ? exercise.created_by : kBea,
      .create_time = kCreateTime + absl::Minutes(version),
      .content_json = absl::StrFormat(R"({"title":"%s v%d"})", exercise.title, version)};
}

class ExerciseRepositoryTest : public MigratedDatabaseTest {
 protected:
  absl::Status Insert(const ExerciseRecord& exercise, const std::string& request_id = "") {
    return Write([&](UnitOfWork& uow) -> absl::Status {
      if (absl::Status s = uow.exercises().Insert(exercise, request_id); !s.ok()) {
        return s;
      }
      return uow.exercises().InsertVersion(NewVersion(exercise, 1));
    });
  }

  std::optional<ExerciseRecord> Find(const std::string& id,
                                     const std::string& clinic_id = kClinicA) {
    absl::StatusOr<std::optional<ExerciseRecord>> found =
        Read([&](UnitOfWork& uow) { return uow.exercises().Find(clinic_id, id); });
    EXPECT_TRUE(found.ok()) << found.status();
    return found.ok() ? *found : std::nullopt;
  }

  std::vector<std::string> ListTitles(ExerciseListQuery query) {
    absl::StatusOr<std::vector<ExerciseRecord>> rows =
        Read([&](UnitOfWork& uow) { return uow.exercises().List(query); });
    EXPECT_TRUE(rows.ok()) << rows.status();
    std::vector<std::string> titles;
    if (rows.ok()) {
      for (const ExerciseRecord& row : *rows) {
        titles.push_back(row.title);
      }
    }
    return titles;
  }
};

TEST_F(ExerciseRepositoryTest, InsertedExerciseAndVersionRoundTripEveryField) {
  ExerciseRecord exercise = NewExercise(1);
  exercise.archived = true;
  exercise.starter_key = "kegels-gentle";
  exercise.category = v1::EXERCISE_CATEGORY_KEGELS;
  exercise.title = "Kegels \xe2\x80\x94 gently";
  ASSERT_TRUE(Insert(exercise).ok());

  std::optional<ExerciseRecord> found = Find(exercise.id);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->id, exercise.id);
  EXPECT_EQ(found->clinic_id, kClinicA);
  EXPECT_EQ(found->latest_version, 1);
  EXPECT_EQ(found->title, exercise.title);
  EXPECT_EQ(found->category, v1::EXERCISE_CATEGORY_KEGELS);
  EXPECT_TRUE(found->archived);
  EXPECT_EQ(found->starter_key, "kegels-gentle");
  EXPECT_EQ(found->create_time, exercise.create_time);
  EXPECT_EQ(found->created_by, kAlice);

  absl::StatusOr<std::optional<ExerciseVersionRecord>> version =
      Read([&](UnitOfWork& uow) { return uow.exercises().FindVersion(kClinicA, exercise.id, 1); });
  ASSERT_TRUE(version.ok()) << version.status();
  ASSERT_TRUE(version->has_value());
  EXPECT_EQ((*version)->exercise_id, exercise.id);
  EXPECT_EQ((*version)->version, 1);
  EXPECT_EQ((*version)->clinic_id, kClinicA);
  EXPECT_EQ((*version)->author_user_id, kAlice);
  EXPECT_EQ((*version)->create_time, kCreateTime + absl::Minutes(1));
  EXPECT_EQ((*version)->content_json, NewVersion(exercise, 1).content_json);
}

TEST_F(ExerciseRepositoryTest, AnotherClinicSeesNeitherTheExerciseNorItsVersions) {
  ASSERT_TRUE(Insert(NewExercise(1)).ok());

  EXPECT_FALSE(Find(ExerciseId(1), kClinicB).has_value());
  absl::StatusOr<std::optional<ExerciseVersionRecord>> version = Read(
      [&](UnitOfWork& uow) { return uow.exercises().FindVersion(kClinicB, ExerciseId(1), 1); });
  ASSERT_TRUE(version.ok());
  EXPECT_FALSE(version->has_value());
  EXPECT_FALSE(Find(ExerciseId(99)).has_value());
}

TEST_F(ExerciseRepositoryTest, CreateRequestIdsAndStarterKeysAreUniquePerClinic) {
  ExerciseRecord starter = NewExercise(1);
  starter.starter_key = "dilator-practice";
  ASSERT_TRUE(Insert(starter, "create-1").ok());

  ExerciseRecord same_request = NewExercise(2);
  EXPECT_EQ(Insert(same_request, "create-1").code(), absl::StatusCode::kAlreadyExists);
  ExerciseRecord same_key = NewExercise(3);
  same_key.starter_key = "dilator-practice";
  EXPECT_EQ(Insert(same_key).code(), absl::StatusCode::kAlreadyExists);
  // Empty keys and request ids are not keys at all.
  EXPECT_TRUE(Insert(NewExercise(4)).ok());
  EXPECT_TRUE(Insert(NewExercise(5)).ok());
  // Another clinic may use both.
  ExerciseRecord theirs = NewExercise(6, "Theirs", kClinicB);
  theirs.starter_key = "dilator-practice";
  EXPECT_TRUE(Insert(theirs, "create-1").ok());

  absl::StatusOr<std::optional<ExerciseRecord>> by_request = Read(
      [&](UnitOfWork& uow) { return uow.exercises().FindByCreateRequestId(kClinicA, "create-1"); });
  ASSERT_TRUE(by_request.ok() && by_request->has_value());
  EXPECT_EQ((*by_request)->id, ExerciseId(1));
  absl::StatusOr<std::optional<ExerciseRecord>> by_key = Read([&](UnitOfWork& uow) {
    return uow.exercises().FindByStarterKey(kClinicB, "dilator-practice");
  });
  ASSERT_TRUE(by_key.ok() && by_key->has_value());
  EXPECT_EQ((*by_key)->id, ExerciseId(6));
  absl::StatusOr<std::optional<ExerciseRecord>> no_key =
      Read([&](UnitOfWork& uow) { return uow.exercises().FindByStarterKey(kClinicA, ""); });
  ASSERT_TRUE(no_key.ok());
  EXPECT_FALSE(no_key->has_value());
  absl::StatusOr<std::optional<ExerciseRecord>> no_request =
      Read([&](UnitOfWork& uow) { return uow.exercises().FindByCreateRequestId(kClinicA, ""); });
  ASSERT_TRUE(no_request.ok());
  EXPECT_FALSE(no_request->has_value());
}

TEST_F(ExerciseRepositoryTest, AdvanceLatestMovesTheListingColumnsOnlyFromTheExpectedVersion) {
  ASSERT_TRUE(Insert(NewExercise(1)).ok());
  ExerciseRecord exercise = NewExercise(1);

  absl::Status advanced = Write([&](UnitOfWork& uow) -> absl::Status {
    if (absl::Status s = uow.exercises().AdvanceLatest(kClinicA, exercise.id, 1, 2, "Renamed",
                                                       v1::EXERCISE_CATEGORY_BREATHING, true);
        !s.ok()) {
      return s;
    }
    return uow.exercises().InsertVersion(NewVersion(exercise, 2));
  });
  ASSERT_TRUE(advanced.ok()) << advanced;

  std::optional<ExerciseRecord> found = Find(exercise.id);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->latest_version, 2);
  EXPECT_EQ(found->title, "Renamed");
  EXPECT_EQ(found->category, v1::EXERCISE_CATEGORY_BREATHING);
  EXPECT_TRUE(found->archived);
  EXPECT_EQ(Write([&](UnitOfWork& uow) {
              return uow.exercises().AdvanceLatest(kClinicA, exercise.id, 1, 2, "Stale", 1, false);
            }).code(),
            absl::StatusCode::kAborted);
  EXPECT_EQ(Write([&](UnitOfWork& uow) {
              return uow.exercises().AdvanceLatest(kClinicB, exercise.id, 2, 3, "Theirs", 1, false);
            }).code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(Write([&](UnitOfWork& uow) {
              return uow.exercises().InsertVersion(NewVersion(exercise, 2));
            }).code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(Find(exercise.id)->title, "Renamed");
}

// What the database says when `statement` fails, or "" when it succeeds.
std::string FailureOf(soci::session& sql, const std::string& statement, const std::string& id) {
  try {
    if (id.empty()) {
      sql << statement;
    } else {
      sql << statement, soci::use(id);
    }
    return "";
  } catch (const soci::soci_error& e) {
    return e.what();
  }
}

// A prescribed version is what the patient was given: the database itself refuses to change or
// remove it.
TEST_F(ExerciseRepositoryTest, StoredVersionCannotBeUpdatedOrDeleted) {
  ASSERT_TRUE(Insert(NewExercise(1)).ok());
  std::unique_ptr<soci::session> sql = scratch_->OpenSession();
  const std::string id = ExerciseId(1);

  EXPECT_THAT(
      FailureOf(*sql, "UPDATE exercise_versions SET content_json = '{}' WHERE exercise_id = :id",
                id),
      HasSubstr("exercise versions are never changed"));
  EXPECT_THAT(FailureOf(*sql, "DELETE FROM exercise_versions WHERE exercise_id = :id", id),
              HasSubstr("exercise versions are never changed"));
  if (scratch_->dialect() == Dialect::kPostgresql) {
    EXPECT_THAT(FailureOf(*sql, "TRUNCATE exercise_versions CASCADE", ""),
                HasSubstr("exercise versions are never changed"));
  }
  absl::StatusOr<std::optional<ExerciseVersionRecord>> version =
      Read([&](UnitOfWork& uow) { return uow.exercises().FindVersion(kClinicA, id, 1); });
  ASSERT_TRUE(version.ok() && version->has_value());
  EXPECT_EQ((*version)->content_json, NewVersion(NewExercise(1), 1).content_json);
}

TEST_F(ExerciseRepositoryTest, ListOrdersByTitleThenIdAndPagesFromTheCursor) {
  // Two share a title: the id breaks the tie, so no page repeats or skips one.
  ASSERT_TRUE(Insert(NewExercise(1, "charlie")).ok());
  ASSERT_TRUE(Insert(NewExercise(2, "alpha")).ok());
  ASSERT_TRUE(Insert(NewExercise(3, "bravo")).ok());
  ASSERT_TRUE(Insert(NewExercise(4, "bravo")).ok());
  ASSERT_TRUE(Insert(NewExercise(5, "delta", kClinicB)).ok());

  EXPECT_THAT(ListTitles({.clinic_id = kClinicA, .limit = 10}),
              ElementsAre("alpha", "bravo", "bravo", "charlie"));
  EXPECT_THAT(ListTitles({.clinic_id = kClinicA, .limit = 2}), ElementsAre("alpha", "bravo"));
  absl::StatusOr<std::vector<ExerciseRecord>> after_first_bravo = Read([&](UnitOfWork& uow) {
    return uow.exercises().List(
        {.clinic_id = kClinicA, .after_title = "bravo", .after_id = ExerciseId(3), .limit = 10});
  });
  ASSERT_TRUE(after_first_bravo.ok()) << after_first_bravo.status();
  ASSERT_EQ(after_first_bravo->size(), 2u);
  EXPECT_EQ((*after_first_bravo)[0].id, ExerciseId(4));
  EXPECT_EQ((*after_first_bravo)[1].title, "charlie");
}

TEST_F(ExerciseRepositoryTest, ListFiltersByCategoryAndLeavesArchivedOutUnlessAsked) {
  ExerciseRecord kegels = NewExercise(1, "kegels");
  kegels.category = v1::EXERCISE_CATEGORY_KEGELS;
  ExerciseRecord retired = NewExercise(2, "retired");
  retired.archived = true;
  ASSERT_TRUE(Insert(kegels).ok());
  ASSERT_TRUE(Insert(retired).ok());
  ASSERT_TRUE(Insert(NewExercise(3, "breathing")).ok());

  EXPECT_THAT(ListTitles({.clinic_id = kClinicA, .limit = 10}), ElementsAre("breathing", "kegels"));
  EXPECT_THAT(ListTitles({.clinic_id = kClinicA, .include_archived = true, .limit = 10}),
              ElementsAre("breathing", "kegels", "retired"));
  EXPECT_THAT(
      ListTitles({.clinic_id = kClinicA, .category = v1::EXERCISE_CATEGORY_KEGELS, .limit = 10}),
      ElementsAre("kegels"));
  EXPECT_THAT(ListTitles({.clinic_id = kClinicA,
                          .category = v1::EXERCISE_CATEGORY_DOWN_TRAINING,
                          .include_archived = true,
                          .limit = 10}),
              ElementsAre("breathing", "retired"));
  EXPECT_THAT(ListTitles({.clinic_id = kClinicB, .limit = 10}), IsEmpty());
}

// Seeding runs through the real repository and savepoints: twice is the same as once, and the
// stored content reads back as the starter set wrote it.
TEST_F(ExerciseRepositoryTest, SeedingTheStarterSetIsIdempotentAndReadsBack) {
  FakeIdGenerator ids("seed");
  int first = -1, second = -1;
  ASSERT_TRUE(Write([&](UnitOfWork& uow) {
                return SeedStarterExercises(uow, ids, kClinicA, kCreateTime, &first);
              }).ok());
  ASSERT_TRUE(Write([&](UnitOfWork& uow) {
                return SeedStarterExercises(uow, ids, kClinicA, kCreateTime, &second);
              }).ok());

  EXPECT_EQ(first, static_cast<int>(StarterExercises().size()));
  EXPECT_EQ(second, 0);
  absl::StatusOr<std::vector<ExerciseRecord>> rows = Read([&](UnitOfWork& uow) {
    return uow.exercises().List({.clinic_id = kClinicA, .include_archived = true, .limit = 500});
  });
  ASSERT_TRUE(rows.ok()) << rows.status();
  EXPECT_EQ(rows->size(), StarterExercises().size());
  for (const StarterExercise& starter : StarterExercises()) {
    absl::StatusOr<v1::Exercise> read = Read([&](UnitOfWork& uow) -> absl::StatusOr<v1::Exercise> {
      absl::StatusOr<std::optional<ExerciseRecord>> row =
          uow.exercises().FindByStarterKey(kClinicA, starter.key);
      if (!row.ok()) {
        return row.status();
      }
      if (!row->has_value()) {
        return absl::NotFoundError(std::string(starter.key));
      }
      return LoadExerciseVersion(uow, kClinicA, (*row)->id, 0);
    });
    ASSERT_TRUE(read.ok()) << read.status();
    EXPECT_EQ(read->patient_instructions(), starter.exercise.patient_instructions());
    EXPECT_EQ(read->clinician_notes(), starter.exercise.clinician_notes());
    EXPECT_EQ(read->contraindications_size(), starter.exercise.contraindications_size());
    EXPECT_EQ(read->parameters_size(), starter.exercise.parameters_size());
    EXPECT_TRUE(read->starter());
    EXPECT_EQ(read->version(), 1);
  }
}

}  // namespace
}  // namespace confide::persistence
