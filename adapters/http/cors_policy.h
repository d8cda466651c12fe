#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace confide::http {

// Cross-origin access for browser API clients on other origins. Off unless the deployment
// lists origins (rest.cors_allowed_origins): the portal is same-origin and needs none. Allowed
// origins may call with a Bearer token; cookies are never offered cross-origin
// (no Access-Control-Allow-Credentials), so the portal session cannot be used from elsewhere.
class CorsPolicy {
 public:
  explicit CorsPolicy(std::vector<std::string> allowed_origins)
      : allowed_origins_(std::move(allowed_origins)) {}

  bool enabled() const { return !allowed_origins_.empty(); }
  // True when `origin` (an Origin header, e.g. "https://app.example.org") is on the list.
  bool Allows(std::string_view origin) const;

  // Headers for a preflight answer and for actual responses to an allowed origin.
  static constexpr const char* kAllowMethods = "GET, POST, PATCH, DELETE";
  static constexpr const char* kAllowHeaders = "Authorization, Content-Type, X-Request-Id";
  static constexpr const char* kExposeHeaders = "X-Request-Id, Retry-After, ETag";
  static constexpr const char* kMaxAgeSeconds = "600";

 private:
  std::vector<std::string> allowed_origins_;
};

}  // namespace confide::http
