// ExerciseService over the in-memory unit of work, called as the pipeline calls it (access
// already decided): versions that never change, etags, field masks, request-id replay, the
// clinic boundary and keyset pages by title.

#include "services/exercises/exercise_service.h"

#include <set>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "services/exercises/exercise_store.h"
#include "tests/fakes/fake_id_generator.h"
#include "tests/fakes/in_memory_unit_of_work.h"
#include "tests/fakes/pipeline_test_support.h"

namespace confide {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr char kClinic[] = "clinic-a";
constexpr char kOtherClinic[] = "clinic-b";
const absl::Time kNow =
    absl::FromCivil(absl::CivilSecond(2026, 3, 2, 9, 30, 0), absl::UTCTimeZone());

Principal Alex(const char* clinic = kClinic) {
  return Principal{.user_id = "alex",
                   .clinic_id = clinic,
                   .role = v1::ROLE_CLINICIAN,
                   .session_id = "s",
                   .mfa_verified = true};
}

v1::Exercise Breathing(const std::string& title = "Belly breathing") {
  v1::Exercise exercise;
  exercise.set_title(title);
  exercise.set_patient_instructions("Breathe in slowly and let your belly rise.");
  exercise.set_clinician_notes("CLINICIAN-ONLY");
  exercise.set_category(v1::EXERCISE_CATEGORY_DOWN_TRAINING);
  exercise.add_parameters(v1::DOSE_PARAMETER_DURATION_MINUTES);
  exercise.add_contraindications("CONTRAINDICATION");
  exercise.add_disciplines(v1::PLAN_DISCIPLINE_PELVIC_FLOOR_PHYSIOTHERAPY);
  exercise.set_discreet_title("Breathing practice");
  return exercise;
}

class ExerciseServiceTest : public ::testing::Test {
 protected:
  ExerciseServiceTest() : uow_(InMemoryDatabase{}) {}

  template <typename Call>
  auto As(const Principal& who, Call call, absl::Time now = kNow) {
    AuditEvent audit;
    CallContext context;
    RequestScope scope{.principal = &who, .uow = uow_, .call = context, .audit = audit, .now = now};
    auto result = call(scope);
    last_resource_ = audit.resource;
    return result;
  }

  absl::StatusOr<v1::Exercise> Create(const v1::Exercise& exercise,
                                      const std::string& request_id = "",
                                      const Principal& who = Alex()) {
    v1::CreateExerciseRequest request;
    *request.mutable_exercise() = exercise;
    request.set_request_id(request_id);
    return As(who, [&](RequestScope& s) { return service_.Create(request, s); });
  }

  absl::StatusOr<v1::Exercise> Get(const std::string& id, int version = 0,
                                   const Principal& who = Alex()) {
    v1::GetExerciseRequest request;
    request.set_exercise_id(id);
    request.set_version(version);
    return As(who, [&](RequestScope& s) { return service_.Get(request, s); });
  }

  absl::StatusOr<v1::Exercise> Update(const v1::Exercise& changes,
                                      const std::vector<std::string>& paths,
                                      absl::Time now = kNow + absl::Hours(1)) {
    v1::UpdateExerciseRequest request;
    *request.mutable_exercise() = changes;
    for (const std::string& path : paths) {
      request.mutable_update_mask()->add_paths(path);
    }
    return As(
        Alex(), [&](RequestScope& s) { return service_.Update(request, s); }, now);
  }

  absl::StatusOr<v1::ListExercisesResponse> List(v1::ListExercisesRequest request,
                                                 const Principal& who = Alex()) {
    return As(who, [&](RequestScope& s) { return service_.List(request, s); });
  }

  std::vector<std::string> Titles(const v1::ListExercisesResponse& page) {
    std::vector<std::string> titles;
    for (const v1::Exercise& e : page.exercises()) {
      titles.push_back(e.title());
    }
    return titles;
  }

  FakeIdGenerator ids_{"exercises"};
  ExerciseService service_{ids_};
  InMemoryUnitOfWork uow_;
  std::string last_resource_;
};

TEST_F(ExerciseServiceTest, CreateMakesVersionOneWithOutputFieldsFromTheServer) {
  v1::Exercise sent = Breathing();
  sent.set_id("chosen-by-caller");
  sent.set_version(7);
  sent.set_starter(true);
  sent.set_author_user_id("mallory");

  absl::StatusOr<v1::Exercise> made = Create(sent);

  ASSERT_TRUE(made.ok()) << made.status();
  EXPECT_NE(made->id(), "chosen-by-caller");
  EXPECT_EQ(made->version(), 1);
  EXPECT_FALSE(made->starter());
  EXPECT_EQ(made->author_user_id(), "alex");
  EXPECT_EQ(made->etag(), "v1");
  EXPECT_EQ(made->create_time().seconds(), absl::ToUnixSeconds(kNow));
  EXPECT_EQ(last_resource_, "exercises/" + made->id());
  absl::StatusOr<v1::Exercise> read = Get(made->id());
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(*read, *made))
      << read->DebugString() << made->DebugString();
}

