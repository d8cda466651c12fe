// The exercise library over REST and gRPC, against the real confide-server: every clinic starts
// with the starter set, fields round-trip, an edit makes a new version and leaves the old one as
// it was, a stale etag is refused, a retried create makes one exercise, refusals name the field,
// only the clinic's clinicians and admins use the library, and another clinic's exercise is
// NOT_FOUND exactly as a made-up id.

#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "api_test_fixture.h"
#include "confide/v1/exercises.grpc.pb.h"
#include "gmock/gmock.h"
#include "grpc_api_test_fixture.h"
#include "gtest/gtest.h"

namespace confide::api_test {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::Not;

// The demo clinic's starter exercises have fixed ids (services/demo/demo_clinic.cc): the fifth
// of the set is the gentle Kegels.
constexpr char kDemoKegelsId[] = "0190d000-0000-7000-8000-0000e1000005";
constexpr char kOtherClinicKegelsId[] = "0190d000-0000-7000-8000-0000e2000005";
constexpr char kMadeUpExerciseId[] = "0190d000-0000-7000-8000-0000e9999999";
constexpr size_t kStarterSetSize = 21;

std::string ExercisePath(const std::string& id) { return "/v1/exercises/" + id; }

nlohmann::json ExerciseBody(const std::string& title) {
  return {{"title", title},
          {"patientInstructions", "Breathe in slowly.\nLet your belly rise."},
          {"clinicianNotes", "Clinician-only note " + title},
          {"category", "EXERCISE_CATEGORY_BREATHING"},
          {"parameters", {"DOSE_PARAMETER_REPS", "DOSE_PARAMETER_DURATION_MINUTES"}},
          {"media", {{{"title", "Audio"}, {"url", "https://example.org/audio.mp3"}}}},
          {"contraindications", {"Light-headedness: slow down."}},
          {"disciplines", {"PLAN_DISCIPLINE_SEX_THERAPY", "PLAN_DISCIPLINE_PSYCHOLOGY"}},
          {"discreetTitle", "Calm breath"}};
}

class ExercisesApiTest : public GrpcApiTestBase {
 protected:
  // Creates an exercise as `email`; fails the test and returns null when refused.
  static nlohmann::json Create(const std::string& title, const std::string& request_id = "",
                               const std::string& email = kAlexEmail) {
    std::string path = "/v1/exercises";
    if (!request_id.empty()) {
      path += "?requestId=" + request_id;
    }
    HttpResponse created = Rest().Post(path, ExerciseBody(title), TokenOf(email));
    EXPECT_EQ(created.status, 200) << created.body;
    return created.status == 200 ? created.Json() : nlohmann::json();
  }

  static HttpResponse Update(const nlohmann::json& exercise, const std::string& mask,
                             nlohmann::json fields, const std::string& email = kAlexEmail) {
    fields["etag"] = exercise.value("etag", "");
    return Rest().Patch(ExercisePath(exercise.value("id", "")) + "?updateMask=" + mask, fields,
                        TokenOf(email));
  }

  // Every exercise of the caller's library, page by page (`query` adds filters).
  static std::vector<nlohmann::json> ListAll(const std::string& email, const std::string& query,
                                             int page_size = 500) {
    std::vector<nlohmann::json> all;
    std::string token;
    for (int pages = 0; pages < 100; ++pages) {
      std::string path = "/v1/exercises?pageSize=" + std::to_string(page_size) + query;
      if (!token.empty()) {
        path += "&pageToken=" + token;
      }
      HttpResponse listed = Rest().Get(path, TokenOf(email));
      EXPECT_EQ(listed.status, 200) << listed.body;
      if (listed.status != 200) {
        break;
      }
      const nlohmann::json page = listed.Json();
      for (const nlohmann::json& exercise : page.value("exercises", nlohmann::json::array())) {
        all.push_back(exercise);
      }
      token = page.value("nextPageToken", "");
      if (token.empty()) {
        break;
      }
    }
    return all;
  }

