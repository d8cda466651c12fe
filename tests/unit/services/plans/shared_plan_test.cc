// What the patient and her partner see of a plan: patient wording only.

#include "services/plans/shared_plan.h"

#include <string>

#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/common/timestamps.h"

namespace confide {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

v1::TherapyPlan ClinicalPlan() {
  v1::TherapyPlan plan;
  plan.set_id("plan-1");
  plan.set_version(2);
  plan.set_title("CLINICAL-TITLE");
  plan.set_status(v1::PLAN_STATUS_ACTIVE);
  v1::Problem* problem = plan.add_problems();
  problem->set_id("p1");
  problem->set_clinical_description("CLINICAL-DESCRIPTION");
  problem->set_patient_description("It hurts");
  plan.add_problems()->set_clinical_description("CLINICAL-ONLY-PROBLEM");
  v1::Goal* goal = plan.add_goals();
  goal->set_id("g1");
  goal->set_clinical_wording("CLINICAL-WORDING");
  goal->set_patient_wording("Feel at ease");
  goal->set_measure("CLINICAL-MEASURE");
  goal->set_target_date("2026-06-01");
  goal->set_status(v1::GOAL_STATUS_ACHIEVED);
  goal->set_achieved_date("2026-03-01");
  v1::PlannedIntervention* intervention = plan.add_interventions();
  intervention->set_kind(v1::INTERVENTION_KIND_JOURNALING);
  intervention->set_clinical_detail("CLINICAL-DETAIL");
  intervention->set_patient_description("Write a few lines");
  intervention->set_discipline(v1::PLAN_DISCIPLINE_PSYCHOLOGY);
  plan.add_disciplines(v1::PLAN_DISCIPLINE_SEX_THERAPY);
  plan.set_next_review_date("2026-05-01");
  plan.set_patient_summary("Welcome");
  return plan;
}

const absl::Time kShared = absl::FromUnixSeconds(1'772'000'000);

TEST(SharedPlanTest, CarriesPatientWordingAndNoClinicalText) {
  v1::SharedPlan shared = ToSharedPlan(ClinicalPlan(), kShared, /*with_goals=*/true);

  EXPECT_EQ(shared.plan_id(), "plan-1");
  EXPECT_EQ(shared.version(), 2);
  EXPECT_EQ(shared.status(), v1::PLAN_STATUS_ACTIVE);
  EXPECT_EQ(shared.patient_summary(), "Welcome");
  EXPECT_THAT(shared.problems(), ElementsAre("It hurts"));
  ASSERT_EQ(shared.goals_size(), 1);
  EXPECT_EQ(shared.goals(0).patient_wording(), "Feel at ease");
  EXPECT_EQ(shared.goals(0).target_date(), "2026-06-01");
  EXPECT_EQ(shared.goals(0).status(), v1::GOAL_STATUS_ACHIEVED);
  EXPECT_EQ(shared.goals(0).achieved_date(), "2026-03-01");
  ASSERT_EQ(shared.interventions_size(), 1);
  EXPECT_EQ(shared.interventions(0).kind(), v1::INTERVENTION_KIND_JOURNALING);
  EXPECT_EQ(shared.interventions(0).patient_description(), "Write a few lines");
  EXPECT_THAT(shared.disciplines(), ElementsAre(v1::PLAN_DISCIPLINE_SEX_THERAPY));
  EXPECT_EQ(shared.next_review_date(), "2026-05-01");
  EXPECT_EQ(FromTimestamp(shared.share_time()), kShared);
  EXPECT_THAT(shared.SerializeAsString(), Not(HasSubstr("CLINICAL")));
}

TEST(SharedPlanTest, WithoutGoalsShareHasNoGoals) {
  v1::SharedPlan shared = ToSharedPlan(ClinicalPlan(), kShared, /*with_goals=*/false);

  EXPECT_EQ(shared.goals_size(), 0);
  EXPECT_THAT(shared.SerializeAsString(), Not(HasSubstr("Feel at ease")));
  EXPECT_EQ(shared.patient_summary(), "Welcome");
}

}  // namespace
}  // namespace confide
