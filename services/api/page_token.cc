#include "services/api/page_token.h"

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/api/field_errors.h"
#include "services/common/text_checks.h"

namespace confide {

std::string EncodePageToken(std::string_view list, std::string_view last_id) {
  return absl::WebSafeBase64Escape(absl::StrCat(std::string(list), ":v1:", std::string(last_id)));
}

absl::StatusOr<std::string> DecodePageToken(std::string_view list, std::string_view token,
                                            std::string_view method) {
  const std::string prefix = absl::StrCat(std::string(list), ":v1:");
  std::string decoded;
  if (token.size() > 512 || !absl::WebSafeBase64Unescape(std::string(token), &decoded) ||
      !absl::StartsWith(decoded, prefix) || !IsUuidText(decoded.substr(prefix.size()))) {
    return InvalidField("page_token", absl::StrCat("is not a token from a previous ",
                                                   std::string(method), " response"));
  }
  return decoded.substr(prefix.size());
}

absl::StatusOr<int> EffectivePageSize(int page_size) {
  if (page_size < 0 || page_size > kMaxPageSize) {
    return InvalidField("page_size", "must be between 0 and 500 (0 means 50)");
  }
  return page_size == 0 ? kDefaultPageSize : page_size;
}

}  // namespace confide