  static std::vector<std::string> Ids(const std::vector<nlohmann::json>& exercises) {
    std::vector<std::string> ids;
    ids.reserve(exercises.size());
    for (const nlohmann::json& e : exercises) {
      ids.push_back(e.value("id", ""));
    }
    return ids;
  }
};

TEST_F(ExercisesApiTest, EveryDemoClinicStartsWithTheStarterSet) {
  const std::vector<nlohmann::json> library = ListAll(kAlexEmail, "");
  int starters = 0;
  std::set<std::string> categories;
  for (const nlohmann::json& e : library) {
    if (e.value("starter", false)) {
      ++starters;
      categories.insert(e.value("category", ""));
      EXPECT_FALSE(e.value("patientInstructions", "").empty());
      EXPECT_FALSE(e.value("clinicianNotes", "").empty()) << "clinicians read the notes";
      EXPECT_EQ(e.value("version", 0), 1);
    }
  }
  EXPECT_GE(starters, static_cast<int>(kStarterSetSize));
  EXPECT_EQ(categories.size(), 14u);

  HttpResponse kegels = Rest().Get(ExercisePath(kDemoKegelsId), TokenOf(kSamEmail));
  ASSERT_EQ(kegels.status, 200) << kegels.body;
  EXPECT_EQ(kegels.Json().value("category", ""), "EXERCISE_CATEGORY_KEGELS");
  EXPECT_EQ(kegels.Json().value("discreetTitle", ""), "Daily exercises");
  EXPECT_EQ(kegels.Json().value("authorUserId", "x"), "x") << "the starter set has no author";
  // The other clinic has its own copy, under its own ids.
  HttpResponse theirs =
      Rest().Get(ExercisePath(kOtherClinicKegelsId), TokenOf(kOtherTherapistEmail));
  ASSERT_EQ(theirs.status, 200) << theirs.body;
  EXPECT_EQ(theirs.Json().value("title", ""), kegels.Json().value("title", "?"));
}

TEST_F(ExercisesApiTest, CreatedExerciseRoundTripsEveryField) {
  const std::string title = "Calm breath " + Unique();
  const nlohmann::json created = Create(title);
  ASSERT_TRUE(created.is_object());

  HttpResponse read = Rest().Get(ExercisePath(created.value("id", "")), TokenOf(kSamEmail));

  ASSERT_EQ(read.status, 200) << read.body;
  const nlohmann::json e = read.Json();
  EXPECT_EQ(e, created);
  EXPECT_EQ(e.value("title", ""), title);
  EXPECT_EQ(e.value("version", 0), 1);
  EXPECT_EQ(e.value("etag", ""), "v1");
  EXPECT_EQ(e.value("authorUserId", ""), kAlexUserId);
  EXPECT_EQ(e.value("category", ""), "EXERCISE_CATEGORY_BREATHING");
  EXPECT_EQ(e["parameters"],
            nlohmann::json({"DOSE_PARAMETER_REPS", "DOSE_PARAMETER_DURATION_MINUTES"}));
  EXPECT_EQ(e["media"][0].value("url", ""), "https://example.org/audio.mp3");
  EXPECT_EQ(e["contraindications"][0], "Light-headedness: slow down.");
  EXPECT_EQ(e["disciplines"].size(), 2u);
  EXPECT_EQ(e.value("discreetTitle", ""), "Calm breath");
  EXPECT_EQ(e.value("patientInstructions", ""), "Breathe in slowly.\nLet your belly rise.");
  EXPECT_FALSE(e.value("starter", false));
  EXPECT_FALSE(e.value("createTime", "").empty());
  // The audit trail names the exercise by id only.
  const std::vector<std::string> resources = Query(
      "SELECT resource FROM audit_events WHERE action = 'confide.v1.ExerciseService.CreateExercise'"
      " AND resource = 'exercises/" +
      created.value("id", "") + "'");
  EXPECT_EQ(resources.size(), 1u);
}

// An edit is a new version: the version a programme prescribed reads back unchanged.
TEST_F(ExercisesApiTest, UpdateMakesANewVersionAndKeepsTheOldOne) {
  const nlohmann::json v1 = Create("Versioned " + Unique());
  ASSERT_TRUE(v1.is_object());

  HttpResponse updated = Update(v1, "patientInstructions,contraindications",
                                {{"patientInstructions", "Gentler wording."},
                                 {"contraindications", nlohmann::json::array()}});

  ASSERT_EQ(updated.status, 200) << updated.body;
  EXPECT_EQ(updated.Json().value("version", 0), 2);
  EXPECT_EQ(updated.Json().value("etag", ""), "v2");
  EXPECT_EQ(updated.Json().value("patientInstructions", ""), "Gentler wording.");
  EXPECT_FALSE(updated.Json().contains("contraindications"));
  EXPECT_EQ(updated.Json().value("title", ""), v1.value("title", "?"));
  HttpResponse old =
      Rest().Get(ExercisePath(v1.value("id", "")) + "?version=1", TokenOf(kSamEmail));
  ASSERT_EQ(old.status, 200) << old.body;
  EXPECT_EQ(old.Json(), v1);
  HttpResponse latest = Rest().Get(ExercisePath(v1.value("id", "")), TokenOf(kSamEmail));
  ASSERT_EQ(latest.status, 200);
  EXPECT_EQ(latest.Json(), updated.Json());
  HttpResponse missing =
      Rest().Get(ExercisePath(v1.value("id", "")) + "?version=3", TokenOf(kSamEmail));
  EXPECT_TRUE(IsErrorAnswer(missing, 404, kNotFound));
}

TEST_F(ExercisesApiTest, StaleEtagIsAbortedAndChangesNothing) {
  const nlohmann::json v1 = Create("Stale " + Unique());
  ASSERT_TRUE(v1.is_object());
  ASSERT_EQ(Update(v1, "title", {{"title", "First edit " + Unique()}}).status, 200);

  HttpResponse stale = Update(v1, "title", {{"title", "From a stale copy"}});

  EXPECT_TRUE(IsErrorAnswer(stale, 409, kAborted)) << stale.body;
  HttpResponse latest = Rest().Get(ExercisePath(v1.value("id", "")), TokenOf(kAlexEmail));
  EXPECT_EQ(latest.Json().value("version", 0), 2);
  EXPECT_NE(latest.Json().value("title", ""), "From a stale copy");
}

// Two clinicians saving the same version at once: one edit wins, the others are told to reload
// (ABORTED), and no version is lost, doubled or overwritten.
TEST_F(ExercisesApiTest, ConcurrentUpdatesFromTheSameVersionMakeExactlyOneNewVersion) {
  const nlohmann::json v1 = Create("Race " + Unique());
  ASSERT_TRUE(v1.is_object());
  const std::string id = v1.value("id", "");
  constexpr int kEditors = 6;
  std::vector<HttpResponse> answers(kEditors);
  {
    std::vector<std::thread> editors;
    editors.reserve(kEditors);
    for (int i = 0; i < kEditors; ++i) {
      editors.emplace_back([&, i] {
        answers[i] = Update(v1, "title", {{"title", "Edit " + std::to_string(i)}},
                            i % 2 == 0 ? kAlexEmail : kSamEmail);
      });
    }
    for (std::thread& editor : editors) {
      editor.join();
    }
  }

  int won = 0;
  std::string winning_title;
  for (const HttpResponse& answer : answers) {
    if (answer.status == 200) {
      ++won;
      winning_title = answer.Json().value("title", "");
      EXPECT_EQ(answer.Json().value("version", 0), 2);
    } else {
      EXPECT_TRUE(IsErrorAnswer(answer, 409, kAborted)) << answer.body;
    }
  }
  EXPECT_EQ(won, 1);
  EXPECT_EQ(Query("SELECT COUNT(*) FROM exercise_versions WHERE exercise_id = '" + id + "'"),
            std::vector<std::string>{"2"});
  HttpResponse latest = Rest().Get(ExercisePath(id), TokenOf(kAlexEmail));
  ASSERT_EQ(latest.status, 200) << latest.body;
  EXPECT_EQ(latest.Json().value("version", 0), 2);
  EXPECT_EQ(latest.Json().value("title", ""), winning_title);
  EXPECT_EQ(Query("SELECT title FROM exercises WHERE id = '" + id + "'"),
            std::vector<std::string>{winning_title});
}

// Retries of one create racing each other (a phone on a flaky network) still make one exercise.
TEST_F(ExercisesApiTest, ConcurrentRetriesOfOneCreateMakeOneExercise) {
  const std::string request_id = "race-" + Unique();
  const std::string title = "Raced create " + Unique();
  std::vector<HttpResponse> answers(6);
  {
    std::vector<std::thread> retries;
    retries.reserve(answers.size());
    for (size_t i = 0; i < answers.size(); ++i) {
      retries.emplace_back([&, i] {
        answers[i] = Rest().Post("/v1/exercises?requestId=" + request_id, ExerciseBody(title),
                                 TokenOf(kAlexEmail));
      });
    }
    for (std::thread& retry : retries) {
      retry.join();
    }
  }

  ASSERT_EQ(answers[0].status, 200) << answers[0].body;
  const std::string id = answers[0].Json().value("id", "");
  for (const HttpResponse& answer : answers) {
    ASSERT_EQ(answer.status, 200) << answer.body;
    EXPECT_EQ(answer.Json().value("id", ""), id);
  }
  EXPECT_EQ(Query("SELECT id FROM exercises WHERE create_request_id = '" + request_id + "'"),
            std::vector<std::string>{id});
}

TEST_F(ExercisesApiTest, RetriedCreateWithTheSameRequestIdMakesOneExercise) {
  const std::string request_id = "create-" + Unique();
  const nlohmann::json first = Create("Retried " + Unique(), request_id);
  ASSERT_TRUE(first.is_object());

  const nlohmann::json again = Create("Retried differently " + Unique(), request_id);

  ASSERT_TRUE(again.is_object());
  EXPECT_EQ(again, first);
  const std::vector<std::string> rows =
      Query("SELECT id FROM exercises WHERE create_request_id = '" + request_id + "'");
  EXPECT_THAT(rows, ElementsAre(first.value("id", "")));
}

TEST_F(ExercisesApiTest, InvalidExerciseIsRefusedNamingEachField) {
  nlohmann::json body = ExerciseBody("");
  body["media"][0]["url"] = "javascript:alert(1)";
  body["disciplines"] = {"PLAN_DISCIPLINE_SEX_THERAPY", "PLAN_DISCIPLINE_SEX_THERAPY"};

  HttpResponse refused = Rest().Post("/v1/exercises", body, TokenOf(kAlexEmail));

  ASSERT_TRUE(IsErrorAnswer(refused, 400, kInvalidArgument)) << refused.body;
  EXPECT_THAT(ViolatedFields(refused.Json()),
              ElementsAre("exercise.title", "exercise.media[0].url", "exercise.disciplines[1]"));
  EXPECT_EQ(refused.body.find("javascript"), std::string::npos) << "values are never echoed";

  const nlohmann::json made = Create("Masked " + Unique());
  ASSERT_TRUE(made.is_object());
  HttpResponse bad_mask = Update(made, "etag", {{"title", "x"}});
  ASSERT_TRUE(IsErrorAnswer(bad_mask, 400, kInvalidArgument)) << bad_mask.body;
  EXPECT_THAT(ViolatedFields(bad_mask.Json()), ElementsAre("update_mask"));
  HttpResponse cleared = Update(made, "patientInstructions", {{"patientInstructions", " "}});
  ASSERT_TRUE(IsErrorAnswer(cleared, 400, kInvalidArgument)) << cleared.body;
  EXPECT_THAT(ViolatedFields(cleared.Json()), ElementsAre("exercise.patient_instructions"));
  HttpResponse big_page = Rest().Get("/v1/exercises?pageSize=501", TokenOf(kAlexEmail));
  ASSERT_TRUE(IsErrorAnswer(big_page, 400, kInvalidArgument)) << big_page.body;
  EXPECT_THAT(ViolatedFields(big_page.Json()), ElementsAre("page_size"));
}

// The library is the clinic staff's working material: patients, partners and auditors are
// refused; admins may manage it.
TEST_F(ExercisesApiTest, OnlyClinicsCliniciansAndAdminsUseTheLibrary) {
  for (const char* email : {kJoEmail, kKimEmail, kAuditorEmail}) {
    SCOPED_TRACE(email);
    EXPECT_TRUE(IsErrorAnswer(Rest().Get("/v1/exercises", TokenOf(email)), 403, kPermissionDenied));
    EXPECT_TRUE(IsErrorAnswer(Rest().Get(ExercisePath(kDemoKegelsId), TokenOf(email)), 403,
                              kPermissionDenied));
    EXPECT_TRUE(
        IsErrorAnswer(Rest().Post("/v1/exercises", ExerciseBody("Not allowed"), TokenOf(email)),
                      403, kPermissionDenied));
  }
  const nlohmann::json by_admin = Create("Admin's " + Unique(), "", kAdminEmail);
  ASSERT_TRUE(by_admin.is_object());
  HttpResponse archived = Update(by_admin, "archived", {{"archived", true}}, kAdminEmail);
  EXPECT_EQ(archived.status, 200) << archived.body;
  EXPECT_TRUE(IsErrorAnswer(Rest().Get("/v1/exercises"), 401, kUnauthenticated));
}

TEST_F(ExercisesApiTest, AnotherClinicsExerciseIsNotFoundExactlyLikeAMadeUpId) {
  HttpResponse theirs = Rest().Get(ExercisePath(kOtherClinicKegelsId), TokenOf(kSamEmail));
  HttpResponse made_up = Rest().Get(ExercisePath(kMadeUpExerciseId), TokenOf(kSamEmail));

  ASSERT_TRUE(IsErrorAnswer(theirs, 404, kNotFound)) << theirs.body;
  ASSERT_TRUE(IsErrorAnswer(made_up, 404, kNotFound)) << made_up.body;
  EXPECT_EQ(theirs.Json(), made_up.Json());
  HttpResponse theirs_updated =
      Rest().Patch(ExercisePath(kOtherClinicKegelsId) + "?updateMask=title",
                   {{"title", "Hijacked"}, {"etag", "v1"}}, TokenOf(kSamEmail));
  EXPECT_TRUE(IsErrorAnswer(theirs_updated, 404, kNotFound)) << theirs_updated.body;
  const std::vector<nlohmann::json> library = ListAll(kSamEmail, "&includeArchived=true");
  EXPECT_THAT(Ids(library), Not(Contains(kOtherClinicKegelsId)));
}

TEST_F(ExercisesApiTest, ArchivedExercisesLeaveTheListButStayReadable) {
  const nlohmann::json made = Create("Archive me " + Unique());
  ASSERT_TRUE(made.is_object());
  const std::string id = made.value("id", "");
  ASSERT_EQ(Update(made, "archived", {{"archived", true}}).status, 200);

  EXPECT_THAT(Ids(ListAll(kAlexEmail, "")), Not(Contains(id)));
  EXPECT_THAT(Ids(ListAll(kAlexEmail, "&includeArchived=true")), Contains(id));
  EXPECT_THAT(
      Ids(ListAll(kAlexEmail, "&category=EXERCISE_CATEGORY_BREATHING&includeArchived=true")),
      Contains(id));
  EXPECT_THAT(Ids(ListAll(kAlexEmail, "&category=EXERCISE_CATEGORY_KEGELS&includeArchived=true")),
              Not(Contains(id)));
  HttpResponse read = Rest().Get(ExercisePath(id), TokenOf(kAlexEmail));
  ASSERT_EQ(read.status, 200);
  EXPECT_TRUE(read.Json().value("archived", false));
}

// Small pages walk the whole library in the same order as one big page, each exercise once.
TEST_F(ExercisesApiTest, SmallPagesWalkTheLibraryInTitleOrder) {
  const std::vector<nlohmann::json> one_page = ListAll(kAlexEmail, "&includeArchived=true");
  const std::vector<nlohmann::json> paged = ListAll(kAlexEmail, "&includeArchived=true", 4);

  EXPECT_EQ(Ids(paged), Ids(one_page));
  const std::vector<std::string> ids = Ids(paged);
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), ids.size());
  HttpResponse first = Rest().Get("/v1/exercises?pageSize=2", TokenOf(kAlexEmail));
  ASSERT_EQ(first.status, 200);
  const std::string token = first.Json().value("nextPageToken", "");
  ASSERT_FALSE(token.empty());
  HttpResponse other_filter = Rest().Get(
      "/v1/exercises?pageSize=2&includeArchived=true&pageToken=" + token, TokenOf(kAlexEmail));
  ASSERT_TRUE(IsErrorAnswer(other_filter, 400, kInvalidArgument)) << other_filter.body;
  EXPECT_THAT(ViolatedFields(other_filter.Json()), ElementsAre("page_token"));
}

