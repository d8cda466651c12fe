#include "services/api/field_errors.h"

#include <string>

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "google/rpc/error_details.pb.h"

namespace confide {

absl::Status InvalidFields(const std::vector<FieldViolation>& violations) {
  if (violations.empty()) {
    return absl::OkStatus();
  }
  google::rpc::BadRequest details;
  std::string message;
  for (const FieldViolation& v : violations) {
    google::rpc::BadRequest::FieldViolation* out = details.add_field_violations();
    out->set_field(v.field);
    out->set_description(v.description);
    absl::StrAppend(&message, message.empty() ? "" : "; ", v.field, ": ", v.description);
  }
  absl::Status status = absl::InvalidArgumentError(message);
  status.SetPayload(std::string(kBadRequestPayloadUrl), absl::Cord(details.SerializeAsString()));
  return status;
}

absl::Status InvalidField(std::string_view field, std::string_view description) {
  return InvalidFields({{std::string(field), std::string(description)}});
}

}  // namespace confide
