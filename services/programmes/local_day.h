#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace confide {

// A programme's IANA time zone ("Europe/London"). INVALID_ARGUMENT naming `field` when the name
// is empty, not a zone the system knows, or a fixed-offset name that is not an IANA zone.
// Days, weeks and streaks are the client's, so every date of a programme goes through this.
absl::StatusOr<absl::TimeZone> LoadProgrammeZone(std::string_view name,
                                                 std::string_view field = "time_zone");

// The calendar date ("YYYY-MM-DD") of `t` in `zone`.
std::string LocalDate(absl::Time t, const absl::TimeZone& zone);

// Parses "YYYY-MM-DD" strictly (exactly that shape, a real date); false otherwise.
bool ParseLocalDate(std::string_view text, absl::CivilDay* day);

// "YYYY-MM-DD" of a civil day.
std::string FormatLocalDate(absl::CivilDay day);

// The first instant of `day` in `zone` (a day may start at 01:00 on a DST change).
absl::Time StartOfLocalDay(absl::CivilDay day, const absl::TimeZone& zone);

}  // namespace confide
