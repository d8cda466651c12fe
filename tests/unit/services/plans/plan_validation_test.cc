// What a therapy plan and a milestone must satisfy before they are stored.

#include "services/plans/plan_validation.h"

#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/api/field_errors.h"
#include "tests/fakes/pipeline_test_support.h"

namespace confide {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

// 10:00 UTC on 2 March 2026.
const absl::Time kNow =
    absl::FromCivil(absl::CivilSecond(2026, 3, 2, 10, 0, 0), absl::UTCTimeZone());

v1::TherapyPlan ValidPlan() {
  v1::TherapyPlan plan;
  plan.set_title("Plan");
  plan.set_status(v1::PLAN_STATUS_ACTIVE);
  v1::Problem* problem = plan.add_problems();
  problem->set_id("p1");
  problem->set_clinical_description("line one\nline two\ttabbed");
  v1::Goal* goal = plan.add_goals();
  goal->set_id("g1");
  goal->set_status(v1::GOAL_STATUS_ACHIEVED);
  goal->set_achieved_date("2026-03-02");
  goal->add_problem_ids("p1");
  v1::PlannedIntervention* intervention = plan.add_interventions();
  intervention->set_kind(v1::INTERVENTION_KIND_GRADED_DILATOR_EXPOSURE);
  intervention->set_discipline(v1::PLAN_DISCIPLINE_PELVIC_FLOOR_PHYSIOTHERAPY);
  plan.add_disciplines(v1::PLAN_DISCIPLINE_SEX_THERAPY);
  plan.set_next_review_date("2026-04-30");
  return plan;
}

TEST(PlanValidationTest, ValidPlanPasses) {
  EXPECT_TRUE(ValidatePlanContent(ValidPlan(), "plan", kNow).ok());
}

TEST(PlanValidationTest, TitleIsRequiredAndAtMost200) {
  v1::TherapyPlan plan = ValidPlan();
  plan.set_title("  ");
  EXPECT_THAT(ViolatedFields(ValidatePlanContent(plan, "plan", kNow)), ElementsAre("plan.title"));
  plan.set_title(std::string(200, 't'));
  EXPECT_TRUE(ValidatePlanContent(plan, "plan", kNow).ok());
  plan.set_title(std::string(201, 't'));
  EXPECT_THAT(ViolatedFields(ValidatePlanContent(plan, "plan", kNow)), ElementsAre("plan.title"));
  plan.set_title("two\nlines");
  EXPECT_THAT(ViolatedFields(ValidatePlanContent(plan, "plan", kNow)), ElementsAre("plan.title"));
}

TEST(PlanValidationTest, TextLengthsFollowTheProtoComments) {
  v1::TherapyPlan plan = ValidPlan();
  plan.mutable_problems(0)->set_clinical_description(std::string(5000, 'c'));
  plan.mutable_problems(0)->set_patient_description(std::string(2000, 'p'));
  plan.set_patient_summary(std::string(5000, 's'));
  EXPECT_TRUE(ValidatePlanContent(plan, "plan", kNow).ok());

  plan.mutable_problems(0)->set_clinical_description(std::string(5001, 'c'));
  plan.mutable_problems(0)->set_patient_description(std::string(2001, 'p'));
  plan.mutable_goals(0)->set_clinical_wording(std::string(5001, 'c'));
  plan.mutable_goals(0)->set_patient_wording(std::string(2001, 'p'));
  plan.mutable_interventions(0)->set_clinical_detail(std::string(5001, 'c'));
  plan.mutable_interventions(0)->set_patient_description(std::string(2001, 'p'));
  plan.set_patient_summary(std::string(5001, 's'));
  EXPECT_THAT(ViolatedFields(ValidatePlanContent(plan, "plan", kNow)),
              ElementsAre("plan.problems[0].clinical_description",
                          "plan.problems[0].patient_description", "plan.goals[0].clinical_wording",
                          "plan.goals[0].patient_wording", "plan.interventions[0].clinical_detail",
                          "plan.interventions[0].patient_description", "plan.patient_summary"));
}

TEST(PlanValidationTest, ControlCharactersAndBadUtf8AreRefused) {
  v1::TherapyPlan plan = ValidPlan();
  plan.set_patient_summary(std::string("bell\a"));
  plan.mutable_goals(0)->set_patient_wording("\xff\xfe");
  EXPECT_THAT(ViolatedFields(ValidatePlanContent(plan, "plan", kNow)),
              ElementsAre("plan.goals[0].patient_wording", "plan.patient_summary"));
}

TEST(PlanValidationTest, UnknownEnumsAreRefused) {
  v1::TherapyPlan plan = ValidPlan();
  plan.set_status(static_cast<v1::PlanStatus>(99));
  plan.mutable_goals(0)->set_status(static_cast<v1::GoalStatus>(42));
  plan.mutable_goals(0)->clear_achieved_date();
  plan.mutable_interventions(0)->set_kind(v1::INTERVENTION_KIND_UNSPECIFIED);
  plan.mutable_interventions(0)->set_discipline(static_cast<v1::PlanDiscipline>(77));
  plan.add_disciplines(static_cast<v1::PlanDiscipline>(66));
  EXPECT_THAT(ViolatedFields(ValidatePlanContent(plan, "plan", kNow)),
              ElementsAre("plan.status", "plan.goals[0].status", "plan.interventions[0].kind",
                          "plan.interventions[0].discipline", "plan.disciplines[1]"));
}

TEST(PlanValidationTest, DatesMustBeRealCalendarDates) {
  for (const char* bad : {"2026-02-30", "2026-13-01", "2026-1-01", "01/02/2026", "1899-12-31",
                          "2026-02-29x", "tomorrow"}) {
    v1::TherapyPlan plan = ValidPlan();
    plan.set_next_review_date(bad);
    plan.mutable_goals(0)->set_target_date(bad);
    EXPECT_THAT(ViolatedFields(ValidatePlanContent(plan, "plan", kNow)),
                ElementsAre("plan.goals[0].target_date", "plan.next_review_date"))
        << bad;
  }
  EXPECT_TRUE(IsPlanDate("2028-02-29"));
  EXPECT_FALSE(IsPlanDate("2027-02-29"));
  EXPECT_TRUE(IsPlanDate("2100-12-31"));
  EXPECT_FALSE(IsPlanDate("2101-01-01"));
}

TEST(PlanValidationTest, AchievedGoalNeedsAnAchievedDateThatIsNotInTheFuture) {
  v1::TherapyPlan plan = ValidPlan();
  plan.mutable_goals(0)->clear_achieved_date();
  EXPECT_THAT(ViolatedFields(ValidatePlanContent(plan, "plan", kNow)),
              ElementsAre("plan.goals[0].achieved_date"));
  plan.mutable_goals(0)->set_achieved_date("2026-03-04");  // the day after tomorrow, UTC
  EXPECT_THAT(ViolatedFields(ValidatePlanContent(plan, "plan", kNow)),
              ElementsAre("plan.goals[0].achieved_date"));
  // Tomorrow in UTC is already today east of UTC (up to UTC+14): one day of slack.
  plan.mutable_goals(0)->set_achieved_date("2026-03-03");
  EXPECT_TRUE(ValidatePlanContent(plan, "plan", kNow).ok());
  plan.mutable_goals(0)->set_achieved_date("2026-03-02");  // today
  EXPECT_TRUE(ValidatePlanContent(plan, "plan", kNow).ok());
  // A date without the ACHIEVED status would say something the status does not.
  plan.mutable_goals(0)->set_status(v1::GOAL_STATUS_IN_PROGRESS);
  EXPECT_THAT(ViolatedFields(ValidatePlanContent(plan, "plan", kNow)),
              ElementsAre("plan.goals[0].achieved_date"));
}

TEST(PlanValidationTest, ItemIdsAreWellFormedUniqueAndGoalsLinkExistingProblems) {
  v1::TherapyPlan plan = ValidPlan();
  *plan.add_problems() = plan.problems(0);
  plan.add_goals()->set_id("has space");
  plan.mutable_goals(0)->add_problem_ids("p9");
  EXPECT_THAT(
      ViolatedFields(ValidatePlanContent(plan, "plan", kNow)),
      ElementsAre("plan.problems[1].id", "plan.goals[0].problem_ids[1]", "plan.goals[1].id"));
  EXPECT_TRUE(IsPlanItemId("Goal_2-b"));
  EXPECT_TRUE(IsPlanItemId(std::string(64, 'a')));
  EXPECT_FALSE(IsPlanItemId(std::string(65, 'a')));
  EXPECT_FALSE(IsPlanItemId(""));
  EXPECT_FALSE(IsPlanItemId("ü"));
}

TEST(PlanValidationTest, MissingItemIdsAreGeneratedWithoutClashing) {
  v1::TherapyPlan plan;
  plan.add_problems()->set_id("problem-1");
  plan.add_problems();
  plan.add_goals();
  plan.add_goals()->set_id("goal-1");
  AssignMissingItemIds(plan);
  EXPECT_EQ(plan.problems(1).id(), "problem-2");
  EXPECT_EQ(plan.goals(0).id(), "goal-2");
  EXPECT_EQ(plan.goals(1).id(), "goal-1");

  // Ids of the version an update starts from are taken too, even when the update drops them.
  v1::TherapyPlan before;
  before.add_goals()->set_id("goal-1");
  v1::TherapyPlan next;
  next.add_goals();
  next.add_goals();
  AssignMissingItemIds(next, &before);
  EXPECT_EQ(next.goals(0).id(), "goal-2");
  EXPECT_EQ(next.goals(1).id(), "goal-3");
}

TEST(PlanValidationTest, RepeatedFieldsAreBounded) {
  v1::TherapyPlan plan = ValidPlan();
  for (int i = 0; i < kMaxGoals; ++i) {
    plan.add_goals()->set_id("x" + std::to_string(i));
  }
  EXPECT_THAT(ViolatedFields(ValidatePlanContent(plan, "plan", kNow)), ElementsAre("plan.goals"));
}

TEST(PlanValidationTest, LengthsCountCharactersNotBytes) {
  v1::TherapyPlan plan = ValidPlan();
  std::string title;
  for (int i = 0; i < 200; ++i) {
    title += "é";  // two bytes, one character
  }
  plan.set_title(title);
  EXPECT_TRUE(ValidatePlanContent(plan, "plan", kNow).ok());
  plan.set_title(title + "é");
  EXPECT_THAT(ViolatedFields(ValidatePlanContent(plan, "plan", kNow)), ElementsAre("plan.title"));
}

TEST(PlanValidationTest, ReportedViolationsAreBounded) {
  v1::TherapyPlan plan = ValidPlan();
  for (int i = 0; i < kMaxGoals - 1; ++i) {
    plan.add_goals()->set_id("has space");
  }
  EXPECT_EQ(ViolatedFields(ValidatePlanContent(plan, "plan", kNow)).size(), 20u);
}

// Counts are checked in the validate step, before a handler walks the items (id assignment,
// duplicate checks): a huge request is refused cheaply.
TEST(PlanRequestValidationTest, HugeRepeatedFieldsAreRefusedBeforeTheHandler) {
  v1::CreatePlanRequest create;
  create.set_client_id("0190d000-0000-7000-8000-00000000c001");
  for (int i = 0; i < 100000; ++i) {
    create.mutable_plan()->add_goals();
  }
  const absl::Status refused = ValidateCreatePlan(create);
  EXPECT_EQ(refused.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ViolatedFields(refused), ElementsAre("plan.goals"));

  v1::UpdatePlanRequest update;
  update.mutable_plan()->set_client_id("c");
  update.mutable_plan()->set_id("p");
  update.mutable_plan()->set_etag("v1");
  update.mutable_update_mask()->add_paths("goals");
  for (int i = 0; i < kMaxProblems + 1; ++i) {
    update.mutable_plan()->add_problems();
  }
  for (int i = 0; i < kMaxInterventions + 1; ++i) {
    update.mutable_plan()->add_interventions();
  }
  for (int i = 0; i < kMaxDisciplines + 1; ++i) {
    update.mutable_plan()->add_disciplines(v1::PLAN_DISCIPLINE_OTHER);
  }
  v1::Goal* goal = update.mutable_plan()->add_goals();
  for (int i = 0; i < kMaxGoalProblems + 1; ++i) {
    goal->add_problem_ids("p1");
  }
  EXPECT_THAT(ViolatedFields(ValidateUpdatePlan(update)),
              ElementsAre("plan.problems", "plan.goals[0].problem_ids", "plan.interventions",
                          "plan.disciplines"));
}

TEST(PlanValidationTest, GoalNamesEachProblemOnce) {
  v1::TherapyPlan plan = ValidPlan();
  plan.mutable_goals(0)->add_problem_ids("p1");
  EXPECT_THAT(ViolatedFields(ValidatePlanContent(plan, "plan", kNow)),
              ElementsAre("plan.goals[0].problem_ids[1]"));
}

TEST(PlanValidationTest, UpdateMaskNamesOnlyContentFields) {
  google::protobuf::FieldMask mask;
  mask.add_paths("title");
  mask.add_paths("goals");
  EXPECT_TRUE(ValidatePlanUpdateMask(mask).ok());
  mask.add_paths("create_time");
  EXPECT_THAT(ViolatedFields(ValidatePlanUpdateMask(mask)), ElementsAre("update_mask"));
}

TEST(MilestoneValidationTest, TitleAndAchievedDateAreRequiredAndChecked) {
  v1::Milestone milestone;
  EXPECT_THAT(ViolatedFields(ValidateMilestoneFields(milestone, "milestone", kNow)),
              ElementsAre("milestone.title", "milestone.achieved_date"));
  milestone.set_title(std::string(500, 'm'));
  milestone.set_achieved_date("2026-03-02");
  EXPECT_TRUE(ValidateMilestoneFields(milestone, "milestone", kNow).ok());
  milestone.set_title(std::string(501, 'm'));
  milestone.set_achieved_date("2026-03-04");
  EXPECT_THAT(ViolatedFields(ValidateMilestoneFields(milestone, "milestone", kNow)),
              ElementsAre("milestone.title", "milestone.achieved_date"));
}

TEST(MilestoneValidationTest, GoalNeedsAPlanAndIdsMustBeWellFormed) {
  v1::Milestone milestone;
  milestone.set_title("First time with the size 2 dilator");
  milestone.set_achieved_date("2026-03-01");
  milestone.set_goal_id("g1");
  EXPECT_THAT(ViolatedFields(ValidateMilestoneFields(milestone, "milestone", kNow)),
              ElementsAre("milestone.goal_id"));
  milestone.set_plan_id("not-a-uuid");
  EXPECT_THAT(ViolatedFields(ValidateMilestoneFields(milestone, "milestone", kNow)),
              Contains("milestone.plan_id"));
}

TEST(PlanRequestValidationTest, CreatePlanRefusesMeAndLongRequestIds) {
  v1::CreatePlanRequest request;
  request.set_client_id("me");
  EXPECT_THAT(ViolatedFields(ValidateCreatePlan(request)), ElementsAre("client_id"));
  request.set_client_id("0190d000-0000-7000-8000-00000000c001");
  // The shared request id rule (request_fields.h): 1-100 printable ASCII characters.
  request.set_request_id(std::string(101, 'r'));
  EXPECT_THAT(ViolatedFields(ValidateCreatePlan(request)), ElementsAre("request_id"));
  request.set_request_id("retry-\xC3\xA9");
  EXPECT_THAT(ViolatedFields(ValidateCreatePlan(request)), ElementsAre("request_id"));
  request.set_request_id("retry\t1");
  EXPECT_THAT(ViolatedFields(ValidateCreatePlan(request)), ElementsAre("request_id"));
  request.set_request_id(std::string(100, 'r'));
  EXPECT_TRUE(ValidateCreatePlan(request).ok());
  request.set_request_id("retry-1");
  EXPECT_TRUE(ValidateCreatePlan(request).ok());
}

TEST(PlanRequestValidationTest, RecordMilestoneUsesTheSharedRequestIdRule) {
  v1::RecordMilestoneRequest request;
  request.set_client_id("me");
  request.set_request_id(std::string(101, 'm'));
  EXPECT_THAT(ViolatedFields(ValidateRecordMilestone(request)), ElementsAre("request_id"));
  request.set_request_id(std::string(100, 'm'));
  EXPECT_TRUE(ValidateRecordMilestone(request).ok());
}

TEST(PlanRequestValidationTest, UpdatePlanNeedsIdsEtagAndAContentMask) {
  v1::UpdatePlanRequest request;
  EXPECT_THAT(ViolatedFields(ValidateUpdatePlan(request)),
              ElementsAre("plan.client_id", "plan.id", "plan.etag", "update_mask"));
  request.mutable_plan()->set_client_id("c");
  request.mutable_plan()->set_id("p");
  request.mutable_plan()->set_etag("v1");
  request.mutable_update_mask()->add_paths("version");
  EXPECT_THAT(ViolatedFields(ValidateUpdatePlan(request)), ElementsAre("update_mask"));
  request.mutable_update_mask()->set_paths(0, "patient_summary");
  EXPECT_THAT(ViolatedFields(ValidateUpdatePlan(request)), IsEmpty());
}

}  // namespace
}  // namespace confide
