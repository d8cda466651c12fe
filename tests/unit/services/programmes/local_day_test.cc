#include "services/programmes/local_day.h"

#include <gtest/gtest.h>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace confide {
namespace {

TEST(LocalDayTest, LoadsIanaZonesAndRefusesOthersNamingTheField) {
  EXPECT_TRUE(LoadProgrammeZone("Europe/London").ok());
  EXPECT_TRUE(LoadProgrammeZone("America/New_York").ok());
  EXPECT_TRUE(LoadProgrammeZone("UTC").ok());
  for (const char* bad : {"", "Mars/Olympus_Mons", "../../etc/passwd", "/etc/localtime",
                          "Fixed/UTC+01:00", "Europe/London ",
                          // The server's own zone, not hers.
                          "localtime"}) {
    absl::StatusOr<absl::TimeZone> zone = LoadProgrammeZone(bad, "programme.time_zone");
    ASSERT_FALSE(zone.ok()) << bad;
    EXPECT_EQ(zone.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(zone.status().message().find("programme.time_zone"), std::string::npos);
  }
}

// 23:30 UTC is already the next day in Auckland and still the same day in New York.
TEST(LocalDayTest, LocalDateIsTheCalendarDayInTheZone) {
  const absl::Time t =
      absl::FromCivil(absl::CivilSecond(2026, 3, 10, 23, 30, 0), absl::UTCTimeZone());
  EXPECT_EQ(LocalDate(t, *LoadProgrammeZone("UTC")), "2026-03-10");
  EXPECT_EQ(LocalDate(t, *LoadProgrammeZone("Pacific/Auckland")), "2026-03-11");
  EXPECT_EQ(LocalDate(t, *LoadProgrammeZone("America/New_York")), "2026-03-10");
  const absl::Time early =
      absl::FromCivil(absl::CivilSecond(2026, 3, 11, 3, 0, 0), absl::UTCTimeZone());
  EXPECT_EQ(LocalDate(early, *LoadProgrammeZone("America/Los_Angeles")), "2026-03-10");
}

TEST(LocalDayTest, ParsesOnlyRealDatesInTheExactShape) {
  absl::CivilDay day;
  EXPECT_TRUE(ParseLocalDate("2026-02-28", &day));
  EXPECT_EQ(day, absl::CivilDay(2026, 2, 28));
  EXPECT_TRUE(ParseLocalDate("2028-02-29", &day));
  for (const char* bad : {"2026-02-29", "2026-13-01", "2026-1-01", "26-01-01", "2026/01/01",
                          "2026-01-01T00:00", "", "2026-00-10", "+026-01-01"}) {
    EXPECT_FALSE(ParseLocalDate(bad, &day)) << bad;
  }
}

// On 2026-03-29 London's clocks go from 01:00 to 02:00: that day has 23 hours.
TEST(LocalDayTest, DaysAcrossADstChangeAreCivilDaysNot86400Seconds) {
  const absl::TimeZone london = *LoadProgrammeZone("Europe/London");
  const absl::Time start = StartOfLocalDay(absl::CivilDay(2026, 3, 29), london);
  const absl::Time next = StartOfLocalDay(absl::CivilDay(2026, 3, 30), london);
  EXPECT_EQ(next - start, absl::Hours(23));
  EXPECT_EQ(LocalDate(next - absl::Seconds(1), london), "2026-03-29");
  EXPECT_EQ(LocalDate(next, london), "2026-03-30");
}

// In Santiago (2026-09-06) midnight does not exist: the day starts at 01:00.
TEST(LocalDayTest, ADayWhoseMidnightIsSkippedStartsAtTheTransition) {
  const absl::TimeZone santiago = *LoadProgrammeZone("America/Santiago");
  const absl::Time start = StartOfLocalDay(absl::CivilDay(2026, 9, 6), santiago);
  EXPECT_EQ(LocalDate(start, santiago), "2026-09-06");
  EXPECT_EQ(LocalDate(start - absl::Seconds(1), santiago), "2026-09-05");
}

}  // namespace
}  // namespace confide