TEST_F(ExerciseServiceTest, CreateRefusesInvalidContentNamingTheFieldAndStoresNothing) {
  v1::Exercise bad = Breathing();
  bad.set_category(v1::EXERCISE_CATEGORY_UNSPECIFIED);

  absl::StatusOr<v1::Exercise> made = Create(bad);

  EXPECT_EQ(made.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ViolatedFields(made.status()), ElementsAre("exercise.category"));
  EXPECT_TRUE(uow_.state().exercises.empty());
  EXPECT_TRUE(uow_.state().exercise_versions.empty());
}

// A phone or a flaky network retrying the same create must not add the exercise twice.
TEST_F(ExerciseServiceTest, RetriedCreateWithTheSameRequestIdReturnsTheFirstExercise) {
  absl::StatusOr<v1::Exercise> first = Create(Breathing(), "create-1");
  ASSERT_TRUE(first.ok()) << first.status();

  absl::StatusOr<v1::Exercise> again = Create(Breathing("A different title"), "create-1");

  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->id(), first->id());
  EXPECT_EQ(again->title(), "Belly breathing");
  EXPECT_EQ(uow_.state().exercises.size(), 1u);
  EXPECT_EQ(last_resource_, "exercises/" + first->id());
}

TEST_F(ExerciseServiceTest, RequestIdsAreKeptPerClinic) {
  ASSERT_TRUE(Create(Breathing(), "create-1").ok());

  absl::StatusOr<v1::Exercise> other = Create(Breathing("Theirs"), "create-1", Alex(kOtherClinic));

  ASSERT_TRUE(other.ok()) << other.status();
  EXPECT_EQ(other->title(), "Theirs");
  EXPECT_EQ(uow_.state().exercises.size(), 2u);
}

