#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/status.h"

namespace confide {

// The etag of a stored record at `version`: "v<version>". Callers treat it as an opaque string
// and send it back on a write, which goes ahead only when it still matches the stored record.
std::string EtagOf(int64_t version);

// ABORTED for a write whose etag no longer matches: someone else changed the record since the
// caller read it. `what` names the record kind ("client", "intake"), never its content.
absl::Status StaleEtag(std::string_view what);

}  // namespace confide
