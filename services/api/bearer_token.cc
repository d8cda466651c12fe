#include "services/api/bearer_token.h"

namespace confide {
namespace {

// Our tokens are 43 characters; 256 leaves room for other issuers without hashing megabytes.
constexpr size_t kMaxTokenLength = 256;

bool IsToken68(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~' || c == '+' || c == '/';
}

std::string_view TrimSpaces(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
    text.remove_prefix(1);
  }
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) {
    text.remove_suffix(1);
  }
  return text;
}

bool StartsWithBearerScheme(std::string_view text) {
  static constexpr std::string_view kScheme = "bearer";
  if (text.size() <= kScheme.size()) {
    return false;
  }
  for (size_t i = 0; i < kScheme.size(); ++i) {
    const char lower =
        (text[i] >= 'A' && text[i] <= 'Z') ? static_cast<char>(text[i] + 32) : text[i];
    if (lower != kScheme[i]) {
      return false;
    }
  }
  return text[kScheme.size()] == ' ' || text[kScheme.size()] == '\t';
}

}  // namespace

std::string BearerTokenFrom(std::string_view authorization) {
  authorization = TrimSpaces(authorization);
  if (!StartsWithBearerScheme(authorization)) {
    return "";
  }
  std::string_view token = TrimSpaces(authorization.substr(6));
  size_t padding = 0;
  while (padding < token.size() && token[token.size() - 1 - padding] == '=') {
    ++padding;
  }
  if (token.size() == padding || token.size() > kMaxTokenLength) {
    return "";
  }
  for (size_t i = 0; i < token.size() - padding; ++i) {
    if (!IsToken68(token[i])) {
      return "";
    }
  }
  return std::string(token);
}

}  // namespace confide
