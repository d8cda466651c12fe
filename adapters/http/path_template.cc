#include "adapters/http/path_template.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/str_split.h"

namespace confide::http {
namespace {

// Segments between '/', empty ones included (they make a template invalid and a path unmatched).
std::vector<std::string> Split(std::string_view path) {
  return absl::StrSplit(std::string(path), '/');
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

}  // namespace

std::optional<std::string> PercentDecode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out.push_back(text[i]);
      continue;
    }
    if (i + 2 >= text.size()) {
      return std::nullopt;
    }
    const int high = HexValue(text[i + 1]);
    const int low = HexValue(text[i + 2]);
    if (high < 0 || low < 0 || (high == 0 && low == 0)) {
      return std::nullopt;
    }
    out.push_back(static_cast<char>(high * 16 + low));
    i += 2;
  }
  return out;
}

absl::StatusOr<PathTemplate> PathTemplate::Parse(std::string_view text) {
  if (text.empty() || text[0] != '/') {
    return absl::InvalidArgumentError("path template must start with /");
  }
  PathTemplate result;
  result.text_ = std::string(text);
  std::string_view path = text.substr(1);
  // A custom verb is the text after the last ':' outside braces.
  const size_t last_close = path.rfind('}');
  const size_t colon = path.rfind(':');
  if (colon != std::string_view::npos &&
      (last_close == std::string_view::npos || colon > last_close)) {
    result.verb_ = std::string(path.substr(colon + 1));
    path = path.substr(0, colon);
  }
  for (const std::string& part_text : Split(path)) {
    std::string_view part = part_text;
    if (part.empty()) {
      return absl::InvalidArgumentError("path template has an empty segment");
    }
    if (part.front() == '{') {
      if (part.back() != '}') {
        return absl::InvalidArgumentError("unterminated variable in path template");
      }
      std::string_view inner = part.substr(1, part.size() - 2);
      const size_t equals = inner.find('=');
      if (equals != std::string_view::npos) {
        if (inner.substr(equals + 1) != "*") {
          return absl::InvalidArgumentError("only single-segment variables are supported");
        }
        inner = inner.substr(0, equals);
      }
      result.segments_.push_back({std::string(inner), true});
    } else if (part.find_first_of("{}*") != std::string_view::npos) {
      return absl::InvalidArgumentError("wildcards are not supported in path templates");
    } else {
      result.segments_.push_back({std::string(part), false});
    }
  }
  return result;
}

std::optional<std::map<std::string, std::string>> PathTemplate::Match(std::string_view path) const {
  if (path.empty() || path[0] != '/') {
    return std::nullopt;
  }
  path.remove_prefix(1);
  if (!verb_.empty()) {
    const std::string suffix = ":" + verb_;
    if (path.size() <= suffix.size() || path.substr(path.size() - suffix.size()) != suffix) {
      return std::nullopt;
    }
    path.remove_suffix(suffix.size());
  }
  std::vector<std::string> parts = Split(path);
  if (parts.size() != segments_.size()) {
    return std::nullopt;
  }
  std::map<std::string, std::string> bindings;
  for (size_t i = 0; i < parts.size(); ++i) {
    const Segment& segment = segments_[i];
    if (!segment.is_variable) {
      if (parts[i] != segment.value) {
        return std::nullopt;
      }
      continue;
    }
    std::optional<std::string> value = PercentDecode(parts[i]);
    // A variable matches one non-empty segment; a decoded '/' or ':' would smuggle structure.
    if (!value.has_value() || value->empty() || value->find('/') != std::string::npos) {
      return std::nullopt;
    }
    if (verb_.empty() && value->find(':') != std::string::npos) {
      return std::nullopt;
    }
    bindings[segment.value] = *std::move(value);
  }
  return bindings;
}

int PathTemplate::literal_count() const {
  return static_cast<int>(std::count_if(segments_.begin(), segments_.end(),
                                        [](const Segment& s) { return !s.is_variable; })) +
         (verb_.empty() ? 0 : 1);
}

}  // namespace confide::http
