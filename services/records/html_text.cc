#include "services/records/html_text.h"

#include <cctype>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace confide {
namespace {

constexpr const char* kMonths[] = {"January",   "February", "March",    "April",
                                   "May",       "June",     "July",     "August",
                                   "September", "October",  "November", "December"};

// "SessionType" → "SESSION_TYPE_": how protobuf style prefixes an enum's value names.
std::string ValuePrefixOf(std::string_view enum_name) {
  std::string prefix;
  for (size_t i = 0; i < enum_name.size(); ++i) {
    const char c = enum_name[i];
    if (i > 0 && std::isupper(static_cast<unsigned char>(c)) &&
        !std::isupper(static_cast<unsigned char>(enum_name[i - 1]))) {
      prefix.push_back('_');
    }
    prefix.push_back(absl::ascii_toupper(static_cast<unsigned char>(c)));
  }
  prefix.push_back('_');
  return prefix;
}

// "pelvic_floor_findings" → "Pelvic floor findings", with ids spelled as people write them.
std::string SnakeCaseWords(std::string_view name) {
  std::vector<std::string> words =
      absl::StrSplit(absl::string_view(name.data(), name.size()), '_', absl::SkipEmpty());
  for (std::string& word : words) {
    absl::AsciiStrToLower(&word);
    if (word == "id") {
      word = "ID";
    } else if (word == "ids") {
      word = "IDs";
    }
  }
  std::string text = absl::StrJoin(words, " ");
  if (!text.empty()) {
    text[0] = absl::ascii_toupper(static_cast<unsigned char>(text[0]));
  }
  return text;
}

}  // namespace

std::string HtmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

std::string EnumValueWords(const google::protobuf::EnumValueDescriptor& value) {
  if (value.number() == 0) {
    return "Not specified";
  }
  const std::string prefix = ValuePrefixOf(value.type()->name());
  std::string_view name = value.name();
  if (name.size() > prefix.size() && name.substr(0, prefix.size()) == prefix) {
    name.remove_prefix(prefix.size());
  }
  return SnakeCaseWords(name);
}

std::string FieldNameWords(std::string_view field_name) { return SnakeCaseWords(field_name); }

std::string ReadableTime(absl::Time time) {
  const absl::CivilMinute minute = absl::ToCivilMinute(time, absl::UTCTimeZone());
  return absl::StrCat(minute.day(), " ", kMonths[minute.month() - 1], " ", minute.year(), ", ",
                      absl::FormatTime("%H:%M", time, absl::UTCTimeZone()), " UTC");
}

std::optional<std::string> ReadableDate(std::string_view text) {
  absl::CivilDay day;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' ||
      !absl::ParseCivilTime(absl::string_view(text.data(), text.size()), &day) ||
      absl::FormatCivilTime(day) != text) {
    return std::nullopt;
  }
  return absl::StrCat(day.day(), " ", kMonths[day.month() - 1], " ", day.year());
}

}  // namespace confide
