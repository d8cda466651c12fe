// What a programme item prescribes on her calendar days and ISO weeks: weekly and daily
// schedules, days of the week, start and end dates, activation, and what is due today.

#include "services/progress/schedule.h"

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/unit/services/progress/progress_test_support.h"

namespace confide {

// Found by argument-dependent lookup, so it lives beside DueCounts.
void PrintTo(const DueCounts& d, std::ostream* os) {
  *os << "{due " << d.due_today << ", done " << d.done_today << ", week " << d.week_done << "/"
      << d.week_prescribed << "}";
}

namespace {

using progress_test::DailyItem;
using progress_test::Day;
using progress_test::DayTotals;
using progress_test::DilatorItem;
using progress_test::Done;
using progress_test::WeeklyItem;

TEST(IsoWeekStartTest, IsTheMondayOfTheWeek) {
  struct Case {
    const char* day;
    const char* monday;
  };
  const Case cases[] = {
      {"2026-11-23", "2026-11-23"},  // a Monday is its own week's start
      {"2026-11-26", "2026-11-23"},  // Thursday
      {"2026-11-29", "2026-11-23"},  // Sunday ends the ISO week
      {"2027-01-01", "2026-12-28"},  // across the new year
      {"2026-03-29", "2026-03-23"},  // London's spring-forward Sunday
      {"2026-11-01", "2026-10-26"},  // New York's fall-back Sunday
      {"2028-03-01", "2028-02-28"},  // across a leap day
  };
  for (const Case& c : cases) {
    EXPECT_EQ(FormatLocalDate(IsoWeekStart(Day(c.day))), c.monday) << c.day;
  }
}

// The same dates local_day.h's ParseLocalDate accepts, and no others.
TEST(ParseDayTest, AcceptsOnlyRealDatesInTheExactShape) {
  EXPECT_EQ(ParseDay("2026-02-28"), absl::CivilDay(2026, 2, 28));
  EXPECT_EQ(ParseDay("2028-02-29"), absl::CivilDay(2028, 2, 29));
  EXPECT_EQ(ParseDay("0001-01-01"), absl::CivilDay(1, 1, 1));
  for (const char* bad : {"2026-02-29", "2026-02-30", "2026-13-01", "2026-00-10", "2026-01-00",
                          "2026-1-01", "26-01-01", "2026/01/01", "2026-01-01T00:00", "",
                          "+026-01-01", "2026-01-0a", " 2026-01-0"}) {
    EXPECT_EQ(ParseDay(bad), std::nullopt) << bad;
    absl::CivilDay day;
    EXPECT_FALSE(ParseLocalDate(bad, &day)) << bad;
  }
}

struct WeekCase {
  const char* name;
  v1::ProgrammeItem item;
  // The programme's first activation (her day); nullopt: never activated.
  std::optional<absl::CivilDay> activation;
  std::optional<absl::CivilDay> stop;
  const char* from;
  const char* to;
  int prescribed;
};

// The week of Monday 2026-11-23 .. Sunday 2026-11-29 unless a case says otherwise.
TEST(PrescribedInWeekTest, CountsSessionsOnPrescribedDays) {
  const std::optional<absl::CivilDay> long_ago = Day("2026-01-05");
  const WeekCase cases[] = {
      {"daily twice, full week",
       DailyItem("a", 2, "2026-01-05"),
       long_ago,
       {},
       "2026-11-23",
       "2026-11-29",
       14},
      {"daily once, Monday to Wednesday only (today is Wednesday)",
       DailyItem("a", 1, "2026-01-05"),
       long_ago,
       {},
       "2026-11-23",
       "2026-11-25",
       3},
      {"Mon/Wed/Fri",
       DailyItem("a", 1, "2026-01-05",
                 {v1::WEEKDAY_MONDAY, v1::WEEKDAY_WEDNESDAY, v1::WEEKDAY_FRIDAY}),
       long_ago,
       {},
       "2026-11-23",
       "2026-11-29",
       3},
      {"Mon/Wed/Fri twice, up to Thursday",
       DailyItem("a", 2, "2026-01-05",
                 {v1::WEEKDAY_MONDAY, v1::WEEKDAY_WEDNESDAY, v1::WEEKDAY_FRIDAY}),
       long_ago,
       {},
       "2026-11-23",
       "2026-11-26",
       4},
      {"weekends only, starting on a Thursday",
       DailyItem("a", 1, "2026-11-26", {v1::WEEKDAY_SATURDAY, v1::WEEKDAY_SUNDAY}),
       long_ago,
       {},
       "2026-11-23",
       "2026-11-29",
       2},
      {"Mon/Wed/Fri starting on a Thursday",
       DailyItem("a", 1, "2026-11-26",
                 {v1::WEEKDAY_MONDAY, v1::WEEKDAY_WEDNESDAY, v1::WEEKDAY_FRIDAY}),
       long_ago,
       {},
       "2026-11-23",
       "2026-11-29",
       1},
      {"weekly five, full week",
       WeeklyItem("a", 5, "2026-01-05"),
       long_ago,
       {},
       "2026-11-23",
       "2026-11-29",
       5},
      {"weekly five, starting Thursday: 5 x 4/7 = 2.86",
       WeeklyItem("a", 5, "2026-11-26"),
       long_ago,
       {},
       "2026-11-23",
       "2026-11-29",
       3},
      {"weekly three, starting Sunday: 3/7 rounds to none",
       WeeklyItem("a", 3, "2026-11-29"),
       long_ago,
       {},
       "2026-11-23",
       "2026-11-29",
       0},
      {"weekly seven, up to Wednesday",
       WeeklyItem("a", 7, "2026-01-05"),
       long_ago,
       {},
       "2026-11-23",
       "2026-11-25",
       3},
      {"weekly two, ending Tuesday: 2 x 2/7 = 0.57",
       WeeklyItem("a", 2, "2026-01-05", "2026-11-24"),
       long_ago,
       {},
       "2026-11-23",
       "2026-11-29",
       1},
      {"daily, ending Wednesday",
       DailyItem("a", 1, "2026-01-05", {}, "2026-11-25"),
       long_ago,
       {},
       "2026-11-23",
       "2026-11-29",
       3},
      {"ended the week before",
       DailyItem("a", 1, "2026-01-05", {}, "2026-11-22"),
       long_ago,
       {},
       "2026-11-23",
       "2026-11-29",
       0},
      {"starts the week after",
       DailyItem("a", 1, "2026-11-30"),
       long_ago,
       {},
       "2026-11-23",
       "2026-11-29",
       0},
      {"never activated",
       DailyItem("a", 1, "2026-01-05"),
       std::nullopt,
       {},
       "2026-11-23",
       "2026-11-29",
       0},
      {"activated on Friday, item dated earlier",
       DailyItem("a", 1, "2026-01-05"),
       Day("2026-11-27"),
       {},
       "2026-11-23",
       "2026-11-29",
       3},
      {"activated before the item's start",
       DailyItem("a", 1, "2026-11-25"),
       Day("2026-11-01"),
       {},
       "2026-11-23",
       "2026-11-29",
       5},
      {"paused on Tuesday", DailyItem("a", 1, "2026-01-05"), long_ago, Day("2026-11-24"),
       "2026-11-23", "2026-11-29", 2},
      {"dilator, four a week",
       DilatorItem("d", 4, 2, "2026-01-05"),
       long_ago,
       {},
       "2026-11-23",
       "2026-11-29",
       4},
      {"dilator, four a week, starting Wednesday: 4 x 5/7 = 2.86",
       DilatorItem("d", 4, 2, "2026-11-25"),
       long_ago,
       {},
       "2026-11-23",
       "2026-11-29",
       3},
      // 2026-03-29: London springs forward; the week still has seven days.
      {"daily through London's spring-forward week",
       DailyItem("a", 1, "2026-01-05"),
       long_ago,
       {},
       "2026-03-23",
       "2026-03-29",
       7},
      {"weekly across the new year",
       WeeklyItem("a", 4, "2026-01-05"),
       long_ago,
       {},
       "2026-12-28",
       "2027-01-03",
       4},
  };
  for (const WeekCase& c : cases) {
    const ItemSchedule schedule = ScheduleOfItem(c.item, c.activation, c.stop);
    EXPECT_EQ(PrescribedInWeek(schedule, Day(c.from), Day(c.to)), c.prescribed) << c.name;
  }
}

TEST(IsPrescribedDayTest, FollowsDatesAndWeekdays) {
  const ItemSchedule mwf = ScheduleOfItem(
      DailyItem("a", 1, "2026-11-24", {v1::WEEKDAY_MONDAY, v1::WEEKDAY_WEDNESDAY}, "2026-12-02"),
      Day("2026-11-01"), std::nullopt);
  EXPECT_FALSE(IsPrescribedDay(mwf, Day("2026-11-23")));  // Monday before the start
  EXPECT_FALSE(IsPrescribedDay(mwf, Day("2026-11-24")));  // Tuesday
  EXPECT_TRUE(IsPrescribedDay(mwf, Day("2026-11-25")));   // Wednesday
  EXPECT_TRUE(IsPrescribedDay(mwf, Day("2026-11-30")));   // Monday
  EXPECT_TRUE(IsPrescribedDay(mwf, Day("2026-12-02")));   // Wednesday, the end date
  EXPECT_FALSE(IsPrescribedDay(mwf, Day("2026-12-07")));  // after the end
}

struct DueCase {
  const char* name;
  v1::ProgrammeItem item;
  std::vector<progress_test::Session> sessions;
  const char* today;
  // Nullopt: nothing due today.
  std::optional<DueCounts> due;
};

TEST(DueOnTest, SaysWhatIsDueTodayAndThisWeek) {
  const DueCase cases[] = {
      {"daily twice, one done today",
       DailyItem("a", 2, "2026-01-05"),
       {Done("2026-11-23"), Done("2026-11-26")},
       "2026-11-26",
       DueCounts{2, 1, 14, 2}},
      {"not one of its weekdays",
       DailyItem("a", 1, "2026-01-05", {v1::WEEKDAY_MONDAY}),
       {},
       "2026-11-26",
       std::nullopt},
      {"before its start", DailyItem("a", 1, "2026-11-30"), {}, "2026-11-26", std::nullopt},
      {"after its end",
       DailyItem("a", 1, "2026-01-05", {}, "2026-11-25"),
       {},
       "2026-11-26",
       std::nullopt},
      // Five a week, one done Monday: four left over Thursday..Sunday → 1 today.
      {"weekly, Thursday, one done",
       WeeklyItem("a", 5, "2026-01-05"),
       {Done("2026-11-23")},
       "2026-11-26",
       DueCounts{1, 0, 5, 1}},
      // Five a week, none done by Saturday: five over two days → 3 today.
      {"weekly, Saturday, none done",
       WeeklyItem("a", 5, "2026-01-05"),
       {},
       "2026-11-28",
       DueCounts{3, 0, 5, 0}},
      // Sessions done today do not shrink what was due today; they show as done.
      {"weekly, Saturday, two done today",
       WeeklyItem("a", 5, "2026-01-05"),
       {Done("2026-11-28"), Done("2026-11-28")},
       "2026-11-28",
       DueCounts{3, 2, 5, 2}},
      {"weekly, all done already",
       WeeklyItem("a", 3, "2026-01-05"),
       {Done("2026-11-23"), Done("2026-11-24"), Done("2026-11-25")},
       "2026-11-26",
       DueCounts{0, 0, 3, 3}},
      // Last week's sessions do not count towards this week.
      {"dilator, last week's sessions ignored",
       DilatorItem("d", 3, 2, "2026-01-05"),
       {Done("2026-11-21"), Done("2026-11-22")},
       "2026-11-23",
       DueCounts{1, 0, 3, 0}},
      // Starting Thursday, five a week prorated to three; Thursday..Sunday left → 1 today.
      {"weekly, starting today (Thursday)",
       WeeklyItem("a", 5, "2026-11-26"),
       {},
       "2026-11-26",
       DueCounts{1, 0, 3, 0}},
  };
  for (const DueCase& c : cases) {
    const ItemSchedule schedule = ScheduleOfItem(c.item, Day("2026-01-05"), std::nullopt);
    EXPECT_EQ(DueOn(schedule, DayTotals(c.sessions), Day(c.today)), c.due) << c.name;
  }
}

}  // namespace
}  // namespace confide
