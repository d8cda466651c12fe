#include "services/plans/shared_plan.h"

#include "services/common/timestamps.h"

namespace confide {

v1::SharedPlan ToSharedPlan(const v1::TherapyPlan& version, absl::Time share_time,
                            bool with_goals) {
  v1::SharedPlan shared;
  shared.set_plan_id(version.id());
  shared.set_version(version.version());
  shared.set_status(version.status());
  shared.set_patient_summary(version.patient_summary());
  for (const v1::Problem& problem : version.problems()) {
    // A problem without patient wording is the care team's alone.
    if (!problem.patient_description().empty()) {
      shared.add_problems(problem.patient_description());
    }
  }
  if (with_goals) {
    for (const v1::Goal& goal : version.goals()) {
      v1::SharedGoal* out = shared.add_goals();
      out->set_id(goal.id());
      out->set_patient_wording(goal.patient_wording());
      out->set_target_date(goal.target_date());
      out->set_status(goal.status());
      out->set_achieved_date(goal.achieved_date());
    }
  }
  for (const v1::PlannedIntervention& intervention : version.interventions()) {
    v1::SharedIntervention* out = shared.add_interventions();
    out->set_kind(intervention.kind());
    out->set_patient_description(intervention.patient_description());
  }
  for (int discipline : version.disciplines()) {
    shared.add_disciplines(static_cast<v1::PlanDiscipline>(discipline));
  }
  shared.set_next_review_date(version.next_review_date());
  *shared.mutable_share_time() = ToTimestamp(share_time);
  return shared;
}

}  // namespace confide