// Another clinic's exercise answers exactly as an id nobody ever used.
TEST_F(ExerciseServiceTest, AnotherClinicsExerciseIsNotFoundLikeAMadeUpId) {
  absl::StatusOr<v1::Exercise> made = Create(Breathing());
  ASSERT_TRUE(made.ok());

  absl::StatusOr<v1::Exercise> theirs = Get(made->id(), 0, Alex(kOtherClinic));
  absl::StatusOr<v1::Exercise> made_up = Get("00000000-0000-7000-8000-000000000999");
  absl::StatusOr<v1::Exercise> not_an_id = Get("../../etc/passwd");

  EXPECT_EQ(theirs.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(made_up.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(theirs.status().message(), made_up.status().message());
  EXPECT_EQ(not_an_id.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(last_resource_, "") << "a non-id is never written to the audit trail";
}

// An edit makes a new version; the version a programme prescribed stays exactly as it was.
TEST_F(ExerciseServiceTest, UpdateMakesANewVersionAndLeavesTheOldOneUnchanged) {
  absl::StatusOr<v1::Exercise> v1 = Create(Breathing());
  ASSERT_TRUE(v1.ok());
  v1::Exercise changes;
  changes.set_id(v1->id());
  changes.set_etag(v1->etag());
  changes.set_patient_instructions("New, gentler wording.");
  changes.set_title("Ignored: not in the mask");

  absl::StatusOr<v1::Exercise> v2 = Update(changes, {"patient_instructions"});

  ASSERT_TRUE(v2.ok()) << v2.status();
  EXPECT_EQ(v2->version(), 2);
  EXPECT_EQ(v2->etag(), "v2");
  EXPECT_EQ(v2->title(), "Belly breathing");
  EXPECT_EQ(v2->patient_instructions(), "New, gentler wording.");
  EXPECT_EQ(v2->clinician_notes(), "CLINICIAN-ONLY");
  EXPECT_EQ(v2->create_time().seconds(), v1->create_time().seconds());
  EXPECT_EQ(v2->version_create_time().seconds(), absl::ToUnixSeconds(kNow + absl::Hours(1)));
  absl::StatusOr<v1::Exercise> old = Get(v1->id(), 1);
  ASSERT_TRUE(old.ok());
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(*old, *v1));
  absl::StatusOr<v1::Exercise> latest = Get(v1->id());
  ASSERT_TRUE(latest.ok());
  EXPECT_EQ(latest->version(), 2);
  absl::StatusOr<v1::Exercise> pinned = LoadExerciseVersion(uow_, kClinic, v1->id(), 1);
  ASSERT_TRUE(pinned.ok());
  EXPECT_EQ(pinned->patient_instructions(), "Breathe in slowly and let your belly rise.");
}

TEST_F(ExerciseServiceTest, UpdateWithAStaleEtagIsAbortedAndChangesNothing) {
  absl::StatusOr<v1::Exercise> v1 = Create(Breathing());
  ASSERT_TRUE(v1.ok());
  v1::Exercise changes = *v1;
  changes.set_title("First edit");
  ASSERT_TRUE(Update(changes, {"title"}).ok());

  changes.set_title("Second edit from the same stale copy");
  absl::StatusOr<v1::Exercise> stale = Update(changes, {"title"});

  EXPECT_EQ(stale.status().code(), absl::StatusCode::kAborted);
  EXPECT_EQ(Get(v1->id())->title(), "First edit");
  EXPECT_EQ(uow_.state().exercise_versions.size(), 2u);
}

TEST_F(ExerciseServiceTest, UpdateRefusesAnInvalidResultNamingTheField) {
  absl::StatusOr<v1::Exercise> v1 = Create(Breathing());
  ASSERT_TRUE(v1.ok());
  v1::Exercise changes = *v1;
  changes.clear_title();

  absl::StatusOr<v1::Exercise> cleared = Update(changes, {"title"});

  EXPECT_THAT(ViolatedFields(cleared.status()), ElementsAre("exercise.title"));
  EXPECT_EQ(Get(v1->id())->version(), 1);
}

TEST_F(ExerciseServiceTest, RepeatedFieldsInTheMaskAreReplacedWhole) {
  absl::StatusOr<v1::Exercise> v1 = Create(Breathing());
  ASSERT_TRUE(v1.ok());
  v1::Exercise changes = *v1;
  changes.clear_contraindications();
  changes.clear_parameters();
  changes.add_parameters(v1::DOSE_PARAMETER_SETS);
  changes.add_parameters(v1::DOSE_PARAMETER_REPS);

  absl::StatusOr<v1::Exercise> v2 = Update(changes, {"contraindications", "parameters"});

  ASSERT_TRUE(v2.ok()) << v2.status();
  EXPECT_THAT(v2->contraindications(), IsEmpty());
  EXPECT_THAT(v2->parameters(), ElementsAre(v1::DOSE_PARAMETER_SETS, v1::DOSE_PARAMETER_REPS));
}

TEST_F(ExerciseServiceTest, UpdateOfAnotherClinicsExerciseIsNotFound) {
  absl::StatusOr<v1::Exercise> theirs = Create(Breathing(), "", Alex(kOtherClinic));
  ASSERT_TRUE(theirs.ok());
  v1::Exercise changes = *theirs;
  changes.set_title("Hijacked");

  absl::StatusOr<v1::Exercise> updated = Update(changes, {"title"});

  EXPECT_EQ(updated.status().code(), absl::StatusCode::kNotFound);
}

TEST_F(ExerciseServiceTest, ArchivedExercisesLeaveTheListUnlessAskedForButStayReadable) {
  absl::StatusOr<v1::Exercise> kept = Create(Breathing("Kept"));
  absl::StatusOr<v1::Exercise> retired = Create(Breathing("Retired"));
  ASSERT_TRUE(kept.ok() && retired.ok());
  v1::Exercise changes = *retired;
  changes.set_archived(true);
  ASSERT_TRUE(Update(changes, {"archived"}).ok());

  v1::ListExercisesRequest request;
  absl::StatusOr<v1::ListExercisesResponse> offered = List(request);
  request.set_include_archived(true);
  absl::StatusOr<v1::ListExercisesResponse> everything = List(request);

  ASSERT_TRUE(offered.ok() && everything.ok());
  EXPECT_THAT(Titles(*offered), ElementsAre("Kept"));
  EXPECT_THAT(Titles(*everything), ElementsAre("Kept", "Retired"));
  EXPECT_TRUE(everything->exercises(1).archived());
  absl::StatusOr<v1::Exercise> read = Get(retired->id());
  ASSERT_TRUE(read.ok());
  EXPECT_TRUE(read->archived());
  EXPECT_EQ(read->version(), 2);
}

TEST_F(ExerciseServiceTest, ListFiltersByCategoryAndShowsOnlyTheCallersClinic) {
  ASSERT_TRUE(Create(Breathing("Breathing")).ok());
  v1::Exercise kegels = Breathing("Kegels");
  kegels.set_category(v1::EXERCISE_CATEGORY_KEGELS);
  ASSERT_TRUE(Create(kegels).ok());
  ASSERT_TRUE(Create(Breathing("Elsewhere"), "", Alex(kOtherClinic)).ok());

  v1::ListExercisesRequest request;
  request.set_category(v1::EXERCISE_CATEGORY_KEGELS);
  absl::StatusOr<v1::ListExercisesResponse> only_kegels = List(request);
  absl::StatusOr<v1::ListExercisesResponse> all = List(v1::ListExercisesRequest());

  ASSERT_TRUE(only_kegels.ok() && all.ok());
  EXPECT_THAT(Titles(*only_kegels), ElementsAre("Kegels"));
  EXPECT_THAT(Titles(*all), ElementsAre("Breathing", "Kegels"));
  EXPECT_EQ(last_resource_, "exercises");
}

// Pages follow titles (not creation order), each exercise exactly once.
TEST_F(ExerciseServiceTest, ListPagesByTitleWithOpaqueTokens) {
  for (const char* title : {"delta", "alpha", "charlie", "bravo", "echo"}) {
    ASSERT_TRUE(Create(Breathing(title)).ok());
  }
  v1::ListExercisesRequest request;
  request.set_page_size(2);
  std::vector<std::string> seen;
  std::set<std::string> tokens;
  for (int pages = 0; pages < 10; ++pages) {
    absl::StatusOr<v1::ListExercisesResponse> page = List(request);
    ASSERT_TRUE(page.ok()) << page.status();
    for (const std::string& title : Titles(*page)) {
      seen.push_back(title);
    }
    if (page->next_page_token().empty()) {
      break;
    }
    EXPECT_TRUE(tokens.insert(page->next_page_token()).second);
    request.set_page_token(page->next_page_token());
  }
  EXPECT_THAT(seen, ElementsAre("alpha", "bravo", "charlie", "delta", "echo"));
}

TEST_F(ExerciseServiceTest, APageTokenWorksOnlyWithTheFiltersItCameFrom) {
  for (const char* title : {"a", "b", "c"}) {
    ASSERT_TRUE(Create(Breathing(title)).ok());
  }
  v1::ListExercisesRequest request;
  request.set_page_size(1);
  absl::StatusOr<v1::ListExercisesResponse> first = List(request);
  ASSERT_TRUE(first.ok());
  ASSERT_FALSE(first->next_page_token().empty());

  v1::ListExercisesRequest other_filter;
  other_filter.set_page_token(first->next_page_token());
  other_filter.set_include_archived(true);
  v1::ListExercisesRequest garbage;
  garbage.set_page_token("not-a-token");

  EXPECT_THAT(ViolatedFields(List(other_filter).status()), ElementsAre("page_token"));
  EXPECT_THAT(ViolatedFields(List(garbage).status()), ElementsAre("page_token"));
}

TEST_F(ExerciseServiceTest, PatientViewDropsClinicianNotesAndContraindicationsOnly) {
  absl::StatusOr<v1::Exercise> made = Create(Breathing());
  ASSERT_TRUE(made.ok());

  const v1::Exercise patient = PatientView(*made);

  EXPECT_EQ(patient.clinician_notes(), "");
  EXPECT_THAT(patient.contraindications(), IsEmpty());
  EXPECT_EQ(patient.patient_instructions(), made->patient_instructions());
  EXPECT_EQ(patient.discreet_title(), "Breathing practice");
  EXPECT_EQ(patient.version(), 1);
  EXPECT_EQ(patient.id(), made->id());
}

TEST_F(ExerciseServiceTest, LoadExerciseVersionIsNotFoundForAMissingVersion) {
  absl::StatusOr<v1::Exercise> made = Create(Breathing());
  ASSERT_TRUE(made.ok());

  EXPECT_TRUE(LoadExerciseVersion(uow_, kClinic, made->id(), 0).ok());
  EXPECT_TRUE(LoadExerciseVersion(uow_, kClinic, made->id(), 1).ok());
  EXPECT_EQ(LoadExerciseVersion(uow_, kClinic, made->id(), 2).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(LoadExerciseVersion(uow_, kOtherClinic, made->id(), 1).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(LoadExerciseVersion(uow_, kClinic, "not-an-id", 0).status().code(),
            absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace confide
