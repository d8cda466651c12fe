#pragma once

#include <string>
#include <string_view>

namespace confide {

// The token of an `Authorization: Bearer <token>` header (RFC 6750 §2.1), as both transports
// read it: scheme case-insensitive, surrounding spaces ignored, the token 1..256 characters of
// the token68 alphabet. Anything else yields "" — which authenticates as nobody.
std::string BearerTokenFrom(std::string_view authorization);

}  // namespace confide
