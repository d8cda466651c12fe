#include "adapters/http/client_address.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"

namespace confide::http {
namespace {

bool IsTrusted(std::string_view address, const std::vector<std::string>& trusted_proxies) {
  return std::find(trusted_proxies.begin(), trusted_proxies.end(), address) !=
         trusted_proxies.end();
}

// IPv4 or IPv6 text: hex digits, dots and colons, at most 45 characters.
bool LooksLikeIpAddress(std::string_view text) {
  return !text.empty() && text.size() <= 45 && std::all_of(text.begin(), text.end(), [](char c) {
    return absl::ascii_isxdigit(static_cast<unsigned char>(c)) || c == '.' || c == ':';
  });
}

}  // namespace

std::string ClientAddress(std::string_view peer, std::string_view forwarded_for,
                          const std::vector<std::string>& trusted_proxies) {
  if (!IsTrusted(peer, trusted_proxies) || forwarded_for.empty()) {
    return std::string(peer);
  }
  std::vector<absl::string_view> hops =
      absl::StrSplit(absl::string_view(forwarded_for.data(), forwarded_for.size()), ',');
  std::string client(peer);
  for (auto hop = hops.rbegin(); hop != hops.rend(); ++hop) {
    const std::string address(absl::StripAsciiWhitespace(*hop));
    if (!LooksLikeIpAddress(address)) {
      return std::string(peer);
    }
    client = address;
    if (!IsTrusted(address, trusted_proxies)) {
      break;
    }
  }
  return client;
}

}  // namespace confide::http
