#pragma once

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "confide/v1/assessments.pb.h"
#include "google/protobuf/repeated_ptr_field.h"
#include "google/rpc/error_details.pb.h"
#include "services/api/field_errors.h"
#include "services/assessments/assessment_scoring.h"
#include "services/assessments/instrument_catalogue.h"

namespace confide::testing_support {

// A shipped instrument as the server scores it: compiled by the catalogue (ScoreAnswers refuses
// a definition that was not).
inline const InstrumentDefinition& Standard(const std::string& instrument_id) {
  static const InstrumentCatalogue* const catalogue =
      new InstrumentCatalogue(InstrumentCatalogue::Standard());
  return *catalogue->Find(instrument_id);
}

// Marks an item left unanswered in the value lists below.
inline constexpr int kSkip = -1;

// Answers "<prefix>.1" = values[0], "<prefix>.2" = values[1], ..., skipping kSkip.
inline google::protobuf::RepeatedPtrField<v1::Answer> AnswersOf(const std::string& prefix,
                                                                const std::vector<int>& values) {
  google::protobuf::RepeatedPtrField<v1::Answer> answers;
  for (size_t i = 0; i < values.size(); ++i) {
    if (values[i] == kSkip) {
      continue;
    }
    v1::Answer* answer = answers.Add();
    answer->set_item_id(absl::StrCat(prefix, ".", i + 1));
    answer->set_value(values[i]);
  }
  return answers;
}

inline google::rpc::BadRequest BadRequestOf(const absl::Status& status) {
  google::rpc::BadRequest details;
  auto payload = status.GetPayload(std::string(kBadRequestPayloadUrl));
  if (payload.has_value() && !details.ParseFromString(std::string(*payload))) {
    details.Clear();
  }
  return details;
}

inline std::vector<std::string> FlagCodes(const v1::AssessmentScore& score) {
  std::vector<std::string> codes;
  for (const v1::AssessmentFlag& flag : score.flags()) {
    codes.push_back(flag.code());
  }
  return codes;
}

}  // namespace confide::testing_support
