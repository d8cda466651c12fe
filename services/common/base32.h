#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace confide {

// Returns `bytes` in the RFC 4648 base32 alphabet (A-Z, 2-7), uppercase, without '=' padding:
// the form authenticator apps expect for a TOTP secret.
std::string Base32Encode(std::string_view bytes);

// Returns the bytes spelled by `text` in the RFC 4648 base32 alphabet. Letters may be in either
// case; spaces and trailing '=' padding are ignored. Returns nullopt for any other character, for
// a length no encoding produces, or when the unused low bits of the last character are not zero.
std::optional<std::string> Base32Decode(std::string_view text);

}  // namespace confide
