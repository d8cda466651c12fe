#pragma once

#include <string_view>
#include <utility>
#include <vector>

namespace confide::http {

// What a response carries, which decides its Content-Security-Policy.
enum class ContentKind {
  // JSON from the API, and errors: nothing may run or be framed.
  kApi,
  // The patient portal: scripts, styles and fetches from this origin only, no inline code.
  kPortal,
  // The API reference (/docs): swagger-ui sets inline styles and runs a blob: worker.
  kDocs,
};

// The security headers every response carries (docs/security.md, "Gateway headers"): CSP,
// no framing, no sniffing, no referrer, no powerful features, and HSTS when served over TLS.
std::vector<std::pair<std::string_view, std::string_view>> SecurityHeaders(ContentKind kind,
                                                                           bool tls);

}  // namespace confide::http
