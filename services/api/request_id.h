#pragma once

#include <string_view>

namespace confide {

// A caller-supplied request id (x-request-id) is logged and audited, so it is accepted only as
// 1..64 characters of [A-Za-z0-9_-]; anything else is replaced by a server-generated id.
inline bool IsAcceptableRequestId(std::string_view id) {
  if (id.empty() || id.size() > 64) {
    return false;
  }
  for (char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_';
    if (!ok) {
      return false;
    }
  }
  return true;
}

}  // namespace confide
