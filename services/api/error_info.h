#pragma once

#include <map>
#include <string>
#include <string_view>

#include "absl/status/status.h"

namespace confide {

// The payload key under which a serialized google.rpc.ErrorInfo rides on an absl::Status.
inline constexpr std::string_view kErrorInfoPayloadUrl = "type.googleapis.com/google.rpc.ErrorInfo";
// The ErrorInfo domain of Confide's own reasons.
inline constexpr std::string_view kErrorDomain = "confide.health";

// Returns `status` with a google.rpc.ErrorInfo detail: a stable, machine-readable `reason` (e.g.
// "MFA_REQUIRED") clients can act on, and metadata without PHI.
absl::Status WithErrorInfo(absl::Status status, std::string_view reason,
                           const std::map<std::string, std::string>& metadata = {});

// The ErrorInfo reason carried by `status`, or "" when none.
std::string ErrorReason(const absl::Status& status);

// The ErrorInfo metadata value under `key`, or "" when none.
std::string ErrorMetadata(const absl::Status& status, std::string_view key);

}  // namespace confide
