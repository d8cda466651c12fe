#pragma once

#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"

namespace confide {

// The payload key under which a serialized google.rpc.BadRequest rides on an absl::Status; the
// transports turn it into the google.rpc.Status details of either protocol.
inline constexpr std::string_view kBadRequestPayloadUrl =
    "type.googleapis.com/google.rpc.BadRequest";

struct FieldViolation {
  // Path of the field in the request, e.g. "client.date_of_birth".
  std::string field;
  // What is wrong, without echoing the value (values may be PHI).
  std::string description;
};

// Returns INVALID_ARGUMENT whose message names every field and whose BadRequest details list
// them; OK when `violations` is empty.
absl::Status InvalidFields(const std::vector<FieldViolation>& violations);

// Shorthand for one violation.
absl::Status InvalidField(std::string_view field, std::string_view description);

}  // namespace confide
