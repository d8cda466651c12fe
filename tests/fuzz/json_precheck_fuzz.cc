// libFuzzer target: any bytes as a request body. The strict pre-check and the transcoder must
// answer OK or INVALID_ARGUMENT — never crash, hang, or accept what the pre-check refuses.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "adapters/http/http_rule_router.h"
#include "adapters/http/json_precheck.h"
#include "adapters/http/request_transcoder.h"
#include "fuzz_routes.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  const absl::Status precheck = confide::http::PrecheckJson(body);
  if (!precheck.ok() && precheck.code() != absl::StatusCode::kInvalidArgument) {
    std::abort();
  }
  const confide::http::HttpRuleRouter& router = confide::fuzz::Routes();
  for (const char* path : {"/v1/clients", "/v1/clients:search"}) {
    std::optional<confide::http::RouteMatch> match = router.Match("POST", path);
    if (!match.has_value()) {
      std::abort();
    }
    auto message = confide::http::BuildRequestMessage(*match, body, "", {});
    if (!message.ok() && message.status().code() != absl::StatusCode::kInvalidArgument) {
      std::abort();
    }
    // A body the pre-check refuses must never become a request.
    if (!precheck.ok() && !body.empty() && message.ok()) {
      std::abort();
    }
  }
  return 0;
}
