#include "services/api/request_fields.h"

#include <string>

#include "services/common/text_checks.h"

namespace confide {

std::optional<FieldViolation> CheckClientId(std::string_view field, std::string_view value) {
  if (value.empty() || value.size() > kMaxRecordIdLength) {
    return FieldViolation{std::string(field),
                          "is required (a client id or `me`, at most 64 characters)"};
  }
  return std::nullopt;
}

std::optional<FieldViolation> CheckRecordId(std::string_view field, std::string_view value) {
  if (value.empty() || value.size() > kMaxRecordIdLength) {
    return FieldViolation{std::string(field), "is required and at most 64 characters"};
  }
  return std::nullopt;
}

std::optional<FieldViolation> CheckRequestId(std::string_view field, std::string_view value) {
  if (value.size() > kMaxRequestIdLength || !IsPrintableAscii(value)) {
    return FieldViolation{std::string(field),
                          "must be 1 to 100 printable ASCII characters when set"};
  }
  return std::nullopt;
}

}  // namespace confide
