#include "adapters/http/security_headers.h"

namespace confide::http {

namespace {

constexpr std::string_view kApiPolicy =
    "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
constexpr std::string_view kPortalPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
    "form-action 'self'; object-src 'none'";
constexpr std::string_view kDocsPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; font-src 'self'; worker-src blob:; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'";

std::string_view PolicyFor(ContentKind kind) {
  switch (kind) {
    case ContentKind::kPortal:
      return kPortalPolicy;
    case ContentKind::kDocs:
      return kDocsPolicy;
    case ContentKind::kApi:
      break;
  }
  return kApiPolicy;
}

}  // namespace

std::vector<std::pair<std::string_view, std::string_view>> SecurityHeaders(ContentKind kind,
                                                                           bool tls) {
  std::vector<std::pair<std::string_view, std::string_view>> headers = {
      {"Content-Security-Policy", PolicyFor(kind)},
      {"X-Content-Type-Options", "nosniff"},
      {"X-Frame-Options", "DENY"},
      {"Referrer-Policy", "no-referrer"},
      {"Permissions-Policy",
       "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"},
      {"Cross-Origin-Opener-Policy", "same-origin"},
      {"Cross-Origin-Resource-Policy", "same-origin"},
  };
  if (tls) {
    // Two years, as the HSTS preload list asks; only ever sent over TLS (RFC 6797 8.1).
    headers.emplace_back("Strict-Transport-Security", "max-age=63072000; includeSubDomains");
  }
  return headers;
}

}  // namespace confide::http
