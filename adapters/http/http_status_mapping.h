#pragma once

#include "absl/status/status.h"

namespace confide::http {

// The canonical gRPC code → HTTP status mapping of DESIGN.md ("API conventions").
int HttpStatusFor(absl::StatusCode code);

}  // namespace confide::http
