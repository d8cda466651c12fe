#include "services/assessments/assessment_validation.h"

#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/api/field_errors.h"
#include "services/api/page_token.h"

namespace confide {
namespace {

constexpr size_t kMaxIdLength = 64;
constexpr size_t kMaxRequestIdLength = 100;

// Printable ASCII (space to '~'): request ids are labels, never prose.
bool IsPrintableAscii(std::string_view text) {
  for (char c : text) {
    if (c < 0x20 || c > 0x7e) {
      return false;
    }
  }
  return true;
}

void CheckClientId(const std::string& client_id, std::vector<FieldViolation>& violations) {
  if (client_id.empty() || client_id.size() > kMaxIdLength) {
    violations.push_back({"client_id", "is required (a client id or `me`, at most 64 characters)"});
  }
}

// The caller's text is not echoed: instrument ids are listed by ListInstruments.
void CheckInstrument(const InstrumentCatalogue& catalogue, const std::string& instrument_id,
                     bool required, std::vector<FieldViolation>& violations) {
  if (instrument_id.empty() && !required) {
    return;
  }
  if (catalogue.Find(instrument_id) == nullptr) {
    violations.push_back(
        {"instrument_id", "is not an instrument this server scores (see ListInstruments)"});
  }
}

}  // namespace

absl::Status ValidateGetInstrument(const v1::GetInstrumentRequest& request) {
  // An id the catalogue does not hold is NOT_FOUND from the handler, as for any resource.
  if (request.instrument_id().empty() || request.instrument_id().size() > kMaxIdLength) {
    return InvalidField("instrument_id", "is required and at most 64 characters");
  }
  return absl::OkStatus();
}

absl::Status ValidateSubmitAssessment(const InstrumentCatalogue& catalogue,
                                      const v1::SubmitAssessmentRequest& request) {
  std::vector<FieldViolation> violations;
  CheckClientId(request.client_id(), violations);
  CheckInstrument(catalogue, request.instrument_id(), true, violations);
  // An empty submission is no administration at all: storing it would make an unscored entry
  // in the client's history (and raise "unanswered" flags) from nothing.
  if (request.answers().empty()) {
    violations.push_back({"answers", "at least one item must be answered"});
  }
  const std::string& request_id = request.request_id();
  if (request_id.size() > kMaxRequestIdLength || !IsPrintableAscii(request_id)) {
    violations.push_back({"request_id", "must be 1 to 100 printable ASCII characters when set"});
  }
  return InvalidFields(violations);
}

absl::Status ValidateGetAssessment(const v1::GetAssessmentRequest& request) {
  std::vector<FieldViolation> violations;
  CheckClientId(request.client_id(), violations);
  if (request.assessment_id().empty() || request.assessment_id().size() > kMaxIdLength) {
    violations.push_back({"assessment_id", "is required and at most 64 characters"});
  }
  return InvalidFields(violations);
}

absl::Status ValidateListAssessments(const InstrumentCatalogue& catalogue,
                                     const v1::ListAssessmentsRequest& request) {
  std::vector<FieldViolation> violations;
  CheckClientId(request.client_id(), violations);
  CheckInstrument(catalogue, request.instrument_id(), false, violations);
  if (!EffectivePageSize(request.page_size()).ok()) {
    violations.push_back({"page_size", absl::StrCat("must be 0 to ", kMaxPageSize)});
  }
  return InvalidFields(violations);
}

}  // namespace confide
