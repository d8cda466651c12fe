// ProgressService over the in-memory unit of work with the real envelope cipher, called as the
// pipeline calls it (access already decided): progress in her time zone, drafts hidden from her
// and her partner, goals as each caller may see the plan, discreet reminders, and the
// clinician's caseload with its attention reasons.

#include "services/progress/progress_service.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "confide/v1/access.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/common/timestamps.h"
#include "services/plans/plan_service.h"
#include "services/policy/access_policy.h"
#include "services/programmes/local_day.h"
#include "services/programmes/programme_store.h"
#include "tests/fakes/clinical_test_support.h"
#include "tests/fakes/fake_id_generator.h"

namespace confide {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr char kClinic[] = "clinic-a";
constexpr char kJo[] = "00000000-0000-7000-8000-00000000f001";
constexpr char kRiley[] = "00000000-0000-7000-8000-00000000f002";
constexpr char kCasey[] = "00000000-0000-7000-8000-00000000f003";
constexpr char kProgramme[] = "00000000-0000-7000-8000-00000000f101";
// Thursday 2026-11-26, 09:00 in New York (14:00 UTC).
const absl::Time kNow =
    absl::FromCivil(absl::CivilSecond(2026, 11, 26, 14, 0, 0), absl::UTCTimeZone());

InMemoryDatabase Seeded() {
  InMemoryDatabase db;
  const std::vector<std::pair<const char*, const char*>> clients = {
      {kJo, "sam"}, {kRiley, "sam"}, {kCasey, "alex"}};
  for (const auto& [id, clinician] : clients) {
    ClientRecord client{.clinic_id = kClinic};
    client.client.set_id(id);
    client.client.set_legal_given_name(std::string("Given-") + id[35]);
    client.client.set_status(v1::CLIENT_STATUS_ACTIVE);
    client.client.add_care_team()->set_user_id(clinician);
    db.clients.emplace(id, client);
  }
  db.clients[kJo].client.set_preferred_name("Jo");
  return db;
}

Principal Partner() {
  return Principal{.user_id = "kim",
                   .clinic_id = kClinic,
                   .role = v1::ROLE_PARTNER,
                   .client_id = kJo,
                   .session_id = "s4"};
}

// Breathing twice a day from Monday 2026-11-02, and a dilator ladder (three a week) from the
// same day, in New York.
v1::Programme Content(int dilator_size = 2) {
  v1::Programme p;
  p.set_title("Your home practice");
  p.set_time_zone("America/New_York");
  v1::ProgrammeItem* breathing = p.add_items();
  breathing->set_id("breathing");
  breathing->set_exercise_id("ex-breathing");
  breathing->mutable_exercise()->set_title("Belly breathing");
  breathing->mutable_exercise()->set_category(v1::EXERCISE_CATEGORY_DOWN_TRAINING);
  breathing->mutable_exercise()->set_discreet_title("Quiet time");
  breathing->mutable_schedule()->set_times_per_period(2);
  breathing->mutable_schedule()->set_period(v1::SCHEDULE_PERIOD_DAY);
  breathing->set_start_date("2026-11-02");
  breathing->add_goal_ids("g1");
  v1::ProgrammeItem* dilator = p.add_items();
  dilator->set_id("dilator");
  dilator->set_exercise_id("ex-dilator");
  dilator->mutable_exercise()->set_title("Dilator practice");
  dilator->mutable_exercise()->set_category(v1::EXERCISE_CATEGORY_DILATOR);
  dilator->set_start_date("2026-11-02");
  dilator->add_goal_ids("g2");
  v1::DilatorPrescription* d = dilator->mutable_dilator();
  for (int size = 1; size <= 6; ++size) {
    v1::DilatorSize* s = d->mutable_set()->add_sizes();
    s->set_size(size);
    s->set_diameter_mm(10 + 5 * size);
  }
  d->set_current_size(dilator_size);
  d->set_minutes_per_session(10);
  d->set_sessions_per_week(3);
  return p;
}

v1::TherapyPlan Plan() {
  v1::TherapyPlan plan;
  plan.set_title("Plan");
  for (const char* id : {"g1", "g2", "g3"}) {
    v1::Goal* goal = plan.add_goals();
    goal->set_id(id);
    goal->set_clinical_wording("A measurable goal");
    goal->set_patient_wording("A goal");
    goal->set_status(v1::GOAL_STATUS_IN_PROGRESS);
  }
  return plan;
}

class ProgressServiceTest : public ClinicalServiceTest {
 protected:
  ProgressServiceTest() : ClinicalServiceTest(kNow, Seeded(), kClinic, kJo) {}

