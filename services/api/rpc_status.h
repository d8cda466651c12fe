#pragma once

#include "absl/status/status.h"
#include "google/rpc/status.pb.h"

namespace confide {

// Converts an absl::Status into the google.rpc.Status both transports send, carrying any
// BadRequest / ErrorInfo payloads as details.
google::rpc::Status ToRpcStatus(const absl::Status& status);

}  // namespace confide
