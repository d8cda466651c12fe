#include "services/programmes/local_day.h"

#include "absl/strings/ascii.h"
#include "services/api/field_errors.h"

namespace confide {

namespace {

// IANA names are made of letters, digits and "/_-+"; refusing anything else keeps a caller from
// steering the zone loader at a path ("../../etc/passwd") or an absl-only syntax.
bool LooksLikeIanaName(std::string_view name) {
  if (name.empty() || name.size() > 64 || name.front() == '/' || name.front() == '.') {
    return false;
  }
  // The zone loader reads "localtime" as the server's own zone (/etc/localtime), which is not
  // hers and changes with the host.
  if (name == "localtime") {
    return false;
  }
  for (char c : name) {
    if (!(absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '/' || c == '_' || c == '-' ||
          c == '+')) {
      return false;
    }
  }
  return name.find("..") == std::string_view::npos;
}

}  // namespace

absl::StatusOr<absl::TimeZone> LoadProgrammeZone(std::string_view name, std::string_view field) {
  if (name.empty()) {
    return InvalidField(field, "is required (an IANA time zone such as Europe/London)");
  }
  absl::TimeZone zone;
  if (!LooksLikeIanaName(name) || !absl::LoadTimeZone(std::string(name), &zone)) {
    return InvalidField(field, "is not a known IANA time zone");
  }
  return zone;
}

std::string LocalDate(absl::Time t, const absl::TimeZone& zone) {
  return FormatLocalDate(absl::ToCivilDay(t, zone));
}

bool ParseLocalDate(std::string_view text, absl::CivilDay* day) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') {
    return false;
  }
  for (size_t i = 0; i < text.size(); ++i) {
    if (i != 4 && i != 7 && !absl::ascii_isdigit(static_cast<unsigned char>(text[i]))) {
      return false;
    }
  }
  absl::CivilDay parsed;
  if (!absl::ParseCivilTime(std::string(text), &parsed)) {
    return false;
  }
  // ParseCivilTime normalises (2026-02-30 → 2026-03-02); a real date formats back unchanged.
  if (FormatLocalDate(parsed) != text) {
    return false;
  }
  *day = parsed;
  return true;
}

std::string FormatLocalDate(absl::CivilDay day) { return absl::FormatCivilTime(day); }

absl::Time StartOfLocalDay(absl::CivilDay day, const absl::TimeZone& zone) {
  const absl::TimeZone::TimeInfo info = zone.At(absl::CivilSecond(day));
  // Midnight skipped by a DST jump: the day starts at the transition. Repeated: the first one.
  return info.kind == absl::TimeZone::TimeInfo::SKIPPED ? info.trans : info.pre;
}

}  // namespace confide
