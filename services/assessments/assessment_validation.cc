#include "services/assessments/assessment_validation.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "services/api/field_checker.h"
#include "services/api/field_errors.h"
#include "services/api/page_token.h"
#include "services/api/request_fields.h"

namespace confide {
namespace {

// The caller's text is not echoed: instrument ids are listed by ListInstruments.
void CheckInstrument(const InstrumentCatalogue& catalogue, const std::string& instrument_id,
                     bool required, FieldChecker& check) {
  if (instrument_id.empty() && !required) {
    return;
  }
  if (catalogue.Find(instrument_id) == nullptr) {
    check.Fail("instrument_id", "is not an instrument this server scores (see ListInstruments)");
  }
}

}  // namespace

absl::Status ValidateGetInstrument(const v1::GetInstrumentRequest& request) {
  // An id the catalogue does not hold is NOT_FOUND from the handler, as for any resource.
  if (request.instrument_id().empty() || request.instrument_id().size() > kMaxRecordIdLength) {
    return InvalidField("instrument_id", "is required and at most 64 characters");
  }
  return absl::OkStatus();
}

absl::Status ValidateSubmitAssessment(const InstrumentCatalogue& catalogue,
                                      const v1::SubmitAssessmentRequest& request) {
  FieldChecker check;
  check.Add(CheckClientId("client_id", request.client_id()));
  CheckInstrument(catalogue, request.instrument_id(), true, check);
  // An empty submission is no administration at all: storing it would make an unscored entry
  // in the client's history (and raise "unanswered" flags) from nothing.
  if (request.answers().empty()) {
    check.Fail("answers", "at least one item must be answered");
  }
  check.Add(CheckRequestId("request_id", request.request_id()));
  return check.Result();
}

absl::Status ValidateGetAssessment(const v1::GetAssessmentRequest& request) {
  FieldChecker check;
  check.Add(CheckClientId("client_id", request.client_id()));
  check.Add(CheckRecordId("assessment_id", request.assessment_id()));
  return check.Result();
}

absl::Status ValidateListAssessments(const InstrumentCatalogue& catalogue,
                                     const v1::ListAssessmentsRequest& request) {
  FieldChecker check;
  check.Add(CheckClientId("client_id", request.client_id()));
  CheckInstrument(catalogue, request.instrument_id(), false, check);
  if (!EffectivePageSize(request.page_size()).ok()) {
    check.Fail("page_size", absl::StrCat("must be 0 to ", kMaxPageSize));
  }
  return check.Result();
}

}  // namespace confide
