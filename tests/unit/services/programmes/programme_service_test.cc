// ProgrammeService over the in-memory unit of work with the real envelope cipher, called as the
// pipeline calls it (access already decided): versions and what they keep, the exercise library
// and plan links, the patient's view, status changes and etags, and the dilator's size clock.

#include "services/programmes/programme_service.h"

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "google/protobuf/field_mask.pb.h"
#include "gtest/gtest.h"
#include "services/api/field_errors.h"
#include "services/common/timestamps.h"
#include "services/exercises/exercise_store.h"
#include "services/plans/plan_service.h"
#include "services/programmes/ports/progression_suggestion_repository.h"
#include "services/programmes/programme_store.h"
#include "tests/fakes/clinical_test_support.h"
#include "tests/fakes/fake_id_generator.h"

namespace confide {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

constexpr char kClinic[] = "clinic-a";
constexpr char kJo[] = "00000000-0000-7000-8000-00000000f001";
constexpr char kRiley[] = "00000000-0000-7000-8000-00000000f002";
constexpr char kBreathing[] = "00000000-0000-7000-8000-00000000f101";
constexpr char kKegels[] = "00000000-0000-7000-8000-00000000f102";
constexpr char kDilator[] = "00000000-0000-7000-8000-00000000f103";
constexpr char kRetired[] = "00000000-0000-7000-8000-00000000f104";
const absl::Time kStart =
    absl::FromCivil(absl::CivilSecond(2026, 6, 1, 8, 0, 0), absl::UTCTimeZone());

InMemoryDatabase Seeded() {
  InMemoryDatabase db;
  for (const char* id : {kJo, kRiley}) {
    ClientRecord client{.clinic_id = kClinic};
    client.client.set_id(id);
    db.clients.emplace(id, client);
  }
  return db;
}

v1::Exercise LibraryExercise(const std::string& id, int version, v1::ExerciseCategory category,
                             const std::vector<v1::DoseParameter>& parameters,
                             bool archived = false) {
  v1::Exercise e;
  e.set_id(id);
  e.set_version(version);
  e.set_title(absl::StrCat("Exercise v", version));
  e.set_patient_instructions("Go gently.");
  e.set_clinician_notes("CLINICIAN-ONLY-NOTE");
  e.add_contraindications("CONTRAINDICATION");
  e.set_category(category);
  for (v1::DoseParameter p : parameters) {
    e.add_parameters(p);
  }
  e.set_archived(archived);
  *e.mutable_version_create_time() = ToTimestamp(kStart - absl::Hours(100 - version));
  *e.mutable_create_time() = ToTimestamp(kStart - absl::Hours(100));
  return e;
}

v1::DilatorPrescription Ladder(int current_size) {
  v1::DilatorPrescription d;
  for (int size = 1; size <= 6; ++size) {
    v1::DilatorSize* s = d.mutable_set()->add_sizes();
    s->set_size(size);
    s->set_diameter_mm(10 + 4 * size);
  }
  d.set_current_size(current_size);
  d.set_minutes_per_session(10);
  d.set_sessions_per_week(5);
  v1::ProgressionRule* rule = d.mutable_rule();
  rule->set_step_up_after_sessions(6);
  rule->set_step_up_window_sessions(3);
  rule->set_step_up_max_pain(2);
  rule->set_step_up_max_anxiety(3);
  rule->set_step_down_after_sessions(2);
  rule->set_step_down_min_pain(6);
  return d;
}

// Breathing daily and a dilator ladder at size 2 of 6.
v1::Programme Content() {
  v1::Programme p;
  p.set_title("Your home practice");
  p.set_patient_message("Small steps, at your pace.");
  p.set_time_zone("Europe/London");
  v1::ProgrammeItem* breathing = p.add_items();
  breathing->set_id("breathing");
  breathing->set_exercise_id(kBreathing);
  breathing->mutable_schedule()->set_times_per_period(1);
  breathing->mutable_schedule()->set_period(v1::SCHEDULE_PERIOD_DAY);
  breathing->mutable_dose()->set_duration_minutes(10);
  breathing->set_start_date("2026-06-01");
  v1::ProgrammeItem* dilator = p.add_items();
  dilator->set_id("dilator");
  dilator->set_exercise_id(kDilator);
  dilator->set_start_date("2026-06-01");
  *dilator->mutable_dilator() = Ladder(2);
  return p;
}

class ProgrammeServiceTest : public ClinicalServiceTest {
 protected:
  ProgrammeServiceTest()
      : ClinicalServiceTest(kStart, Seeded(), kClinic, kJo),
        service_(cipher_, ids_),
        plans_(cipher_, ids_) {}

