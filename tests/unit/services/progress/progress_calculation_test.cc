// Progress from the practice log's day and size totals: weeks, adherence, streaks, trends, the
// dilator timeline and milestones, in her time zone (DST weeks, zones either side of UTC,
// programmes starting mid-week).

#include "services/progress/progress_calculation.h"

#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/programmes/local_day.h"
#include "tests/unit/services/progress/progress_test_support.h"

namespace confide {
namespace {

using progress_test::DailyItem;
using progress_test::Day;
using progress_test::DayTotals;
using progress_test::DilatorItem;
using progress_test::Done;
using progress_test::EveryDay;
using progress_test::Session;
using progress_test::SizeTotals;
using progress_test::Skipped;
using progress_test::WeeklyItem;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

ItemHistory History(v1::ProgrammeItem item, const std::vector<Session>& sessions,
                    std::optional<absl::CivilDay> activation = absl::CivilDay(2026, 1, 5),
                    std::optional<absl::CivilDay> stop = std::nullopt) {
  ItemHistory history;
  history.schedule = ScheduleOfItem(item, activation, stop);
  history.item = std::move(item);
  history.days = PracticeDays(DayTotals(sessions));
  history.sizes = SizeTotals(sessions);
  return history;
}

std::vector<std::string> WeekStarts(const v1::ItemProgress& progress) {
  std::vector<std::string> out;
  for (const v1::WeekProgress& week : progress.weeks()) {
    out.push_back(week.week_start());
  }
  return out;
}

struct Kind {
  v1::ProgressMilestoneKind kind;
  std::string date;
  std::string item_id;
  int size;
  bool operator==(const Kind&) const = default;
};

void PrintTo(const Kind& k, std::ostream* os) {
  *os << v1::ProgressMilestoneKind_Name(k.kind) << " " << k.date << " " << k.item_id << " "
      << k.size;
}

std::vector<Kind> Kinds(const std::vector<v1::ProgressMilestone>& milestones) {
  std::vector<Kind> out;
  for (const v1::ProgressMilestone& m : milestones) {
    out.push_back(Kind{m.kind(), m.date(), m.item_id(), m.size()});
  }
  return out;
}

// --- Weeks and adherence ------------------------------------------------------------------------

TEST(ItemProgressTest, WeeksStartAtTheProgrammesFirstWeekWhenItStartedMidWeek) {
  // Started Thursday 2026-11-12, daily; today is Wednesday 2026-11-25.
  const ItemHistory history =
      History(DailyItem("a", 1, "2026-11-12"), EveryDay(Day("2026-11-12"), Day("2026-11-25")));
  const v1::ItemProgress progress = ItemProgressOf(history, Day("2026-11-25"), 12);
  EXPECT_THAT(WeekStarts(progress), ElementsAre("2026-11-09", "2026-11-16", "2026-11-23"));
  // Thursday..Sunday, the full week, Monday..Wednesday (today).
  EXPECT_EQ(progress.weeks(0).prescribed(), 4);
  EXPECT_EQ(progress.weeks(1).prescribed(), 7);
  EXPECT_EQ(progress.weeks(2).prescribed(), 3);
  EXPECT_EQ(progress.weeks(2).done(), 3);
  EXPECT_EQ(progress.adherence_percent(), 100);
  EXPECT_EQ(progress.total_sessions(), 14);
  EXPECT_EQ(progress.title(), "Breathing");
  EXPECT_EQ(progress.category(), v1::EXERCISE_CATEGORY_DOWN_TRAINING);
}

TEST(ItemProgressTest, ShowsAtMostTheRequestedWeeksEndingWithTodays) {
  const ItemHistory history = History(WeeklyItem("a", 3, "2026-01-05"), {});
  const v1::ItemProgress progress = ItemProgressOf(history, Day("2026-11-26"), 4);
  EXPECT_THAT(WeekStarts(progress),
              ElementsAre("2026-11-02", "2026-11-09", "2026-11-16", "2026-11-23"));
  EXPECT_EQ(progress.adherence_percent(), 0);
}

// Extra sessions in one week do not make up for a missed week: done is capped per week.
TEST(ItemProgressTest, AdherenceCapsEachWeekAtItsPrescription) {
  std::vector<Session> sessions;
  for (int i = 0; i < 6; ++i) {
    sessions.push_back(Done("2026-11-10"));  // six in the week of 11-09, three prescribed
  }
  sessions.push_back(Done("2026-11-17"));  // one in the week of 11-16
  sessions.push_back(Skipped("2026-11-18"));
  const ItemHistory history = History(WeeklyItem("a", 3, "2026-11-09"), sessions);
  const v1::ItemProgress progress = ItemProgressOf(history, Day("2026-11-22"), 12);
  ASSERT_EQ(progress.weeks_size(), 2);
  EXPECT_EQ(progress.weeks(0).done(), 6);
  EXPECT_EQ(progress.weeks(1).done(), 1);
  EXPECT_EQ(progress.weeks(1).skipped(), 1);
  // (3 + 1) / 6.
  EXPECT_EQ(progress.adherence_percent(), 66);
  EXPECT_EQ(progress.total_sessions(), 7);
}

TEST(ItemProgressTest, AdherenceIsMinusOneWhenNothingWasPrescribed) {
  const ItemHistory never_activated =
      History(DailyItem("a", 1, "2026-11-02"), {}, /*activation=*/std::nullopt);
  EXPECT_EQ(ItemProgressOf(never_activated, Day("2026-11-26"), 12).adherence_percent(), -1);
  EXPECT_THAT(ItemProgressOf(never_activated, Day("2026-11-26"), 12).weeks(), IsEmpty());
  const ItemHistory not_started = History(DailyItem("a", 1, "2026-12-01"), {});
  EXPECT_EQ(ItemProgressOf(not_started, Day("2026-11-26"), 12).adherence_percent(), -1);
}

TEST(ItemProgressTest, AnEndedItemStopsBeingPrescribed) {
  const ItemHistory history = History(DailyItem("a", 1, "2026-11-02", {}, "2026-11-11"),
                                      EveryDay(Day("2026-11-02"), Day("2026-11-11")));
  const v1::ItemProgress progress = ItemProgressOf(history, Day("2026-11-26"), 12);
  ASSERT_EQ(progress.weeks_size(), 4);
  EXPECT_EQ(progress.weeks(0).prescribed(), 7);
  EXPECT_EQ(progress.weeks(1).prescribed(), 3);
  EXPECT_EQ(progress.weeks(2).prescribed(), 0);
  EXPECT_EQ(progress.weeks(3).prescribed(), 0);
  EXPECT_EQ(progress.adherence_percent(), 100);
}

TEST(ItemProgressTest, DaysOfWeekScheduleCountsOnlyThoseDays) {
  // Tuesdays and Thursdays, from Thursday 2026-11-12; she practised both Tuesdays only.
  const ItemHistory history =
      History(DailyItem("a", 1, "2026-11-12", {v1::WEEKDAY_TUESDAY, v1::WEEKDAY_THURSDAY}),
              {Done("2026-11-17"), Done("2026-11-24")});
  const v1::ItemProgress progress = ItemProgressOf(history, Day("2026-11-26"), 12);
  ASSERT_EQ(progress.weeks_size(), 3);
  EXPECT_EQ(progress.weeks(0).prescribed(), 1);
  EXPECT_EQ(progress.weeks(1).prescribed(), 2);
  EXPECT_EQ(progress.weeks(2).prescribed(), 2);
  EXPECT_EQ(progress.adherence_percent(), 40);
}

TEST(ItemProgressTest, WeeklyPainAndAnxietyTrendsInTenths) {
  const ItemHistory history =
      History(WeeklyItem("a", 3, "2026-11-09"),
              {Done("2026-11-10", 4, 6), Done("2026-11-11", 3, 5), Done("2026-11-12", 4, 5),
               Done("2026-11-17", 1, 2), Done("2026-11-18", 0, 1), Skipped("2026-11-19")});
  const v1::ItemProgress progress = ItemProgressOf(history, Day("2026-11-26"), 12);
  ASSERT_EQ(progress.weeks_size(), 3);
  EXPECT_EQ(progress.weeks(0).average_pain_tenths(), 37);  // 11/3 = 3.67
  EXPECT_EQ(progress.weeks(0).average_anxiety_tenths(), 53);
  EXPECT_EQ(progress.weeks(0).max_pain(), 4);
  EXPECT_EQ(progress.weeks(1).average_pain_tenths(), 5);
  EXPECT_EQ(progress.weeks(1).average_anxiety_tenths(), 15);
  EXPECT_EQ(progress.weeks(1).max_pain(), 1);
  EXPECT_EQ(progress.weeks(2).average_pain_tenths(), -1);
  EXPECT_EQ(progress.weeks(2).average_anxiety_tenths(), -1);
  EXPECT_EQ(progress.weeks(2).max_pain(), -1);
}

TEST(MeanTenthsTest, RoundsHalfUp) {
  EXPECT_EQ(MeanTenths(0, 0), -1);
  EXPECT_EQ(MeanTenths(7, 2), 35);
  EXPECT_EQ(MeanTenths(1, 3), 3);
  EXPECT_EQ(MeanTenths(2, 3), 7);
  EXPECT_EQ(MeanTenths(30, 3), 100);
}

// --- Streaks ------------------------------------------------------------------------------------

TEST(StreaksTest, CountDaysInARowEndingTodayOrYesterday) {
  struct Case {
    const char* name;
    std::vector<Session> sessions;
    const char* today;
    int current;
    int longest;
  };
  const Case cases[] = {
      {"none", {}, "2026-11-26", 0, 0},
      {"ending today", EveryDay(Day("2026-11-20"), Day("2026-11-26")), "2026-11-26", 7, 7},
      {"ending yesterday: today is not over", EveryDay(Day("2026-11-20"), Day("2026-11-25")),
       "2026-11-26", 6, 6},
      {"ended two days ago", EveryDay(Day("2026-11-20"), Day("2026-11-24")), "2026-11-26", 0, 5},
      {"a gap, then three",
       [] {
         std::vector<Session> s = EveryDay(Day("2026-11-01"), Day("2026-11-10"));
         std::vector<Session> t = EveryDay(Day("2026-11-24"), Day("2026-11-26"));
         s.insert(s.end(), t.begin(), t.end());
         return s;
       }(),
       "2026-11-26", 3, 10},
      {"a skipped day breaks it",
       {Done("2026-11-24"), Skipped("2026-11-25"), Done("2026-11-26")},
       "2026-11-26",
       1,
       1},
      {"several sessions a day count once", EveryDay(Day("2026-11-25"), Day("2026-11-26"), 3),
       "2026-11-26", 2, 2},
      {"across a month and a year end", EveryDay(Day("2026-12-30"), Day("2027-01-02")),
       "2027-01-02", 4, 4},
  };
  for (const Case& c : cases) {
    const Streaks streaks = StreaksOf(PracticeDays(DayTotals(c.sessions)), Day(c.today));
    EXPECT_EQ(streaks.current_days, c.current) << c.name;
    EXPECT_EQ(streaks.longest_days, c.longest) << c.name;
  }
}

// --- Her time zone ------------------------------------------------------------------------------

// The sessions' local dates as the repository stores them (LocalDate in the programme's zone).
std::vector<Session> SessionsAt(const std::vector<absl::Time>& times, const absl::TimeZone& zone) {
  std::vector<Session> out;
  for (absl::Time t : times) {
    out.push_back(Done(LocalDate(t, zone)));
  }
  return out;
}

absl::Time Utc(int y, int mo, int d, int h, int mi) {
  return absl::FromCivil(absl::CivilSecond(y, mo, d, h, mi, 0), absl::UTCTimeZone());
}

absl::Time Local(const absl::TimeZone& zone, int y, int mo, int d, int h, int mi) {
  return absl::FromCivil(absl::CivilSecond(y, mo, d, h, mi, 0), zone);
}

// London springs forward on Sunday 2026-03-29. A session at 23:30 that Sunday (22:30 UTC) is in
// the week of 03-23; one at 00:30 on Monday (23:30 UTC on Sunday) is in the next week.
TEST(TimeZoneProgressTest, LondonSpringForwardWeekBoundary) {
  const absl::TimeZone london = *LoadProgrammeZone("Europe/London");
  std::vector<absl::Time> times;
  for (int d = 23; d <= 29; ++d) {
    times.push_back(Local(london, 2026, 3, d, 23, 30));
  }
  times.push_back(Local(london, 2026, 3, 30, 0, 30));
  ASSERT_EQ(LocalDate(times[6], london), "2026-03-29");
  ASSERT_EQ(absl::FormatTime("%Y-%m-%d", times[7], absl::UTCTimeZone()), "2026-03-29");
  const ItemHistory history = History(DailyItem("a", 1, "2026-03-23"), SessionsAt(times, london));
  const v1::ItemProgress progress = ItemProgressOf(history, Day("2026-03-30"), 12);
  ASSERT_EQ(progress.weeks_size(), 2);
  EXPECT_EQ(progress.weeks(0).week_start(), "2026-03-23");
  EXPECT_EQ(progress.weeks(0).done(), 7);
  EXPECT_EQ(progress.weeks(0).prescribed(), 7);
  EXPECT_EQ(progress.weeks(1).done(), 1);
  EXPECT_EQ(progress.current_streak_days(), 8);
  EXPECT_EQ(progress.adherence_percent(), 100);
}

// London falls back on Sunday 2026-10-25 (a 25-hour day): evening sessions every day across it
// are still one a day and one unbroken streak.
TEST(TimeZoneProgressTest, LondonFallBackKeepsOneSessionPerDay) {
  const absl::TimeZone london = *LoadProgrammeZone("Europe/London");
  std::vector<absl::Time> times;
  for (absl::CivilDay day = Day("2026-10-19"); day <= Day("2026-11-01"); ++day) {
    times.push_back(absl::FromCivil(absl::CivilSecond(day) + 23 * 3600 + 45 * 60, london));
  }
  const ItemHistory history = History(DailyItem("a", 1, "2026-10-19"), SessionsAt(times, london));
  const v1::ItemProgress progress = ItemProgressOf(history, Day("2026-11-01"), 12);
  ASSERT_EQ(progress.weeks_size(), 2);
  EXPECT_EQ(progress.weeks(0).done(), 7);
  EXPECT_EQ(progress.weeks(1).done(), 7);
  EXPECT_EQ(progress.longest_streak_days(), 14);
  EXPECT_EQ(progress.current_streak_days(), 14);
}

// New York: spring forward on Sunday 2026-03-08, fall back on Sunday 2026-11-01. 23:30 on
// the fall-back Sunday is 04:30 UTC on Monday, still her Sunday.
TEST(TimeZoneProgressTest, NewYorkDstWeeks) {
  const absl::TimeZone new_york = *LoadProgrammeZone("America/New_York");
  {
    std::vector<absl::Time> times;
    for (int d = 2; d <= 8; ++d) {
      times.push_back(Local(new_york, 2026, 3, d, 23, 30));
    }
    const ItemHistory history =
        History(WeeklyItem("a", 7, "2026-03-02"), SessionsAt(times, new_york));
    const v1::ItemProgress progress = ItemProgressOf(history, Day("2026-03-09"), 12);
    ASSERT_EQ(progress.weeks_size(), 2);
    EXPECT_EQ(progress.weeks(0).week_start(), "2026-03-02");
    EXPECT_EQ(progress.weeks(0).done(), 7);
    EXPECT_EQ(progress.weeks(1).done(), 0);
    EXPECT_EQ(progress.current_streak_days(), 7);
  }
  {
    const absl::Time sunday_night = Local(new_york, 2026, 11, 1, 23, 30);
    ASSERT_EQ(sunday_night, Utc(2026, 11, 2, 4, 30));
    const ItemHistory history =
        History(WeeklyItem("a", 2, "2026-10-26"), SessionsAt({sunday_night}, new_york));
    const v1::ItemProgress progress = ItemProgressOf(history, Day("2026-11-02"), 12);
    ASSERT_EQ(progress.weeks_size(), 2);
    EXPECT_EQ(progress.weeks(0).week_start(), "2026-10-26");
    EXPECT_EQ(progress.weeks(0).done(), 1);
    EXPECT_EQ(progress.weeks(1).done(), 0);
  }
}

// 23:00 UTC on Sunday 2026-11-29 is Monday in Auckland (UTC+13) and Tokyo (UTC+9), still
// Sunday in Honolulu (UTC-10) and Los Angeles (UTC-8).
TEST(TimeZoneProgressTest, ZonesEastAndWestOfUtcPutTheSameInstantInDifferentWeeks) {
  const absl::Time t = Utc(2026, 11, 29, 23, 0);
  struct Case {
    const char* zone;
    const char* week_of_session;
  };
  const Case cases[] = {{"Pacific/Auckland", "2026-11-30"},
                        {"Asia/Tokyo", "2026-11-30"},
                        {"UTC", "2026-11-23"},
                        {"America/Los_Angeles", "2026-11-23"},
                        {"Pacific/Honolulu", "2026-11-23"}};
  for (const Case& c : cases) {
    const absl::TimeZone zone = *LoadProgrammeZone(c.zone);
    const ItemHistory history = History(WeeklyItem("a", 1, "2026-11-23"), SessionsAt({t}, zone));
    const v1::ItemProgress progress = ItemProgressOf(history, Day("2026-12-01"), 12);
    ASSERT_EQ(progress.weeks_size(), 2) << c.zone;
    const int index = std::string(c.week_of_session) == "2026-11-23" ? 0 : 1;
    EXPECT_EQ(progress.weeks(index).week_start(), c.week_of_session) << c.zone;
    EXPECT_EQ(progress.weeks(index).done(), 1) << c.zone;
    EXPECT_EQ(progress.weeks(1 - index).done(), 0) << c.zone;
  }
}

// --- Dilator timeline ---------------------------------------------------------------------------

TEST(ItemProgressTest, DilatorTimelineInTheOrderSizesWereFirstUsed) {
  const ItemHistory history = History(
      DilatorItem("d", 3, 3, "2026-10-05"),
      {Done("2026-10-05", 4, 5, 2), Done("2026-10-07", 3, 4, 2), Done("2026-10-20", 3, 3, 3),
       Done("2026-10-22", 6, 6, 3), Done("2026-10-23", 5, 5, 2), Done("2026-11-03", 2, 2, 3),
       Done("2026-11-03", 1, 2, 3)});
  const v1::ItemProgress progress = ItemProgressOf(history, Day("2026-11-05"), 12);
  EXPECT_EQ(progress.current_size(), 3);
  ASSERT_EQ(progress.dilator_timeline_size(), 2);
  const v1::SizePeriod& two = progress.dilator_timeline(0);
  EXPECT_EQ(two.size(), 2);
  EXPECT_EQ(two.diameter_mm(), 16);
  EXPECT_EQ(two.first_date(), "2026-10-05");
  EXPECT_EQ(two.last_date(), "2026-10-23");
  EXPECT_EQ(two.sessions(), 3);
  EXPECT_EQ(two.days(), 3);
  const v1::SizePeriod& three = progress.dilator_timeline(1);
  EXPECT_EQ(three.size(), 3);
  EXPECT_EQ(three.diameter_mm(), 20);
  EXPECT_EQ(three.sessions(), 4);
  EXPECT_EQ(three.days(), 3);
}

// --- Milestones ---------------------------------------------------------------------------------

TEST(MilestonesTest, NoneWithoutPractice) {
  EXPECT_THAT(MilestonesOf({History(DailyItem("a", 1, "2026-11-02"), {})}, Day("2026-11-26")),
              IsEmpty());
}

TEST(MilestonesTest, SessionCountsAreProgrammeWide) {
  // Two items: breathing daily from 11-01 and Kegels three a week, 60 sessions in all by 11-30.
  std::vector<Session> breathing = EveryDay(Day("2026-11-01"), Day("2026-11-30"));
  std::vector<Session> kegels = EveryDay(Day("2026-11-03"), Day("2026-12-02"));
  const std::vector<ItemHistory> items = {History(DailyItem("breath", 1, "2026-11-01"), breathing),
                                          History(WeeklyItem("kegel", 7, "2026-11-01"), kegels)};
  const std::vector<v1::ProgressMilestone> milestones = MilestonesOf(items, Day("2026-11-30"));
  std::vector<Kind> programme_wide;
  for (const Kind& k : Kinds(milestones)) {
    if (k.item_id.empty()) {
      programme_wide.push_back(k);
    }
  }
  // 1 on 11-01 and 11-02, then 2 a day: 10 reached on 11-06 (2 + 2×4), 50 on 11-26 (2 + 2×24).
  EXPECT_THAT(programme_wide,
              ElementsAre(Kind{v1::PROGRESS_MILESTONE_KIND_FIRST_SESSION, "2026-11-01", "", 0},
                          Kind{v1::PROGRESS_MILESTONE_KIND_TEN_SESSIONS, "2026-11-06", "", 0},
                          Kind{v1::PROGRESS_MILESTONE_KIND_FIFTY_SESSIONS, "2026-11-26", "", 0}));
}

TEST(MilestonesTest, FirstPainFreeSessionIsAfterSessionsWithPain) {
  const ItemHistory painless_from_the_start =
      History(WeeklyItem("a", 3, "2026-11-02"), {Done("2026-11-02", 0), Done("2026-11-04", 0)});
  for (const Kind& k : Kinds(MilestonesOf({painless_from_the_start}, Day("2026-11-26")))) {
    EXPECT_NE(k.kind, v1::PROGRESS_MILESTONE_KIND_FIRST_PAIN_FREE_SESSION);
  }
  const ItemHistory after_pain = History(
      WeeklyItem("a", 3, "2026-11-02"),
      {Done("2026-11-02", 5), Done("2026-11-04", 3), Done("2026-11-09", 0), Done("2026-11-11", 0)});
  EXPECT_THAT(
      Kinds(MilestonesOf({after_pain}, Day("2026-11-26"))),
      ElementsAre(Kind{v1::PROGRESS_MILESTONE_KIND_FIRST_SESSION, "2026-11-02", "", 0},
                  Kind{v1::PROGRESS_MILESTONE_KIND_FIRST_PAIN_FREE_SESSION, "2026-11-09", "a", 0}));
}

TEST(MilestonesTest, SevenDayStreakOnItsSeventhDay) {
  const ItemHistory history = History(DailyItem("a", 1, "2026-11-09", {v1::WEEKDAY_MONDAY}),
                                      EveryDay(Day("2026-11-10"), Day("2026-11-16")));
  EXPECT_THAT(
      Kinds(MilestonesOf({history}, Day("2026-11-26"))),
      ElementsAre(Kind{v1::PROGRESS_MILESTONE_KIND_FIRST_SESSION, "2026-11-10", "", 0},
                  Kind{v1::PROGRESS_MILESTONE_KIND_SEVEN_DAY_STREAK, "2026-11-16", "a", 0}));
}

// Three a week from Wednesday 2026-10-07 (first week prorated to two). Weeks: 10-05 steady,
// 10-12 steady, 10-19 one short (resets), then 10-26, 11-02, 11-09 and 11-16 steady: the fourth
// of those is complete on the day of its third session.
TEST(MilestonesTest, FourSteadyWeeksInARowAfterAMissedWeek) {
  const std::vector<Session> sessions = {
      Done("2026-10-07"), Done("2026-10-09"),                      // 10-05: 2 of 2
      Done("2026-10-12"), Done("2026-10-14"), Done("2026-10-16"),  // 10-12
      Done("2026-10-20"), Done("2026-10-22"),                      // 10-19: 2 of 3
      Done("2026-10-26"), Done("2026-10-27"), Done("2026-10-28"),  // 10-26
      Done("2026-11-02"), Done("2026-11-04"), Done("2026-11-08"),  // 11-02
      Done("2026-11-09"), Done("2026-11-10"), Done("2026-11-11"),  // 11-09
      Done("2026-11-17"), Done("2026-11-19"), Done("2026-11-20"),  // 11-16
      Done("2026-11-21"),
  };
  const ItemHistory history = History(WeeklyItem("k", 3, "2026-10-07"), sessions);
  std::vector<Kind> steady;
  for (const Kind& k : Kinds(MilestonesOf({history}, Day("2026-11-26")))) {
    if (k.kind == v1::PROGRESS_MILESTONE_KIND_FOUR_STEADY_WEEKS) {
      steady.push_back(k);
    }
  }
  EXPECT_THAT(steady, ElementsAre(Kind{v1::PROGRESS_MILESTONE_KIND_FOUR_STEADY_WEEKS, "2026-11-20",
                                       "k", 0}));
  // Not yet reached when today is before it.
  for (const Kind& k : Kinds(MilestonesOf({history}, Day("2026-11-19")))) {
    EXPECT_NE(k.kind, v1::PROGRESS_MILESTONE_KIND_FOUR_STEADY_WEEKS);
  }
}

TEST(MilestonesTest, DilatorNewSizesOnlyWhenLargerThanEveryEarlierSize) {
  // Sizes 2, 3, back to 2, 4, 5, 6 (the top of her set).
  const ItemHistory history = History(
      DilatorItem("d", 3, 6, "2026-09-01"),
      {Done("2026-09-01", 3, 3, 2), Done("2026-09-15", 3, 3, 3), Done("2026-09-20", 6, 6, 2),
       Done("2026-10-01", 2, 2, 4), Done("2026-10-20", 2, 2, 5), Done("2026-11-10", 1, 1, 6)});
  std::vector<Kind> dilator;
  for (const Kind& k : Kinds(MilestonesOf({history}, Day("2026-11-26")))) {
    if (k.kind == v1::PROGRESS_MILESTONE_KIND_FIRST_SESSION_AT_NEW_SIZE ||
        k.kind == v1::PROGRESS_MILESTONE_KIND_TOP_OF_LADDER) {
      dilator.push_back(k);
    }
  }
  EXPECT_THAT(
      dilator,
      ElementsAre(Kind{v1::PROGRESS_MILESTONE_KIND_FIRST_SESSION_AT_NEW_SIZE, "2026-09-15", "d", 3},
                  Kind{v1::PROGRESS_MILESTONE_KIND_FIRST_SESSION_AT_NEW_SIZE, "2026-10-01", "d", 4},
                  Kind{v1::PROGRESS_MILESTONE_KIND_FIRST_SESSION_AT_NEW_SIZE, "2026-10-20", "d", 5},
                  Kind{v1::PROGRESS_MILESTONE_KIND_FIRST_SESSION_AT_NEW_SIZE, "2026-11-10", "d", 6},
                  Kind{v1::PROGRESS_MILESTONE_KIND_TOP_OF_LADDER, "2026-11-10", "d", 6}));
}

TEST(MilestonesTest, AreOldestFirstWithWarmMessages) {
  const std::vector<ItemHistory> items = {
      History(DilatorItem("d", 3, 3, "2026-11-02"),
              {Done("2026-11-02", 4, 4, 2), Done("2026-11-12", 0, 1, 3)}),
      History(DailyItem("b", 1, "2026-11-02"), EveryDay(Day("2026-11-03"), Day("2026-11-09"), 2))};
  const std::vector<v1::ProgressMilestone> milestones = MilestonesOf(items, Day("2026-11-26"));
  EXPECT_THAT(
      Kinds(milestones),
      ElementsAre(
          Kind{v1::PROGRESS_MILESTONE_KIND_FIRST_SESSION, "2026-11-02", "", 0},
          Kind{v1::PROGRESS_MILESTONE_KIND_TEN_SESSIONS, "2026-11-07", "", 0},
          Kind{v1::PROGRESS_MILESTONE_KIND_SEVEN_DAY_STREAK, "2026-11-09", "b", 0},
          Kind{v1::PROGRESS_MILESTONE_KIND_FIRST_PAIN_FREE_SESSION, "2026-11-12", "d", 0},
          Kind{v1::PROGRESS_MILESTONE_KIND_FIRST_SESSION_AT_NEW_SIZE, "2026-11-12", "d", 3}));
  for (const v1::ProgressMilestone& m : milestones) {
    EXPECT_FALSE(m.celebration_message().empty());
  }
  EXPECT_EQ(milestones[4].celebration_message(),
            "You practised with size 3 for the first time. Go gently, and notice how far you have "
            "come.");
}

TEST(CelebrationMessageTest, EveryKindHasWarmWordsWithoutJudgement) {
  for (int k = v1::PROGRESS_MILESTONE_KIND_FIRST_SESSION;
       k <= v1::PROGRESS_MILESTONE_KIND_TOP_OF_LADDER; ++k) {
    const std::string message = CelebrationMessage(static_cast<v1::ProgressMilestoneKind>(k), 4);
    EXPECT_GT(message.size(), 20u) << k;
    for (const char* word : {"should", "must", "failed", "only"}) {
      EXPECT_EQ(message.find(word), std::string::npos) << k << ": " << word;
    }
  }
}

}  // namespace
}  // namespace confide