TEST_F(ExercisesApiTest, TheLibraryWorksOverGrpcToo) {
  auto stub = v1::ExerciseService::NewStub(channel());
  v1::CreateExerciseRequest create;
  create.mutable_exercise()->set_title("Over gRPC " + Unique());
  create.mutable_exercise()->set_patient_instructions("Stretch gently.");
  create.mutable_exercise()->set_category(v1::EXERCISE_CATEGORY_YOGA_AND_STRETCHING);
  create.set_request_id("grpc-" + Unique());
  v1::Exercise made;

  grpc::Status status = stub->CreateExercise(Context(TokenOf(kAlexEmail)).get(), create, &made);

  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_EQ(made.version(), 1);
  v1::Exercise replayed;
  status = stub->CreateExercise(Context(TokenOf(kAlexEmail)).get(), create, &replayed);
  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_EQ(replayed.id(), made.id());

  v1::UpdateExerciseRequest update;
  update.mutable_exercise()->set_id(made.id());
  update.mutable_exercise()->set_etag(made.etag());
  update.mutable_exercise()->set_discreet_title("Stretch break");
  update.mutable_update_mask()->add_paths("discreet_title");
  v1::Exercise v2;
  status = stub->UpdateExercise(Context(TokenOf(kSamEmail)).get(), update, &v2);
  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_EQ(v2.version(), 2);
  EXPECT_EQ(v2.author_user_id(), kSamUserId);
  status = stub->UpdateExercise(Context(TokenOf(kSamEmail)).get(), update, &v2);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::ABORTED) << Describe(status);

  v1::GetExerciseRequest get;
  get.set_exercise_id(made.id());
  get.set_version(1);
  v1::Exercise first;
  status = stub->GetExercise(Context(TokenOf(kSamEmail)).get(), get, &first);
  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_EQ(first.discreet_title(), "");

  v1::ListExercisesRequest list;
  list.set_category(v1::EXERCISE_CATEGORY_YOGA_AND_STRETCHING);
  list.set_page_size(500);
  v1::ListExercisesResponse listed;
  status = stub->ListExercises(Context(TokenOf(kSamEmail)).get(), list, &listed);
  ASSERT_TRUE(status.ok()) << Describe(status);
  std::vector<std::string> ids;
  for (const v1::Exercise& e : listed.exercises()) {
    ids.push_back(e.id());
    EXPECT_EQ(e.category(), v1::EXERCISE_CATEGORY_YOGA_AND_STRETCHING);
  }
  EXPECT_THAT(ids, Contains(made.id()));

  status = stub->ListExercises(Context(TokenOf(kJoEmail)).get(), list, &listed);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED) << Describe(status);
  get.set_exercise_id(kOtherClinicKegelsId);
  status = stub->GetExercise(Context(TokenOf(kSamEmail)).get(), get, &first);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND) << Describe(status);
}