  void SetUp() override {
    AddExercise(LibraryExercise(kBreathing, 1, v1::EXERCISE_CATEGORY_BREATHING,
                                {v1::DOSE_PARAMETER_DURATION_MINUTES}));
    AddExercise(LibraryExercise(
        kKegels, 1, v1::EXERCISE_CATEGORY_KEGELS,
        {v1::DOSE_PARAMETER_SETS, v1::DOSE_PARAMETER_REPS, v1::DOSE_PARAMETER_HOLD_SECONDS}));
    AddExercise(LibraryExercise(kDilator, 1, v1::EXERCISE_CATEGORY_DILATOR, {}));
    AddExercise(LibraryExercise(kRetired, 1, v1::EXERCISE_CATEGORY_MINDFULNESS,
                                {v1::DOSE_PARAMETER_DURATION_MINUTES}, /*archived=*/true));
  }

  // Adds version `exercise.version()` of a library exercise (a new exercise for version 1).
  void AddExercise(const v1::Exercise& exercise) {
    if (exercise.version() == 1) {
      ASSERT_TRUE(uow_.exercises()
                      .Insert(ExerciseRecord{.id = exercise.id(),
                                             .clinic_id = kClinic,
                                             .latest_version = 1,
                                             .title = exercise.title(),
                                             .category = exercise.category(),
                                             .archived = exercise.archived(),
                                             .create_time = kStart - absl::Hours(100),
                                             .created_by = "sam"},
                              "")
                      .ok());
    } else {
      ASSERT_TRUE(uow_.exercises()
                      .AdvanceLatest(kClinic, exercise.id(), exercise.version() - 1,
                                     exercise.version(), exercise.title(), exercise.category(),
                                     exercise.archived())
                      .ok());
    }
    ASSERT_TRUE(StoreExerciseVersion(uow_, kClinic, exercise).ok());
  }

  absl::StatusOr<v1::Programme> TryCreate(const v1::Programme& content,
                                          const std::string& request_id = "",
                                          const std::string& client_id = kJo) {
    v1::CreateProgrammeRequest request;
    request.set_client_id(client_id);
    *request.mutable_programme() = content;
    request.set_request_id(request_id);
    return As(clinician_, client_id, [&](RequestScope& s) { return service_.Create(request, s); });
  }

  v1::Programme Create(const v1::Programme& content = Content(),
                       const std::string& request_id = "") {
    absl::StatusOr<v1::Programme> made = TryCreate(content, request_id);
    EXPECT_TRUE(made.ok()) << made.status();
    return made.ok() ? *made : v1::Programme();
  }

  absl::StatusOr<v1::Programme> Update(const v1::Programme& changed,
                                       const std::vector<std::string>& paths) {
    v1::UpdateProgrammeRequest request;
    *request.mutable_programme() = changed;
    for (const std::string& path : paths) {
      request.mutable_update_mask()->add_paths(path);
    }
    return As(clinician_, kJo, [&](RequestScope& s) { return service_.Update(request, s); });
  }

  absl::StatusOr<v1::Programme> Change(const v1::Programme& programme, v1::ProgrammeStatus to,
                                       const std::string& etag = "") {
    v1::ChangeProgrammeStatusRequest request;
    request.set_client_id(kJo);
    request.set_programme_id(programme.id());
    request.set_etag(etag.empty() ? programme.etag() : etag);
    return As(clinician_, kJo, [&](RequestScope& s) {
      switch (to) {
        case v1::PROGRAMME_STATUS_ACTIVE:
          return service_.Activate(request, s);
        case v1::PROGRAMME_STATUS_PAUSED:
          return service_.Pause(request, s);
        default:
          return service_.End(request, s);
      }
    });
  }

