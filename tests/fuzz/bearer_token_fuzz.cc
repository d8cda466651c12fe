// libFuzzer target: any Authorization header value. The token read from it is empty or a
// 1..256-character token68 run that appears in the header — never more than what was sent.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "services/api/bearer_token.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view header(reinterpret_cast<const char*>(data), size);
  const std::string token = confide::BearerTokenFrom(header);
  if (token.empty()) {
    return 0;
  }
  if (token.size() > 256 || header.find(token) == std::string_view::npos ||
      token.find_first_of(" \t\r\n\"") != std::string::npos) {
    std::abort();
  }
  return 0;
}
