#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "adapters/http/path_template.h"
#include "services/api/method_table.h"

namespace confide::http {

// One REST binding of an RPC, from its google.api.http annotation.
struct Route {
  std::string http_method;  // "GET", "POST", ...
  PathTemplate path;
  // "" (no body), "*" (the whole request) or the name of one request field.
  std::string body;
  const MethodSpec* method = nullptr;
};

struct RouteMatch {
  const Route* route = nullptr;
  std::map<std::string, std::string> bindings;
};

// The REST route table, built at start-up from the google.api.http annotations of every RPC in
// the method table: adding an annotated RPC adds its route, nothing is hand-routed.
class HttpRuleRouter {
 public:
  // INVALID_ARGUMENT when an annotation uses syntax the router does not support.
  static absl::StatusOr<HttpRuleRouter> Build(const MethodTable& methods);

  // The best route for a request. `path` has no query string.
  std::optional<RouteMatch> Match(std::string_view http_method, std::string_view path) const;
  // The HTTP methods with a route for this path, comma-separated ("GET, PATCH"); empty when
  // none (answer 404, else 405 with this as the Allow header).
  std::string AllowedMethods(std::string_view path) const;

  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
};

}  // namespace confide::http