  absl::StatusOr<v1::Programme> Get(const Principal& who, const std::string& id, int version = 0) {
    v1::GetProgrammeRequest request;
    request.set_client_id(kJo);
    request.set_programme_id(id);
    request.set_version(version);
    return As(who, kJo, [&](RequestScope& s) { return service_.Get(request, s); });
  }

  v1::ListProgrammesResponse List(const Principal& who) {
    v1::ListProgrammesRequest request;
    request.set_client_id(kJo);
    absl::StatusOr<v1::ListProgrammesResponse> listed =
        As(who, kJo, [&](RequestScope& s) { return service_.List(request, s); });
    EXPECT_TRUE(listed.ok()) << listed.status();
    return listed.ok() ? *listed : v1::ListProgrammesResponse();
  }

  // A plan of Jo's with goals g1 and g2.
  std::string CreatePlan(const std::string& client_id = kJo) {
    v1::CreatePlanRequest request;
    request.set_client_id(client_id);
    request.mutable_plan()->set_title("Plan");
    for (const char* id : {"g1", "g2"}) {
      v1::Goal* goal = request.mutable_plan()->add_goals();
      goal->set_id(id);
      goal->set_patient_wording("A goal");
    }
    absl::StatusOr<v1::TherapyPlan> plan =
        As(clinician_, client_id, [&](RequestScope& s) { return plans_.Create(request, s); });
    EXPECT_TRUE(plan.ok()) << plan.status();
    return plan.ok() ? plan->id() : "";
  }

  FakeIdGenerator ids_{"programmes"};
  ProgrammeService service_;
  PlanService plans_;
};

TEST_F(ProgrammeServiceTest, CreateMakesDraftVersionOneWithTheExerciseSnapshotFixed) {
  const absl::Time now = clock_.Now();
  const v1::Programme made = Create();

  EXPECT_EQ(made.version(), 1);
  EXPECT_EQ(made.status(), v1::PROGRAMME_STATUS_DRAFT);
  EXPECT_EQ(made.client_id(), kJo);
  EXPECT_EQ(made.author_user_id(), "sam");
  EXPECT_FALSE(made.etag().empty());
  EXPECT_FALSE(made.has_activate_time());
  ASSERT_EQ(made.items_size(), 2);
  EXPECT_EQ(made.items(0).exercise_version(), 1);
  EXPECT_EQ(made.items(0).exercise().clinician_notes(), "CLINICIAN-ONLY-NOTE");
  EXPECT_EQ(FromTimestamp(made.items(1).dilator().current_size_since()), now);
  EXPECT_EQ(last_resource_, ProgrammeResource(kJo, made.id()));
  // Sealed: no programme text in the stored row.
  ASSERT_EQ(uow_.state().programme_versions.size(), 1u);
  const std::string& sealed = uow_.state().programme_versions.begin()->second.content_sealed;
  EXPECT_THAT(sealed, Not(HasSubstr("Your home practice")));
  EXPECT_THAT(sealed, Not(HasSubstr("Small steps")));

  absl::StatusOr<v1::Programme> got = Get(clinician_, made.id());
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->SerializeAsString(), made.SerializeAsString());
}

TEST_F(ProgrammeServiceTest, RetriedCreateReturnsTheFirstProgramme) {
  const v1::Programme first = Create(Content(), "phone-1");
  const v1::Programme again = Create(Content(), "phone-1");

  EXPECT_EQ(again.id(), first.id());
  EXPECT_EQ(uow_.state().programmes.size(), 1u);
  // The same request id for another client reveals nothing of Jo's.
  EXPECT_EQ(TryCreate(Content(), "phone-1", kRiley).status().code(),
            absl::StatusCode::kAlreadyExists);
}

TEST_F(ProgrammeServiceTest, ItemsWithoutIdsGetUniqueIds) {
  v1::Programme content = Content();
  content.mutable_items(0)->clear_id();
  v1::ProgrammeItem* copy = content.add_items();
  *copy = content.items(0);
  const v1::Programme made = Create(content);

  ASSERT_EQ(made.items_size(), 3);
  EXPECT_FALSE(made.items(0).id().empty());
  EXPECT_NE(made.items(0).id(), made.items(2).id());
}

