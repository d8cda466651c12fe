#include "services/progress/schedule.h"

#include <algorithm>

namespace confide {
namespace {

// 1 = Monday .. 7 = Sunday, as v1::Weekday numbers them.
int IsoWeekdayNumber(absl::CivilDay day) {
  switch (absl::GetWeekday(day)) {
    case absl::Weekday::monday:
      return 1;
    case absl::Weekday::tuesday:
      return 2;
    case absl::Weekday::wednesday:
      return 3;
    case absl::Weekday::thursday:
      return 4;
    case absl::Weekday::friday:
      return 5;
    case absl::Weekday::saturday:
      return 6;
    case absl::Weekday::sunday:
      return 7;
  }
  return 7;
}

bool WithinDates(const ItemSchedule& schedule, absl::CivilDay day) {
  if (!schedule.first.has_value() || day < *schedule.first) {
    return false;
  }
  return !schedule.last.has_value() || day <= *schedule.last;
}

// Days of [from, to] within the item's dates (and, for DAY, on its weekdays).
int PrescribedDays(const ItemSchedule& schedule, absl::CivilDay from, absl::CivilDay to) {
  int days = 0;
  for (absl::CivilDay day = from; day <= to; ++day) {
    days += IsPrescribedDay(schedule, day) ? 1 : 0;
  }
  return days;
}

}  // namespace

std::optional<absl::CivilDay> ParseDay(std::string_view text) {
  // By hand rather than local_day.h's ParseLocalDate (absl parse and format): progress parses
  // one date per day of two years of history, and this is the hot path of GetProgress.
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') {
    return std::nullopt;
  }
  int fields[3] = {0, 0, 0};
  const int starts[3] = {0, 5, 8};
  const int lengths[3] = {4, 2, 2};
  for (int f = 0; f < 3; ++f) {
    for (int i = 0; i < lengths[f]; ++i) {
      const char c = text[starts[f] + i];
      if (c < '0' || c > '9') {
        return std::nullopt;
      }
      fields[f] = fields[f] * 10 + (c - '0');
    }
  }
  const absl::CivilDay day(fields[0], fields[1], fields[2]);
  // CivilDay normalizes (2026-02-30 → 2026-03-02): a real date keeps its fields.
  if (day.year() != fields[0] || day.month() != fields[1] || day.day() != fields[2]) {
    return std::nullopt;
  }
  return day;
}

absl::CivilDay IsoWeekStart(absl::CivilDay day) { return day - (IsoWeekdayNumber(day) - 1); }

ItemSchedule ScheduleOfItem(const v1::ProgrammeItem& item,
                            std::optional<absl::CivilDay> activation_day,
                            std::optional<absl::CivilDay> stop_day) {
  ItemSchedule schedule;
  if (item.has_dilator()) {
    schedule.period = v1::SCHEDULE_PERIOD_WEEK;
    schedule.times = item.dilator().sessions_per_week();
  } else {
    schedule.period = item.schedule().period();
    schedule.times = item.schedule().times_per_period();
    for (int weekday : item.schedule().days_of_week()) {
      if (weekday >= 1 && weekday <= 7) {
        schedule.due_weekday[weekday] = true;
      }
    }
  }
  if (schedule.period == v1::SCHEDULE_PERIOD_DAY && item.schedule().days_of_week().empty()) {
    std::fill(schedule.due_weekday.begin() + 1, schedule.due_weekday.end(), true);
  }
  const std::optional<absl::CivilDay> start = ParseDay(item.start_date());
  if (activation_day.has_value()) {
    schedule.first = start.has_value() ? std::max(*start, *activation_day) : *activation_day;
  }
  schedule.last = ParseDay(item.end_date());
  if (stop_day.has_value()) {
    schedule.last = schedule.last.has_value() ? std::min(*schedule.last, *stop_day) : *stop_day;
  }
  return schedule;
}

bool IsPrescribedDay(const ItemSchedule& schedule, absl::CivilDay day) {
  if (schedule.times <= 0 || !WithinDates(schedule, day)) {
    return false;
  }
  switch (schedule.period) {
    case v1::SCHEDULE_PERIOD_DAY:
      return schedule.due_weekday[IsoWeekdayNumber(day)];
    case v1::SCHEDULE_PERIOD_WEEK:
      return true;
    default:
      return false;
  }
}

int PrescribedInWeek(const ItemSchedule& schedule, absl::CivilDay from, absl::CivilDay to) {
  const int days = PrescribedDays(schedule, from, to);
  if (schedule.period == v1::SCHEDULE_PERIOD_DAY) {
    return days * schedule.times;
  }
  // times × days / 7, rounded half up, in integers.
  return (2 * schedule.times * days + 7) / 14;
}

std::optional<DueCounts> DueOn(const ItemSchedule& schedule,
                               const std::vector<PracticeDayTotals>& week_days,
                               absl::CivilDay today) {
  if (!IsPrescribedDay(schedule, today)) {
    return std::nullopt;
  }
  const absl::CivilDay monday = IsoWeekStart(today);
  const absl::CivilDay sunday = monday + 6;
  DueCounts due;
  int done_before_today = 0;
  for (const PracticeDayTotals& totals : week_days) {
    const std::optional<absl::CivilDay> day = ParseDay(totals.local_date);
    if (!day.has_value() || *day < monday || *day > sunday) {
      continue;
    }
    due.week_done += totals.done;
    if (*day == today) {
      due.done_today += totals.done;
    } else if (*day < today) {
      done_before_today += totals.done;
    }
  }
  due.week_prescribed = PrescribedInWeek(schedule, monday, sunday);
  if (schedule.period == v1::SCHEDULE_PERIOD_DAY) {
    due.due_today = schedule.times;
  } else {
    const int left = std::max(0, due.week_prescribed - done_before_today);
    // Today is a prescribed day, so at least one day remains.
    const int remaining_days = PrescribedDays(schedule, today, sunday);
    due.due_today = (left + remaining_days - 1) / remaining_days;
  }
  return due;
}

}  // namespace confide
