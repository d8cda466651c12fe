#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace confide::http {

// A google.api.http path template, e.g. "/v1/clients/{client.id}" or
// "/v1/clients/{client_id}:archive". Supports literal segments, single-segment variables
// (`{field}` or `{field=*}`) and a trailing custom verb — what our APIs use.
class PathTemplate {
 public:
  // INVALID_ARGUMENT for syntax this router does not support (`**`, nested variables).
  static absl::StatusOr<PathTemplate> Parse(std::string_view text);

  // Returns variable bindings (field path → percent-decoded value) when `path` (no query
  // string) matches.
  std::optional<std::map<std::string, std::string>> Match(std::string_view path) const;

  const std::string& text() const { return text_; }
  // How many literal segments; more literals wins when two templates match.
  int literal_count() const;

 private:
  struct Segment {
    // Literal text, or the field path when `is_variable`.
    std::string value;
    bool is_variable = false;
  };
  std::string text_;
  std::vector<Segment> segments_;
  std::string verb_;
};

// Decodes %XX escapes; nullopt for a malformed escape or a decoded NUL.
std::optional<std::string> PercentDecode(std::string_view text);

}  // namespace confide::http
