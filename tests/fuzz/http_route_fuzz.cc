// libFuzzer target: any request line. Routing, path-variable decoding and query parameters must
// answer a route or a refusal — never crash — and a matched id must be the bytes the path held.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "adapters/http/http_rule_router.h"
#include "adapters/http/path_template.h"
#include "adapters/http/request_transcoder.h"
#include "fuzz_routes.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  // First byte picks the HTTP method; the rest is the request target.
  static constexpr const char* kMethods[] = {"GET", "POST", "PATCH", "PUT", "DELETE"};
  const char* method = kMethods[size == 0 ? 0 : data[0] % 5];
  const std::string_view target = size == 0 ? input : input.substr(1);
  const size_t question = target.find('?');
  const std::string_view path = target.substr(0, question);
  const std::string_view query =
      question == std::string_view::npos ? std::string_view() : target.substr(question + 1);

  const confide::http::HttpRuleRouter& router = confide::fuzz::Routes();
  std::optional<confide::http::RouteMatch> match = router.Match(method, path);
  (void)router.AllowedMethods(path);
  (void)confide::http::PathTemplate::Parse(path);
  if (match.has_value()) {
    for (const auto& [field, value] : match->bindings) {
      if (value.empty() || value.find('/') != std::string::npos) {
        std::abort();
      }
    }
    const bool takes_body = !match->route->body.empty();
    auto message = confide::http::BuildRequestMessage(*match, takes_body ? "{}" : "", query, {});
    if (!message.ok() && message.status().code() != absl::StatusCode::kInvalidArgument) {
      std::abort();
    }
  }
  return 0;
}
