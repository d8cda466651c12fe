#pragma once

#include "absl/status/status.h"
#include "confide/v1/assessments.pb.h"
#include "services/assessments/instrument_catalogue.h"

namespace confide {

// Request checks that need no storage, run by the pipeline after authorization. A submission
// must answer at least one item; the answers themselves are checked against the instrument
// when they are scored (ScoreAnswers).
absl::Status ValidateGetInstrument(const v1::GetInstrumentRequest& request);
absl::Status ValidateSubmitAssessment(const InstrumentCatalogue& catalogue,
                                      const v1::SubmitAssessmentRequest& request);
absl::Status ValidateGetAssessment(const v1::GetAssessmentRequest& request);
absl::Status ValidateListAssessments(const InstrumentCatalogue& catalogue,
                                     const v1::ListAssessmentsRequest& request);

}  // namespace confide