// `confidectl exercises seed` for a clinic that already has the set adds nothing; an unknown
// clinic is an error.
TEST_F(ExercisesApiTest, SeedingAgainFromTheCommandLineAddsNothing) {
  const std::string before = Query("SELECT COUNT(*) FROM exercises").at(0);
  CommandResult seeded =
      RunCommand({CONFIDE_CTL_BINARY, "--database-url", server().database().url(),
                  "--master-key-file", server().master_key_path(), "exercises", "seed",
                  "--clinic-id", "0190d000-0000-7000-8000-000000000001"});
  EXPECT_EQ(seeded.exit_code, 0) << seeded.output;
  EXPECT_NE(seeded.output.find("0 starter exercises added"), std::string::npos) << seeded.output;
  EXPECT_EQ(Query("SELECT COUNT(*) FROM exercises").at(0), before);
  CommandResult unknown = RunCommand(
      {CONFIDE_CTL_BINARY, "--database-url", server().database().url(), "--master-key-file",
       server().master_key_path(), "exercises", "seed", "--clinic-id", kMadeUpExerciseId});
  EXPECT_NE(unknown.exit_code, 0) << unknown.output;
}

// A clinic made by `confidectl clinic create` starts with the whole starter set, and seeding it
// again adds nothing. On a database of its own: the suite's holds the demo clinic, which
// `clinic create` refuses.
TEST(ExercisesCommandLineTest, ClinicCreateSeedsTheStarterSetOnce) {
  std::string dir = (std::filesystem::temp_directory_path() / "confide_exercises_XXXXXX").string();
  ASSERT_NE(mkdtemp(dir.data()), nullptr);
  {
    std::string error;
    std::unique_ptr<ScratchDatabase> db = ScratchDatabase::Create(dir, &error);
    ASSERT_NE(db, nullptr) << error;
    const std::string key = dir + "/master.key";
    ASSERT_EQ(RunCommand({CONFIDE_CTL_BINARY, "--master-key-file", key, "keygen"}).exit_code, 0);
    const std::vector<std::string> ctl = {CONFIDE_CTL_BINARY, "--database-url", db->url(),
                                          "--master-key-file", key};
    std::vector<std::string> create = ctl;
    for (const char* arg : {"clinic", "create", "--name", "Starter Clinic", "--admin-email",
                            "admin@starter.example", "--admin-name", "Ada Admin"}) {
      create.push_back(arg);
    }
    CommandResult created = RunCommand(create);
    ASSERT_EQ(created.exit_code, 0) << created.output;
    const size_t at = created.output.find("clinic ");
    ASSERT_NE(at, std::string::npos) << created.output;
    const std::string clinic_id = created.output.substr(at + 7, 36);
    const std::string count_sql = "SELECT COUNT(*) FROM exercises WHERE clinic_id = '" + clinic_id +
                                  "' AND starter_key <> '' AND latest_version = 1";
    EXPECT_THAT(db->Query(count_sql, &error), ElementsAre(std::to_string(kStarterSetSize)))
        << error;

    std::vector<std::string> seed = ctl;
    for (const char* arg : {"exercises", "seed", "--clinic-id"}) {
      seed.push_back(arg);
    }
    seed.push_back(clinic_id);
    CommandResult seeded = RunCommand(seed);
    EXPECT_EQ(seeded.exit_code, 0) << seeded.output;
    EXPECT_NE(seeded.output.find("0 starter exercises added"), std::string::npos) << seeded.output;
    EXPECT_THAT(db->Query(count_sql, &error), ElementsAre(std::to_string(kStarterSetSize)))
        << error;
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace confide::api_test
