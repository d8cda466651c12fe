#include "adapters/http/http_rule_router.h"

#include "absl/strings/str_cat.h"
#include "google/api/annotations.pb.h"
#include "google/protobuf/descriptor.h"

namespace confide::http {
namespace {

struct Binding {
  std::string http_method;
  std::string path;
};

std::optional<Binding> BindingOf(const google::api::HttpRule& rule) {
  switch (rule.pattern_case()) {
    case google::api::HttpRule::kGet:
      return Binding{"GET", rule.get()};
    case google::api::HttpRule::kPost:
      return Binding{"POST", rule.post()};
    case google::api::HttpRule::kPut:
      return Binding{"PUT", rule.put()};
    case google::api::HttpRule::kPatch:
      return Binding{"PATCH", rule.patch()};
    case google::api::HttpRule::kDelete:
      return Binding{"DELETE", rule.delete_()};
    default:
      return std::nullopt;
  }
}

absl::Status AddRule(const google::api::HttpRule& rule, const MethodSpec* method,
                     std::vector<Route>& routes) {
  std::optional<Binding> binding = BindingOf(rule);
  if (!binding.has_value()) {
    return absl::InvalidArgumentError(
        absl::StrCat(method->full_name, ": unsupported google.api.http pattern"));
  }
  absl::StatusOr<PathTemplate> path = PathTemplate::Parse(binding->path);
  if (!path.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(method->full_name, ": ", path.status().message()));
  }
  routes.push_back(Route{binding->http_method, *std::move(path), rule.body(), method});
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<HttpRuleRouter> HttpRuleRouter::Build(const MethodTable& methods) {
  HttpRuleRouter router;
  for (const MethodSpec* method : methods.All()) {
    const google::protobuf::MethodOptions& options = method->descriptor->options();
    if (!options.HasExtension(google::api::http)) {
      continue;  // gRPC only
    }
    const google::api::HttpRule& rule = options.GetExtension(google::api::http);
    if (absl::Status added = AddRule(rule, method, router.routes_); !added.ok()) {
      return added;
    }
    for (const google::api::HttpRule& extra : rule.additional_bindings()) {
      if (absl::Status added = AddRule(extra, method, router.routes_); !added.ok()) {
        return added;
      }
    }
  }
  return router;
}

std::optional<RouteMatch> HttpRuleRouter::Match(std::string_view http_method,
                                                std::string_view path) const {
  std::optional<RouteMatch> best;
  for (const Route& route : routes_) {
    if (route.http_method != http_method) {
      continue;
    }
    auto bindings = route.path.Match(path);
    if (!bindings.has_value()) {
      continue;
    }
    if (!best.has_value() || route.path.literal_count() > best->route->path.literal_count()) {
      best = RouteMatch{&route, *std::move(bindings)};
    }
  }
  return best;
}

std::string HttpRuleRouter::AllowedMethods(std::string_view path) const {
  std::string allowed;
  for (const Route& route : routes_) {
    if (route.path.Match(path).has_value() &&
        allowed.find(route.http_method) == std::string::npos) {
      absl::StrAppend(&allowed, allowed.empty() ? "" : ", ", route.http_method);
    }
  }
  return allowed;
}

}  // namespace confide::http
