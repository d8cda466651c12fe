#include "services/assessments/decimal.h"

#include "absl/strings/str_cat.h"

namespace confide {

std::optional<Hundredths> ParseHundredths(std::string_view text) {
  bool negative = false;
  if (!text.empty() && text.front() == '-') {
    negative = true;
    text.remove_prefix(1);
  }
  const size_t point = text.find('.');
  std::string_view whole = text.substr(0, point);
  std::string_view fraction = point == std::string_view::npos ? "" : text.substr(point + 1);
  if (whole.empty() || whole.size() > 12 || fraction.size() > 2 ||
      (point != std::string_view::npos && fraction.empty())) {
    return std::nullopt;
  }
  Hundredths value = 0;
  for (char c : whole) {
    if (c < '0' || c > '9') {
      return std::nullopt;
    }
    value = value * 10 + (c - '0');
  }
  for (size_t i = 0; i < 2; ++i) {
    const char c = i < fraction.size() ? fraction[i] : '0';
    if (c < '0' || c > '9') {
      return std::nullopt;
    }
    value = value * 10 + (c - '0');
  }
  return negative ? -value : value;
}

std::string FormatHundredths(Hundredths value) {
  const bool negative = value < 0;
  const uint64_t magnitude =
      negative ? static_cast<uint64_t>(-(value + 1)) + 1 : static_cast<uint64_t>(value);
  std::string text = absl::StrCat(negative ? "-" : "", magnitude / 100);
  const uint64_t cents = magnitude % 100;
  if (cents != 0) {
    absl::StrAppend(&text, ".", cents / 10);
    if (cents % 10 != 0) {
      absl::StrAppend(&text, cents % 10);
    }
  }
  return text;
}

}  // namespace confide