// An edit of the library never changes what a patient was already given.
TEST_F(ProgrammeServiceTest, ItemKeepsItsExerciseVersionAfterALibraryEdit) {
  const v1::Programme first = Create();
  AddExercise(LibraryExercise(kBreathing, 2, v1::EXERCISE_CATEGORY_BREATHING,
                              {v1::DOSE_PARAMETER_DURATION_MINUTES}));
  v1::Programme changed = first;
  changed.set_title("Renamed");
  v1::ProgrammeItem* added = changed.add_items();
  added->set_exercise_id(kBreathing);
  added->mutable_schedule()->set_times_per_period(2);
  added->mutable_schedule()->set_period(v1::SCHEDULE_PERIOD_WEEK);
  added->set_start_date("2026-06-08");

  absl::StatusOr<v1::Programme> second = Update(changed, {"title", "items"});

  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->version(), 2);
  EXPECT_EQ(second->title(), "Renamed");
  EXPECT_EQ(second->items(0).exercise_version(), 1);
  EXPECT_EQ(second->items(0).exercise().title(), "Exercise v1");
  EXPECT_EQ(second->items(2).exercise_version(), 2);
  EXPECT_NE(second->etag(), first.etag());
  // Version 1 is still there, unchanged.
  absl::StatusOr<v1::Programme> old = Get(clinician_, first.id(), 1);
  ASSERT_TRUE(old.ok()) << old.status();
  EXPECT_EQ(old->title(), "Your home practice");
  EXPECT_EQ(old->items_size(), 2);
}

TEST_F(ProgrammeServiceTest, ArchivedExerciseIsRefusedForANewItemOnly) {
  v1::Programme content = Content();
  content.mutable_items(0)->set_exercise_id(kRetired);
  absl::StatusOr<v1::Programme> refused = TryCreate(content);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(refused.status().message(), HasSubstr("programme.items[0].exercise_id"));

  // Prescribed before it was archived: the item stays.
  const v1::Programme made = Create();
  AddExercise(LibraryExercise(kBreathing, 2, v1::EXERCISE_CATEGORY_BREATHING,
                              {v1::DOSE_PARAMETER_DURATION_MINUTES}, /*archived=*/true));
  v1::Programme changed = made;
  changed.set_title("Still here");
  absl::StatusOr<v1::Programme> kept = Update(changed, {"title", "items"});
  ASSERT_TRUE(kept.ok()) << kept.status();
  EXPECT_EQ(kept->items(0).exercise_version(), 1);
}

TEST_F(ProgrammeServiceTest, DoseMaySetOnlyTheParametersTheExerciseAccepts) {
  v1::Programme content = Content();
  content.mutable_items(0)->mutable_dose()->set_reps(10);
  absl::StatusOr<v1::Programme> refused = TryCreate(content);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(refused.status().message(), HasSubstr("programme.items[0].dose.reps"));

  content.mutable_items(0)->set_exercise_id(kKegels);
  content.mutable_items(0)->clear_dose();
  content.mutable_items(0)->mutable_dose()->set_reps(10);
  content.mutable_items(0)->mutable_dose()->set_hold_seconds(5);
  EXPECT_TRUE(TryCreate(content).ok());
}

