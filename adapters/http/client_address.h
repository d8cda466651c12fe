#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace confide::http {

// The address a request came from, for sign-in lockout and the audit trail. Behind a reverse
// proxy (TLS terminator, load balancer) every connection comes from the proxy, so when `peer`
// is one of `trusted_proxies` the X-Forwarded-For header is read from right to left and the
// first address that is not a trusted proxy is the client. A header that does not parse as IP
// addresses is ignored (the peer is used): a client cannot pick its own address unless it
// connects from a trusted proxy.
std::string ClientAddress(std::string_view peer, std::string_view forwarded_for,
                          const std::vector<std::string>& trusted_proxies);

}  // namespace confide::http