  void AddProgramme(const std::string& id, const std::string& client_id, int status,
                    v1::Programme content = Content()) {
    ProgrammeRecord record{.id = id,
                           .clinic_id = kClinic,
                           .client_id = client_id,
                           .latest_version = 1,
                           .status = status,
                           .revision = 1,
                           .time_zone = content.time_zone(),
                           .create_time = kNow - absl::Hours(24 * 30),
                           .created_by = "sam"};
    if (status != v1::PROGRAMME_STATUS_DRAFT) {
      // Sunday 2026-11-01 in New York.
      record.activate_time = absl::FromCivil(absl::CivilSecond(2026, 11, 1, 12, 0, 0),
                                             *LoadProgrammeZone("America/New_York"));
    }
    ASSERT_TRUE(uow_.programmes().Insert(record, "").ok());
    ASSERT_TRUE(
        StoreProgrammeVersion(uow_, cipher_, record, 1, content, "sam", record.create_time).ok());
  }

  // A session at `local` (New York) of `item`.
  void Log(const std::string& client_id, const std::string& programme_id, const std::string& item,
           absl::CivilSecond local, int pain = 2, int size = 0,
           int completion = v1::PRACTICE_COMPLETION_FULLY) {
    const absl::TimeZone zone = *LoadProgrammeZone("America/New_York");
    const absl::Time at = absl::FromCivil(local, zone);
    const std::string id = absl::StrCat("log-", ++logs_);
    PracticeLogRecord log{.id = id,
                          .clinic_id = kClinic,
                          .client_id = client_id,
                          .programme_id = programme_id,
                          .programme_version = 1,
                          .item_id = item,
                          .practiced_at = at,
                          .local_date = LocalDate(at, zone),
                          .duration_minutes = 10,
                          .completion = completion,
                          .dilator_size = size,
                          .pain = completion == v1::PRACTICE_COMPLETION_SKIPPED ? -1 : pain,
                          .anxiety = completion == v1::PRACTICE_COMPLETION_SKIPPED ? -1 : 2,
                          .recorded_by_user_id = "jo-user",
                          .create_time = at,
                          .request_id = id};
    ASSERT_TRUE(uow_.practice_logs().Insert(log).ok());
  }

  absl::StatusOr<v1::Progress> Progress(const Principal& who, int weeks = 0,
                                        const std::string& programme_id = kProgramme) {
    v1::GetProgressRequest request;
    request.set_client_id(who.role == v1::ROLE_PATIENT ? "me" : kJo);
    request.set_programme_id(programme_id);
    request.set_weeks(weeks);
    return As(who, kJo, [&](RequestScope& s) { return service_.GetProgress(request, s); });
  }

  absl::StatusOr<v1::ListDueItemsResponse> Due(const Principal& who, v1::ReminderWording wording) {
    v1::ListDueItemsRequest request;
    request.set_client_id(kJo);
    request.set_wording(wording);
    return As(who, kJo, [&](RequestScope& s) { return service_.ListDueItems(request, s); });
  }

  absl::StatusOr<v1::ListCaseloadResponse> Caseload(int inactive_days = 0,
                                                    bool attention_only = false) {
    v1::ListCaseloadRequest request;
    request.set_inactive_days(inactive_days);
    request.set_needs_attention_only(attention_only);
    return As(clinician_, "", [&](RequestScope& s) { return service_.ListCaseload(request, s); });
  }

  // A plan for Jo with goals g1..g3; returns its id.
  std::string AddPlan() {
    v1::CreatePlanRequest request;
    request.set_client_id(kJo);
    *request.mutable_plan() = Plan();
    absl::StatusOr<v1::TherapyPlan> plan =
        As(clinician_, kJo, [&](RequestScope& s) { return plans_.Create(request, s); });
    EXPECT_TRUE(plan.ok()) << plan.status();
    return plan.ok() ? plan->id() : "";
  }

