#include "adapters/http/gzip.h"

#include <zlib.h>

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace confide::http {

bool AcceptsGzip(std::string_view accept_encoding) {
  const absl::string_view header(accept_encoding.data(), accept_encoding.size());
  // An explicit "gzip" entry decides wherever it stands; otherwise "*" does.
  std::optional<double> gzip_quality;
  std::optional<double> any_quality;
  for (absl::string_view item : absl::StrSplit(header, ',')) {
    std::vector<absl::string_view> parts = absl::StrSplit(item, ';');
    const std::string coding = absl::AsciiStrToLower(absl::StripAsciiWhitespace(parts[0]));
    if (coding != "gzip" && coding != "*") {
      continue;
    }
    double quality = 1.0;
    for (size_t i = 1; i < parts.size(); ++i) {
      const std::string param = absl::AsciiStrToLower(absl::StripAsciiWhitespace(parts[i]));
      absl::string_view value = param;
      if (absl::ConsumePrefix(&value, "q=") && !absl::SimpleAtod(value, &quality)) {
        quality = 0.0;
      }
    }
    (coding == "gzip" ? gzip_quality : any_quality) = quality;
  }
  return gzip_quality.value_or(any_quality.value_or(0.0)) > 0.0;
}

std::optional<std::string> GzipCompress(std::string_view data) {
  z_stream stream{};
  // 15 window bits + 16 asks zlib for the gzip wrapper rather than the zlib one.
  constexpr int kGzipWindowBits = 15 + 16;
  constexpr int kMemoryLevel = 8;
  if (deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, kGzipWindowBits, kMemoryLevel,
                   Z_DEFAULT_STRATEGY) != Z_OK) {
    return std::nullopt;
  }
  std::string out(deflateBound(&stream, static_cast<uLong>(data.size())) + 32, '\0');
  // zlib's API is not const-correct; it only reads the input.
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  const int result = deflate(&stream, Z_FINISH);
  const size_t written = stream.total_out;
  deflateEnd(&stream);
  if (result != Z_STREAM_END) {
    return std::nullopt;
  }
  out.resize(written);
  return out;
}

}  // namespace confide::http
