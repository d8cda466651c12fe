#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "confide/v1/intake.pb.h"
#include "google/rpc/error_details.pb.h"
#include "services/api/field_errors.h"

namespace confide::intake_test {

// An intake with every input field answered, valid as a whole; tests change one thing.
inline v1::Intake FullAnswers() {
  v1::Intake intake;
  v1::PresentingProblem* problem = intake.mutable_presenting_problem();
  problem->add_conditions(v1::PAIN_CONDITION_PRIMARY_VAGINISMUS);
  problem->add_conditions(v1::PAIN_CONDITION_OTHER);
  problem->set_condition_other("burning afterwards");
  problem->set_onset("Since my first try with a tampon at 14.");
  problem->set_lifelong(true);
  v1::SituationExperience* tampon = problem->add_situations();
  tampon->set_situation(v1::PENETRATION_SITUATION_TAMPON);
  tampon->set_outcome(v1::SITUATION_OUTCOME_POSSIBLE_WITH_PAIN);
  tampon->set_pain_rating(7);
  v1::SituationExperience* exam = problem->add_situations();
  exam->set_situation(v1::PENETRATION_SITUATION_GYNAECOLOGICAL_EXAMINATION);
  exam->set_outcome(v1::SITUATION_OUTCOME_NOT_TRIED);
  problem->set_description("It feels like hitting a wall.\nThen it burns.");
  intake.mutable_trauma_history()->set_disclosure(v1::TRAUMA_DISCLOSURE_YES);
  intake.mutable_trauma_history()->set_details("Something I would like to talk about.");
  intake.mutable_anxiety()->set_fear_of_pain(9);
  intake.mutable_anxiety()->set_anxiety_about_penetration(0);
  intake.mutable_anxiety()->set_avoidance(true);
  intake.mutable_anxiety()->set_notes("I avoid check-ups.");
  intake.mutable_medical_history()->add_factors(v1::MEDICAL_FACTOR_RECURRENT_INFECTIONS);
  intake.mutable_medical_history()->add_factors(v1::MEDICAL_FACTOR_HORMONAL_CONTRACEPTION);
  intake.mutable_medical_history()->set_medications("The pill.");
  intake.mutable_medical_history()->set_details("Thrush twice a year.");
  v1::PriorTreatment* dilators = intake.add_prior_treatments();
  dilators->set_kind(v1::PRIOR_TREATMENT_KIND_DILATORS);
  dilators->set_helpfulness(v1::TREATMENT_HELPFULNESS_SOMEWHAT_HELPFUL);
  dilators->set_notes("Stopped at size 2.");
  intake.mutable_relationship()->set_status(v1::RELATIONSHIP_STATUS_IN_A_RELATIONSHIP);
  intake.mutable_relationship()->set_wants_partner_involved(false);
  intake.mutable_relationship()->set_notes("Together three years.");
  intake.set_hopes("To use a tampon without fear.");
  intake.set_preferred_name("Jo");
  intake.set_pronouns("she/her");
  return intake;
}

// The field paths the status's google.rpc.BadRequest names; empty when it carries none.
inline std::vector<std::string> ViolatedFields(const absl::Status& status) {
  std::vector<std::string> fields;
  // An absl::optional: Debian's abseil does not alias it to std::optional.
  auto payload = status.GetPayload(std::string(kBadRequestPayloadUrl));
  if (!payload.has_value()) {
    return fields;
  }
  google::rpc::BadRequest details;
  if (!details.ParseFromString(std::string(*payload))) {
    return fields;
  }
  for (const auto& violation : details.field_violations()) {
    fields.push_back(violation.field());
  }
  return fields;
}

}  // namespace confide::intake_test