  void AchieveGoal(const std::string& plan_id, int goal) {
    v1::GetPlanRequest get;
    get.set_client_id(kJo);
    get.set_plan_id(plan_id);
    absl::StatusOr<v1::TherapyPlan> latest =
        As(clinician_, kJo, [&](RequestScope& s) { return plans_.Get(get, s); });
    ASSERT_TRUE(latest.ok()) << latest.status();
    v1::UpdatePlanRequest update;
    *update.mutable_plan() = *latest;
    update.mutable_plan()->mutable_goals(goal)->set_status(v1::GOAL_STATUS_ACHIEVED);
    update.mutable_plan()->mutable_goals(goal)->set_achieved_date("2026-11-20");
    update.mutable_update_mask()->add_paths("goals");
    ASSERT_TRUE(
        As(clinician_, kJo, [&](RequestScope& s) { return plans_.Update(update, s); }).ok());
  }

  void SharePlan(const std::string& plan_id) {
    v1::SharePlanVersionRequest request;
    request.set_client_id(kJo);
    request.set_plan_id(plan_id);
    ASSERT_TRUE(
        As(clinician_, kJo, [&](RequestScope& s) { return plans_.Share(request, s); }).ok());
  }

  void LinkKim(uint32_t shares) {
    uow_.state().partner_links["link"] = PartnerLinkRecord{.id = "link",
                                                           .clinic_id = kClinic,
                                                           .client_id = kJo,
                                                           .partner_user_id = "kim",
                                                           .shares = shares};
  }