TEST_F(ProgrammeServiceTest, DilatorPrescriptionIsForAndOnlyForDilatorExercises) {
  v1::Programme content = Content();
  *content.mutable_items(0)->mutable_dilator() = Ladder(1);
  absl::StatusOr<v1::Programme> on_breathing = TryCreate(content);
  EXPECT_EQ(on_breathing.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(on_breathing.status().message(), HasSubstr("programme.items[0].dilator"));

  content = Content();
  content.mutable_items(1)->clear_dilator();
  absl::StatusOr<v1::Programme> missing = TryCreate(content);
  EXPECT_THAT(missing.status().message(), HasSubstr("programme.items[1].dilator"));

  content = Content();
  content.mutable_items(1)->mutable_schedule()->set_times_per_period(1);
  content.mutable_items(1)->mutable_schedule()->set_period(v1::SCHEDULE_PERIOD_DAY);
  absl::StatusOr<v1::Programme> scheduled = TryCreate(content);
  EXPECT_THAT(scheduled.status().message(), HasSubstr("programme.items[1].schedule"));
}

TEST_F(ProgrammeServiceTest, GoalsMustBeGoalsOfTheProgrammesPlanOfThisClient) {
  const std::string plan_id = CreatePlan();
  const std::string rileys_plan = CreatePlan(kRiley);
  v1::Programme content = Content();
  content.mutable_items(0)->add_goal_ids("g1");
  absl::StatusOr<v1::Programme> no_plan = TryCreate(content);
  EXPECT_THAT(no_plan.status().message(), HasSubstr("programme.items[0].goal_ids"));

  content.set_plan_id(rileys_plan);
  absl::StatusOr<v1::Programme> other_client = TryCreate(content);
  EXPECT_EQ(other_client.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(other_client.status().message(), HasSubstr("programme.plan_id"));

  content.set_plan_id(plan_id);
  content.mutable_items(1)->add_goal_ids("g9");
  absl::StatusOr<v1::Programme> unknown_goal = TryCreate(content);
  EXPECT_THAT(unknown_goal.status().message(), HasSubstr("programme.items[1].goal_ids[0]"));

  content.mutable_items(1)->set_goal_ids(0, "g2");
  absl::StatusOr<v1::Programme> linked = TryCreate(content);
  ASSERT_TRUE(linked.ok()) << linked.status();
  EXPECT_EQ(linked->plan_id(), plan_id);
}

TEST_F(ProgrammeServiceTest, PatientSeesNoDraftAndNoClinicianNotes) {
  const v1::Programme made = Create();
  EXPECT_EQ(Get(patient_, made.id()).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(List(patient_).programmes_size(), 0);
  EXPECT_EQ(List(clinician_).programmes_size(), 1);

  absl::StatusOr<v1::Programme> active = Change(made, v1::PROGRAMME_STATUS_ACTIVE);
  ASSERT_TRUE(active.ok()) << active.status();

  absl::StatusOr<v1::Programme> seen = Get(patient_, made.id());
  ASSERT_TRUE(seen.ok()) << seen.status();
  EXPECT_EQ(seen->status(), v1::PROGRAMME_STATUS_ACTIVE);
  EXPECT_EQ(seen->items(0).exercise().title(), "Exercise v1");
  EXPECT_THAT(seen->SerializeAsString(), Not(HasSubstr("CLINICIAN-ONLY-NOTE")));
  EXPECT_THAT(seen->SerializeAsString(), Not(HasSubstr("CONTRAINDICATION")));
  const v1::ListProgrammesResponse listed = List(patient_);
  ASSERT_EQ(listed.programmes_size(), 1);
  EXPECT_THAT(listed.SerializeAsString(), Not(HasSubstr("CLINICIAN-ONLY-NOTE")));

  // Only the latest version: an older one answers as if it did not exist.
  v1::Programme changed = *active;
  changed.set_title("v2");
  ASSERT_TRUE(Update(changed, {"title"}).ok());
  EXPECT_EQ(Get(patient_, made.id(), 1).status().code(), absl::StatusCode::kNotFound);
  EXPECT_TRUE(Get(patient_, made.id(), 2).ok());
  EXPECT_TRUE(Get(clinician_, made.id(), 1).ok());
  v1::ListProgrammeVersionsRequest versions;
  versions.set_client_id(kJo);
  versions.set_programme_id(made.id());
  EXPECT_EQ(As(patient_, kJo, [&](RequestScope& s) { return service_.ListVersions(versions, s); })
                .status()
                .code(),
            absl::StatusCode::kNotFound);
}

TEST_F(ProgrammeServiceTest, StatusChangesFollowTheLifecycleAndMoveTheEtag) {
  const v1::Programme draft = Create();
  EXPECT_EQ(Change(draft, v1::PROGRAMME_STATUS_PAUSED).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Change(draft, v1::PROGRAMME_STATUS_ENDED).status().code(),
            absl::StatusCode::kFailedPrecondition);
  const absl::Time activated_at = clock_.Now();
  absl::StatusOr<v1::Programme> active = Change(draft, v1::PROGRAMME_STATUS_ACTIVE);
  ASSERT_TRUE(active.ok()) << active.status();
  EXPECT_EQ(active->version(), 1);
  EXPECT_NE(active->etag(), draft.etag());
  EXPECT_EQ(FromTimestamp(active->activate_time()), activated_at);

  // The etag read before the status change is stale now.
  EXPECT_EQ(Change(draft, v1::PROGRAMME_STATUS_PAUSED).status().code(), absl::StatusCode::kAborted);
  v1::Programme stale = draft;
  stale.set_title("x");
  EXPECT_EQ(Update(stale, {"title"}).status().code(), absl::StatusCode::kAborted);

  absl::StatusOr<v1::Programme> again = Change(*active, v1::PROGRAMME_STATUS_ACTIVE);
  EXPECT_EQ(again.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(again.status().message(), HasSubstr("ACTIVE"));
  absl::StatusOr<v1::Programme> paused = Change(*active, v1::PROGRAMME_STATUS_PAUSED);
  ASSERT_TRUE(paused.ok()) << paused.status();
  absl::StatusOr<v1::Programme> resumed = Change(*paused, v1::PROGRAMME_STATUS_ACTIVE);
  ASSERT_TRUE(resumed.ok()) << resumed.status();
  // First activation is kept.
  EXPECT_EQ(FromTimestamp(resumed->activate_time()), activated_at);
  absl::StatusOr<v1::Programme> ended = Change(*resumed, v1::PROGRAMME_STATUS_ENDED);
  ASSERT_TRUE(ended.ok()) << ended.status();
  EXPECT_EQ(ended->status(), v1::PROGRAMME_STATUS_ENDED);

  v1::Programme late = *ended;
  late.set_title("After the end");
  absl::StatusOr<v1::Programme> refused = Update(late, {"title"});
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(refused.status().message(), HasSubstr("ENDED"));
  EXPECT_EQ(Change(*ended, v1::PROGRAMME_STATUS_ACTIVE).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(uow_.state().programme_versions.size(), 1u);
}

// The size clock starts when a size becomes current; an edit that keeps the size keeps it, and
// a clinician's size change supersedes a pending suggestion for that item.
TEST_F(ProgrammeServiceTest, DilatorSizeSinceMovesOnlyWhenTheSizeChanges) {
  const v1::Programme first = Create();
  const google::protobuf::Timestamp since = first.items(1).dilator().current_size_since();
  v1::Programme changed = first;
  changed.mutable_items(1)->mutable_dilator()->set_minutes_per_session(12);
  // A client cannot set the output-only clock.
  *changed.mutable_items(1)->mutable_dilator()->mutable_current_size_since() =
      ToTimestamp(kStart - absl::Hours(1000));
  absl::StatusOr<v1::Programme> second = Update(changed, {"items"});
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(FromTimestamp(second->items(1).dilator().current_size_since()), FromTimestamp(since));

  ASSERT_TRUE(uow_.progression_suggestions()
                  .Insert(ProgressionSuggestionRecord{.id = "sug-1",
                                                      .clinic_id = kClinic,
                                                      .client_id = kJo,
                                                      .programme_id = first.id(),
                                                      .programme_version = 2,
                                                      .item_id = "dilator",
                                                      .direction = 1,
                                                      .from_size = 2,
                                                      .to_size = 3,
                                                      .status = v1::SUGGESTION_STATUS_PENDING,
                                                      .create_time = clock_.Now()})
                  .ok());
  v1::Programme resized = *second;
  resized.mutable_items(1)->mutable_dilator()->set_current_size(3);
  const absl::Time now = clock_.Now();
  absl::StatusOr<v1::Programme> third = Update(resized, {"items"});
  ASSERT_TRUE(third.ok()) << third.status();
  EXPECT_EQ(FromTimestamp(third->items(1).dilator().current_size_since()), now);
  EXPECT_EQ(uow_.state().progression_suggestions.at("sug-1").status,
            v1::SUGGESTION_STATUS_SUPERSEDED);
}

TEST_F(ProgrammeServiceTest, VersionsListNewestFirstInPages) {
  v1::Programme latest = Create();
  for (int i = 2; i <= 4; ++i) {
    latest.set_title(absl::StrCat("Title ", i));
    absl::StatusOr<v1::Programme> next = Update(latest, {"title"});
    ASSERT_TRUE(next.ok()) << next.status();
    latest = *next;
  }
  v1::ListProgrammeVersionsRequest request;
  request.set_client_id(kJo);
  request.set_programme_id(latest.id());
  request.set_page_size(3);
  absl::StatusOr<v1::ListProgrammeVersionsResponse> first =
      As(clinician_, kJo, [&](RequestScope& s) { return service_.ListVersions(request, s); });
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_EQ(first->versions_size(), 3);
  EXPECT_EQ(first->versions(0).version(), 4);
  EXPECT_EQ(first->versions(2).version(), 2);
  EXPECT_EQ(first->versions(2).title(), "Title 2");
  ASSERT_FALSE(first->next_page_token().empty());
  request.set_page_token(first->next_page_token());
  absl::StatusOr<v1::ListProgrammeVersionsResponse> second =
      As(clinician_, kJo, [&](RequestScope& s) { return service_.ListVersions(request, s); });
  ASSERT_TRUE(second.ok()) << second.status();
  ASSERT_EQ(second->versions_size(), 1);
  EXPECT_EQ(second->versions(0).version(), 1);
  EXPECT_TRUE(second->next_page_token().empty());
}

TEST_F(ProgrammeServiceTest, AnotherClientsProgrammeIsNotFound) {
  const v1::Programme made = Create();
  v1::GetProgrammeRequest request;
  request.set_client_id(kRiley);
  request.set_programme_id(made.id());
  EXPECT_EQ(As(clinician_, kRiley, [&](RequestScope& s) { return service_.Get(request, s); })
                .status()
                .code(),
            absl::StatusCode::kNotFound);
  request.set_programme_id("not-an-id");
  EXPECT_EQ(As(clinician_, kRiley, [&](RequestScope& s) { return service_.Get(request, s); })
                .status()
                .code(),
            absl::StatusCode::kNotFound);
}

// An ended programme no longer changes, so a suggestion waiting on its ladder could never be
// accepted: ending it supersedes what is pending, and the caseload stops showing it.
TEST_F(ProgrammeServiceTest, EndingAProgrammeSupersedesItsPendingSuggestions) {
  const v1::Programme draft = Create();
  absl::StatusOr<v1::Programme> active = Change(draft, v1::PROGRAMME_STATUS_ACTIVE);
  ASSERT_TRUE(active.ok()) << active.status();
  ASSERT_TRUE(uow_.progression_suggestions()
                  .Insert(ProgressionSuggestionRecord{.id = "waiting",
                                                      .clinic_id = kClinic,
                                                      .client_id = kJo,
                                                      .programme_id = active->id(),
                                                      .programme_version = 1,
                                                      .item_id = "dilator",
                                                      .direction = 1,
                                                      .from_size = 2,
                                                      .to_size = 3,
                                                      .status = v1::SUGGESTION_STATUS_PENDING,
                                                      .create_time = kStart})
                  .ok());
  absl::StatusOr<v1::Programme> paused = Change(*active, v1::PROGRAMME_STATUS_PAUSED);
  ASSERT_TRUE(paused.ok()) << paused.status();
  EXPECT_EQ(uow_.state().progression_suggestions.at("waiting").status,
            v1::SUGGESTION_STATUS_PENDING);

  ASSERT_TRUE(Change(*paused, v1::PROGRAMME_STATUS_ENDED).ok());

  EXPECT_EQ(uow_.state().progression_suggestions.at("waiting").status,
            v1::SUGGESTION_STATUS_SUPERSEDED);
  EXPECT_EQ(*uow_.progression_suggestions().CountPendingOfClient(kClinic, kJo), 0);
}

// Attempts on ids that do not exist are audited with the id tried (ids only).
TEST_F(ProgrammeServiceTest, AnUnknownProgrammeIsAuditedWithTheIdTried) {
  const std::string unknown = "00000000-0000-7000-8000-00000000ffff";
  EXPECT_EQ(Get(clinician_, unknown).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(last_resource_, absl::StrCat("clients/", kJo, "/programmes/", unknown));
  v1::Programme ghost = Content();
  ghost.set_id(unknown);
  ghost.set_client_id(kJo);
  ghost.set_etag("v1");
  EXPECT_EQ(Update(ghost, {"title"}).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(last_resource_, absl::StrCat("clients/", kJo, "/programmes/", unknown));
}

}  // namespace
}  // namespace confide
