#include "services/assessments/assessment_view.h"

#include <string>

namespace confide {
namespace {

// For a flag whose rule is gone (an older instrument version): still nothing clinician-facing.
constexpr char kGenericPatientMessage[] = "Your care team will go through this answer with you.";

v1::Assessment PartnerSummary(const v1::Assessment& full) {
  v1::Assessment summary;
  summary.set_id(full.id());
  summary.set_client_id(full.client_id());
  summary.set_instrument_id(full.instrument_id());
  summary.set_instrument_version(full.instrument_version());
  *summary.mutable_complete_time() = full.complete_time();
  v1::AssessmentScore* score = summary.mutable_score();
  score->set_total(full.score().total());
  score->set_severity(full.score().severity());
  *score->mutable_cut_offs_met() = full.score().cut_offs_met();
  summary.set_change_from_previous(full.change_from_previous());
  return summary;
}

const std::string& PatientMessage(const InstrumentDefinition* definition, const std::string& code) {
  static const std::string generic = kGenericPatientMessage;
  if (definition != nullptr) {
    for (const ItemFlagRule& rule : definition->rules.flags) {
      if (rule.code == code) {
        return rule.patient_message;
      }
    }
  }
  return generic;
}

}  // namespace

void ShapeForCaller(const Principal& who, const InstrumentCatalogue& catalogue,
                    v1::Assessment& assessment) {
  switch (who.role) {
    case v1::ROLE_PARTNER:
      assessment = PartnerSummary(assessment);
      return;
    case v1::ROLE_PATIENT: {
      const InstrumentDefinition* definition = catalogue.Find(assessment.instrument_id());
      for (v1::AssessmentFlag& flag : *assessment.mutable_score()->mutable_flags()) {
        flag.set_message(PatientMessage(definition, flag.code()));
      }
      return;
    }
    default:
      return;
  }
}

}  // namespace confide
