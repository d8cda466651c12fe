#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace confide::http {

// Bodies smaller than this are sent as they are: gzip's header and the CPU cost outweigh the
// saving.
inline constexpr size_t kGzipMinimumBytes = 1024;

// True when an Accept-Encoding header value accepts gzip (q > 0).
bool AcceptsGzip(std::string_view accept_encoding);

// The gzip (RFC 1952) encoding of `data` through zlib; nullopt when zlib fails.
std::optional<std::string> GzipCompress(std::string_view data);

}  // namespace confide::http
