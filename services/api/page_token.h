#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace confide {

inline constexpr int kDefaultPageSize = 50;
inline constexpr int kMaxPageSize = 500;

// Opaque keyset cursor: the last id of the page, so pages stay stable under inserts. `list` names
// the list ("clients", "staff"), so a token from one list is refused by another.
std::string EncodePageToken(std::string_view list, std::string_view last_id);

// The last id inside a token from EncodePageToken(list, ...); INVALID_ARGUMENT naming
// `page_token` (and the RPC `method` in its message) otherwise.
absl::StatusOr<std::string> DecodePageToken(std::string_view list, std::string_view token,
                                            std::string_view method);

// Checks page_size (0..500, 0 = default) and returns the effective size, or INVALID_ARGUMENT.
absl::StatusOr<int> EffectivePageSize(int page_size);

}  // namespace confide