  FakeIdGenerator ids_{"progress"};
  ProgressService service_{cipher_};
  PlanService plans_{cipher_, ids_};
  int logs_ = 0;
};

TEST_F(ProgressServiceTest, ProgressIsCountedInHerTimeZone) {
  AddProgramme(kProgramme, kJo, v1::PROGRAMME_STATUS_ACTIVE);
  for (int day = 2; day <= 25; ++day) {
    Log(kJo, kProgramme, "breathing", absl::CivilSecond(2026, 11, day, 7, 30, 0), 1);
    Log(kJo, kProgramme, "breathing", absl::CivilSecond(2026, 11, day, 22, 30, 0), 1);
  }
  // 23:30 on Wednesday the 25th in New York is Thursday in UTC: still her Wednesday.
  Log(kJo, kProgramme, "dilator", absl::CivilSecond(2026, 11, 2, 20, 0, 0), 4, 2);
  Log(kJo, kProgramme, "dilator", absl::CivilSecond(2026, 11, 4, 20, 0, 0), 3, 2);
  Log(kJo, kProgramme, "dilator", absl::CivilSecond(2026, 11, 6, 20, 0, 0), 2, 2);
  Log(kJo, kProgramme, "dilator", absl::CivilSecond(2026, 11, 10, 20, 0, 0), 2, 3);
  Log(kJo, kProgramme, "dilator", absl::CivilSecond(2026, 11, 25, 23, 30, 0), 0, 3);
  Log(kJo, kProgramme, "dilator", absl::CivilSecond(2026, 11, 18, 20, 0, 0), -1, 0,
      v1::PRACTICE_COMPLETION_SKIPPED);

  absl::StatusOr<v1::Progress> progress = Progress(patient_);

  ASSERT_TRUE(progress.ok()) << progress.status();
  EXPECT_EQ(last_resource_, absl::StrCat("clients/", kJo, "/programmes/", kProgramme));
  EXPECT_EQ(progress->programme_id(), kProgramme);
  EXPECT_EQ(progress->time_zone(), "America/New_York");
  EXPECT_EQ(progress->as_of_date(), "2026-11-26");
  ASSERT_EQ(progress->items_size(), 2);

  const v1::ItemProgress& breathing = progress->items(0);
  EXPECT_EQ(breathing.title(), "Belly breathing");
  ASSERT_EQ(breathing.weeks_size(), 4);
  EXPECT_EQ(breathing.weeks(0).week_start(), "2026-11-02");
  EXPECT_EQ(breathing.weeks(0).prescribed(), 14);
  EXPECT_EQ(breathing.weeks(0).done(), 14);
  EXPECT_EQ(breathing.weeks(0).average_pain_tenths(), 10);
  // This week up to today (Thursday): 8 prescribed, 6 done (nothing yet today).
  EXPECT_EQ(breathing.weeks(3).prescribed(), 8);
  EXPECT_EQ(breathing.weeks(3).done(), 6);
  EXPECT_EQ(breathing.adherence_percent(), 48 * 100 / 50);
  EXPECT_EQ(breathing.current_streak_days(), 24);
  EXPECT_EQ(breathing.total_sessions(), 48);

  const v1::ItemProgress& dilator = progress->items(1);
  EXPECT_EQ(dilator.category(), v1::EXERCISE_CATEGORY_DILATOR);
  EXPECT_EQ(dilator.current_size(), 2);
  EXPECT_EQ(dilator.total_sessions(), 5);
  ASSERT_EQ(dilator.weeks_size(), 4);
  EXPECT_EQ(dilator.weeks(2).skipped(), 1);
  EXPECT_EQ(dilator.weeks(3).done(), 1);
  ASSERT_EQ(dilator.dilator_timeline_size(), 2);
  EXPECT_EQ(dilator.dilator_timeline(1).size(), 3);
  EXPECT_EQ(dilator.dilator_timeline(1).diameter_mm(), 25);
  EXPECT_EQ(dilator.dilator_timeline(1).last_date(), "2026-11-25");

  std::vector<v1::ProgressMilestoneKind> kinds;
  for (const v1::ProgressMilestone& m : progress->milestones()) {
    kinds.push_back(m.kind());
  }
  // First session 11-02, ten on 11-05, a week of breathing on 11-08, size 3 on 11-10, fifty on
  // 11-24 and her first dilator session without pain on 11-25.
  EXPECT_THAT(kinds, ElementsAre(v1::PROGRESS_MILESTONE_KIND_FIRST_SESSION,
                                 v1::PROGRESS_MILESTONE_KIND_TEN_SESSIONS,
                                 v1::PROGRESS_MILESTONE_KIND_SEVEN_DAY_STREAK,
                                 v1::PROGRESS_MILESTONE_KIND_FIRST_SESSION_AT_NEW_SIZE,
                                 v1::PROGRESS_MILESTONE_KIND_FIFTY_SESSIONS,
                                 v1::PROGRESS_MILESTONE_KIND_FIRST_PAIN_FREE_SESSION));
  EXPECT_EQ(progress->milestones(4).date(), "2026-11-24");
  EXPECT_EQ(progress->milestones(5).item_id(), "dilator");
  // No plan: no goals.
  EXPECT_EQ(progress->goals_total(), 0);
}

TEST_F(ProgressServiceTest, WeeksAskedForAreShown) {
  AddProgramme(kProgramme, kJo, v1::PROGRAMME_STATUS_ACTIVE);
  absl::StatusOr<v1::Progress> progress = Progress(clinician_, 2);
  ASSERT_TRUE(progress.ok()) << progress.status();
  ASSERT_EQ(progress->items(0).weeks_size(), 2);
  EXPECT_EQ(progress->items(0).weeks(0).week_start(), "2026-11-16");
  EXPECT_EQ(progress->items(0).adherence_percent(), 0);
}

TEST_F(ProgressServiceTest, ADraftIsTheCareTeamsOnly) {
  AddProgramme(kProgramme, kJo, v1::PROGRAMME_STATUS_DRAFT);
  LinkKim(ShareBit(v1::PARTNER_SHARE_PROGRESS_SUMMARY));
  EXPECT_EQ(Progress(patient_).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(Progress(Partner()).status().code(), absl::StatusCode::kNotFound);
  absl::StatusOr<v1::Progress> seen = Progress(clinician_);
  ASSERT_TRUE(seen.ok()) << seen.status();
  // Never activated: nothing prescribed.
  EXPECT_EQ(seen->items(0).adherence_percent(), -1);
}

TEST_F(ProgressServiceTest, AnotherClientsProgrammeIsNotFound) {
  AddProgramme(kProgramme, kRiley, v1::PROGRAMME_STATUS_ACTIVE);
  absl::StatusOr<v1::Progress> progress = Progress(clinician_);
  EXPECT_EQ(progress.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(Progress(clinician_, 0, "made-up").status().code(), absl::StatusCode::kNotFound);
}

// Her adherence does not keep falling once the clinician paused the programme.
TEST_F(ProgressServiceTest, APausedProgrammePrescribesNothingAfterItsLastPractice) {
  AddProgramme(kProgramme, kJo, v1::PROGRAMME_STATUS_PAUSED);
  for (int day = 2; day <= 8; ++day) {
    Log(kJo, kProgramme, "breathing", absl::CivilSecond(2026, 11, day, 8, 0, 0));
    Log(kJo, kProgramme, "breathing", absl::CivilSecond(2026, 11, day, 20, 0, 0));
  }
  absl::StatusOr<v1::Progress> progress = Progress(clinician_);
  ASSERT_TRUE(progress.ok()) << progress.status();
  EXPECT_EQ(progress->items(0).adherence_percent(), 100);
  EXPECT_EQ(progress->items(0).weeks(1).prescribed(), 0);
}

// The care team counts goals in the plan's latest version; the patient and a partner with the
// goals share in the shared version; a partner without it sees none.
TEST_F(ProgressServiceTest, GoalsAreCountedAsTheCallerMaySeeThePlan) {
  const std::string plan_id = AddPlan();
  v1::Programme content = Content();
  content.set_plan_id(plan_id);
  AddProgramme(kProgramme, kJo, v1::PROGRAMME_STATUS_ACTIVE, content);
  AchieveGoal(plan_id, 0);

  absl::StatusOr<v1::Progress> care_team = Progress(clinician_);
  ASSERT_TRUE(care_team.ok()) << care_team.status();
  EXPECT_EQ(care_team->goals_total(), 2);  // g3 is not linked to an item
  EXPECT_EQ(care_team->goals_achieved(), 1);

  absl::StatusOr<v1::Progress> unshared = Progress(patient_);
  ASSERT_TRUE(unshared.ok()) << unshared.status();
  EXPECT_EQ(unshared->goals_total(), 0);

  SharePlan(plan_id);
  AchieveGoal(plan_id, 1);  // not shared yet
  absl::StatusOr<v1::Progress> patient = Progress(patient_);
  ASSERT_TRUE(patient.ok()) << patient.status();
  EXPECT_EQ(patient->goals_total(), 2);
  EXPECT_EQ(patient->goals_achieved(), 1);

  LinkKim(ShareBit(v1::PARTNER_SHARE_PROGRESS_SUMMARY));
  absl::StatusOr<v1::Progress> without_goals = Progress(Partner());
  ASSERT_TRUE(without_goals.ok()) << without_goals.status();
  EXPECT_EQ(without_goals->goals_total(), 0);
  LinkKim(ShareBit(v1::PARTNER_SHARE_PROGRESS_SUMMARY) | ShareBit(v1::PARTNER_SHARE_GOALS) |
          ShareBit(v1::PARTNER_SHARE_PLAN_SUMMARY));
  absl::StatusOr<v1::Progress> with_goals = Progress(Partner());
  ASSERT_TRUE(with_goals.ok()) << with_goals.status();
  EXPECT_EQ(with_goals->goals_total(), 2);
  EXPECT_EQ(with_goals->goals_achieved(), 1);
}

TEST_F(ProgressServiceTest, DueItemsSayWhatIsLeftToday) {
  AddProgramme(kProgramme, kJo, v1::PROGRAMME_STATUS_ACTIVE);
  AddProgramme("draft-programme", kJo, v1::PROGRAMME_STATUS_DRAFT);
  Log(kJo, kProgramme, "breathing", absl::CivilSecond(2026, 11, 26, 7, 0, 0));
  Log(kJo, kProgramme, "dilator", absl::CivilSecond(2026, 11, 23, 20, 0, 0), 2, 2);

  absl::StatusOr<v1::ListDueItemsResponse> plain = Due(patient_, v1::REMINDER_WORDING_PLAIN);

  ASSERT_TRUE(plain.ok()) << plain.status();
  EXPECT_EQ(last_resource_, absl::StrCat("clients/", kJo, "/dueItems"));
  EXPECT_EQ(plain->date(), "2026-11-26");
  ASSERT_EQ(plain->items_size(), 2);
  const v1::DueItem& breathing = plain->items(0);
  EXPECT_EQ(breathing.programme_id(), kProgramme);
  EXPECT_EQ(breathing.programme_version(), 1);
  EXPECT_EQ(breathing.title(), "Belly breathing");
  EXPECT_EQ(breathing.category(), v1::EXERCISE_CATEGORY_DOWN_TRAINING);
  EXPECT_EQ(breathing.due_today(), 2);
  EXPECT_EQ(breathing.done_today(), 1);
  EXPECT_EQ(breathing.reminder_text(), "1 session left today");
  const v1::DueItem& dilator = plain->items(1);
  // Three a week, one done Monday: two left over Thursday..Sunday → 1 today.
  EXPECT_EQ(dilator.due_today(), 1);
  EXPECT_EQ(dilator.week_prescribed(), 3);
  EXPECT_EQ(dilator.week_done(), 1);
  EXPECT_EQ(dilator.dilator_size(), 2);
  EXPECT_EQ(dilator.minutes_per_session(), 10);
  EXPECT_EQ(dilator.title(), "Dilator practice");

  absl::StatusOr<v1::ListDueItemsResponse> discreet = Due(patient_, v1::REMINDER_WORDING_DISCREET);
  ASSERT_TRUE(discreet.ok()) << discreet.status();
  ASSERT_EQ(discreet->items_size(), 2);
  EXPECT_EQ(discreet->items(0).title(), "Quiet time");
  EXPECT_EQ(discreet->items(1).title(), "Practice time");
  for (const v1::DueItem& item : discreet->items()) {
    EXPECT_EQ(item.category(), v1::EXERCISE_CATEGORY_UNSPECIFIED);
    EXPECT_EQ(item.dilator_size(), 0);
    EXPECT_EQ(item.reminder_text().find("ilator"), std::string::npos);
  }
  EXPECT_EQ(discreet->items(0).reminder_text(), "1 left today");
}

TEST_F(ProgressServiceTest, NothingIsDueWithoutAnActiveProgramme) {
  AddProgramme(kProgramme, kJo, v1::PROGRAMME_STATUS_PAUSED);
  absl::StatusOr<v1::ListDueItemsResponse> due = Due(patient_, v1::REMINDER_WORDING_UNSPECIFIED);
  ASSERT_TRUE(due.ok()) << due.status();
  EXPECT_THAT(due->items(), IsEmpty());
  EXPECT_EQ(due->date(), "");
}

// Jo stopped logging 9 days ago; Riley's pain rose and she has a suggestion waiting; Casey is
// on another clinician's care team.
TEST_F(ProgressServiceTest, CaseloadPutsThoseNeedingAttentionFirst) {
  AddProgramme(kProgramme, kJo, v1::PROGRAMME_STATUS_ACTIVE);
  AddProgramme("riley-programme", kRiley, v1::PROGRAMME_STATUS_ACTIVE);
  AddProgramme("casey-programme", kCasey, v1::PROGRAMME_STATUS_ACTIVE);
  Log(kJo, kProgramme, "breathing", absl::CivilSecond(2026, 11, 17, 21, 0, 0), 3);
  Log(kRiley, "riley-programme", "dilator", absl::CivilSecond(2026, 11, 14, 20, 0, 0), 1, 2);
  Log(kRiley, "riley-programme", "dilator", absl::CivilSecond(2026, 11, 16, 20, 0, 0), 2, 2);
  Log(kRiley, "riley-programme", "dilator", absl::CivilSecond(2026, 11, 24, 20, 0, 0), 4, 2);
  Log(kRiley, "riley-programme", "dilator", absl::CivilSecond(2026, 11, 25, 20, 0, 0), 3, 2);
  ASSERT_TRUE(uow_.progression_suggestions()
                  .Insert(ProgressionSuggestionRecord{.id = "sug-1",
                                                      .clinic_id = kClinic,
                                                      .client_id = kRiley,
                                                      .programme_id = "riley-programme",
                                                      .programme_version = 1,
                                                      .item_id = "dilator",
                                                      .direction = 1,
                                                      .from_size = 2,
                                                      .to_size = 3,
                                                      .status = v1::SUGGESTION_STATUS_PENDING,
                                                      .create_time = kNow})
                  .ok());

  absl::StatusOr<v1::ListCaseloadResponse> caseload = Caseload();

  ASSERT_TRUE(caseload.ok()) << caseload.status();
  ASSERT_EQ(caseload->entries_size(), 2);
  const v1::CaseloadEntry& jo = caseload->entries(0);
  const v1::CaseloadEntry& riley = caseload->entries(1);
  EXPECT_EQ(jo.client_id(), kJo);
  EXPECT_EQ(jo.display_name(), "Jo");
  EXPECT_EQ(jo.active_programmes(), 1);
  EXPECT_EQ(jo.days_since_last_practice(), 9);
  EXPECT_EQ(jo.pain_last_7_days_tenths(), -1);
  EXPECT_EQ(jo.pain_previous_7_days_tenths(), 30);
  EXPECT_THAT(jo.attention(), ElementsAre(v1::ATTENTION_REASON_NOT_LOGGING));
  EXPECT_EQ(riley.client_id(), kRiley);
  EXPECT_EQ(riley.display_name(), "Given-2");
  EXPECT_EQ(riley.days_since_last_practice(), 1);
  EXPECT_EQ(riley.pain_last_7_days_tenths(), 35);
  EXPECT_EQ(riley.pain_previous_7_days_tenths(), 15);
  EXPECT_EQ(riley.pending_suggestions(), 1);
  EXPECT_THAT(riley.attention(), ElementsAre(v1::ATTENTION_REASON_PAIN_RISING,
                                             v1::ATTENTION_REASON_SUGGESTION_PENDING));

  // With 10 days allowed, Jo is fine and only Riley needs attention.
  absl::StatusOr<v1::ListCaseloadResponse> patient_ten = Caseload(10, true);
  ASSERT_TRUE(patient_ten.ok()) << patient_ten.status();
  ASSERT_EQ(patient_ten->entries_size(), 1);
  EXPECT_EQ(patient_ten->entries(0).client_id(), kRiley);
}

TEST_F(ProgressServiceTest, CaseloadLeavesOutClientsWithoutAnActiveProgramme) {
  AddProgramme(kProgramme, kJo, v1::PROGRAMME_STATUS_DRAFT);
  absl::StatusOr<v1::ListCaseloadResponse> caseload = Caseload();
  ASSERT_TRUE(caseload.ok()) << caseload.status();
  EXPECT_THAT(caseload->entries(), IsEmpty());
}

// Activated on 2026-11-01 and never logged: 25 days by today.
TEST_F(ProgressServiceTest, CaseloadFlagsAClientWhoNeverLogged) {
  AddProgramme(kProgramme, kJo, v1::PROGRAMME_STATUS_ACTIVE);
  absl::StatusOr<v1::ListCaseloadResponse> caseload = Caseload(30);
  ASSERT_TRUE(caseload.ok()) << caseload.status();
  ASSERT_EQ(caseload->entries_size(), 1);
  EXPECT_EQ(caseload->entries(0).days_since_last_practice(), -1);
  EXPECT_FALSE(caseload->entries(0).has_last_practice_time());
  EXPECT_THAT(caseload->entries(0).attention(), IsEmpty());
  caseload = Caseload(25);
  ASSERT_TRUE(caseload.ok()) << caseload.status();
  EXPECT_THAT(caseload->entries(0).attention(), ElementsAre(v1::ATTENTION_REASON_NOT_LOGGING));
}

TEST(ProgressValidationTest, NamesTheFieldOutOfRange) {
  v1::GetProgressRequest progress;
  progress.set_client_id("me");
  progress.set_programme_id("p");
  EXPECT_TRUE(ValidateGetProgress(progress).ok());
  progress.set_weeks(157);
  EXPECT_THAT(std::string(ValidateGetProgress(progress).message()), ::testing::HasSubstr("weeks"));
  progress.set_weeks(-1);
  EXPECT_EQ(ValidateGetProgress(progress).code(), absl::StatusCode::kInvalidArgument);
  progress.set_weeks(156);
  progress.clear_programme_id();
  EXPECT_THAT(std::string(ValidateGetProgress(progress).message()),
              ::testing::HasSubstr("programme_id"));

  v1::ListDueItemsRequest due;
  due.set_client_id("me");
  EXPECT_TRUE(ValidateListDueItems(due).ok());
  due.set_wording(static_cast<v1::ReminderWording>(9));
  EXPECT_THAT(std::string(ValidateListDueItems(due).message()), ::testing::HasSubstr("wording"));

  v1::ListCaseloadRequest caseload;
  EXPECT_TRUE(ValidateListCaseload(caseload).ok());
  caseload.set_inactive_days(90);
  EXPECT_TRUE(ValidateListCaseload(caseload).ok());
  caseload.set_inactive_days(91);
  EXPECT_THAT(std::string(ValidateListCaseload(caseload).message()),
              ::testing::HasSubstr("inactive_days"));
}

}  // namespace
}  // namespace confide
