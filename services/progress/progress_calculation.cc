#include "services/progress/progress_calculation.h"

#include <algorithm>
#include <map>
#include <utility>

#include "absl/strings/str_cat.h"

namespace confide {
namespace {

v1::ProgressMilestone Milestone(v1::ProgressMilestoneKind kind, absl::CivilDay day,
                                const std::string& item_id, int size = 0) {
  v1::ProgressMilestone milestone;
  milestone.set_kind(kind);
  milestone.set_date(FormatLocalDate(day));
  milestone.set_item_id(item_id);
  milestone.set_size(size);
  milestone.set_celebration_message(CelebrationMessage(kind, size));
  return milestone;
}

// The day the first run of four steady weeks ended: each week's full prescription done, the day
// the last session of the fourth week was done.
std::optional<absl::CivilDay> FourSteadyWeeks(const ItemHistory& history,
                                              const std::vector<PracticeDay>& days,
                                              absl::CivilDay today) {
  if (!history.schedule.first.has_value()) {
    return std::nullopt;
  }
  const absl::CivilDay current_week = IsoWeekStart(today);
  auto next = days.begin();
  int run = 0;
  for (absl::CivilDay week = IsoWeekStart(*history.schedule.first); week <= current_week;
       week += 7) {
    const int prescribed = PrescribedInWeek(history.schedule, week, week + 6);
    std::optional<absl::CivilDay> steady_on;
    int done = 0;
    while (next != days.end() && next->day < week) {
      ++next;
    }
    for (; next != days.end() && next->day <= std::min(week + 6, today); ++next) {
      done += next->totals.done;
      if (!steady_on.has_value() && prescribed > 0 && done >= prescribed) {
        steady_on = next->day;
      }
    }
    if (prescribed == 0) {
      continue;
    }
    if (!steady_on.has_value()) {
      run = 0;
      continue;
    }
    if (++run == 4) {
      return steady_on;
    }
  }
  return std::nullopt;
}

// The first day with a pain-free done session after a day whose sessions had pain.
std::optional<absl::CivilDay> FirstPainFreeAfterPain(const std::vector<PracticeDay>& days,
                                                     absl::CivilDay today) {
  bool had_pain = false;
  for (const PracticeDay& day : days) {
    if (day.day > today) {
      break;
    }
    if (had_pain && day.totals.pain_free > 0) {
      return day.day;
    }
    had_pain = had_pain || day.totals.max_pain >= 1;
  }
  return std::nullopt;
}

void AddDilatorMilestones(const ItemHistory& history, absl::CivilDay today,
                          std::vector<v1::ProgressMilestone>& out) {
  int top = 0;
  for (const v1::DilatorSize& size : history.item.dilator().set().sizes()) {
    top = std::max(top, size.size());
  }
  int largest_so_far = 0;
  for (const PracticeSizeTotals& size : history.sizes) {
    const std::optional<absl::CivilDay> first = ParseDay(size.first_date);
    if (!first.has_value() || *first > today || size.sessions <= 0) {
      continue;
    }
    if (largest_so_far != 0 && size.size > largest_so_far) {
      out.push_back(Milestone(v1::PROGRESS_MILESTONE_KIND_FIRST_SESSION_AT_NEW_SIZE, *first,
                              history.item.id(), size.size));
    }
    if (size.size == top) {
      out.push_back(
          Milestone(v1::PROGRESS_MILESTONE_KIND_TOP_OF_LADDER, *first, history.item.id(), top));
    }
    largest_so_far = std::max(largest_so_far, size.size);
  }
}

}  // namespace

std::vector<PracticeDay> PracticeDays(std::vector<PracticeDayTotals> rows) {
  std::vector<PracticeDay> days;
  days.reserve(rows.size());
  for (PracticeDayTotals& row : rows) {
    if (std::optional<absl::CivilDay> day = ParseDay(row.local_date); day.has_value()) {
      days.push_back(PracticeDay{*day, std::move(row)});
    }
  }
  const auto older = [](const PracticeDay& a, const PracticeDay& b) { return a.day < b.day; };
  // The repository returns them oldest first already.
  if (!std::is_sorted(days.begin(), days.end(), older)) {
    std::stable_sort(days.begin(), days.end(), older);
  }
  return days;
}

int MeanTenths(int sum, int count) {
  if (count <= 0) {
    return -1;
  }
  return static_cast<int>((20LL * sum + count) / (2LL * count));
}

Streaks StreaksOf(const std::vector<PracticeDay>& days, absl::CivilDay today) {
  Streaks streaks;
  std::optional<absl::CivilDay> previous;
  int run = 0;
  for (const PracticeDay& day : days) {
    if (day.totals.done <= 0 || day.day > today) {
      continue;
    }
    run = (previous.has_value() && *previous + 1 == day.day) ? run + 1 : 1;
    previous = day.day;
    streaks.longest_days = std::max(streaks.longest_days, run);
    if (run == 7 && !streaks.first_seven_day.has_value()) {
      streaks.first_seven_day = day.day;
    }
  }
  if (previous.has_value() && *previous >= today - 1) {
    streaks.current_days = run;
  }
  return streaks;
}

v1::ItemProgress ItemProgressOf(const ItemHistory& history, absl::CivilDay today, int weeks) {
  const v1::ProgrammeItem& item = history.item;
  v1::ItemProgress progress;
  progress.set_item_id(item.id());
  progress.set_title(item.exercise().title());
  progress.set_category(item.exercise().category());
  const std::vector<PracticeDay>& days = history.days;

  int total = 0;
  for (const PracticeDay& day : days) {
    total += day.totals.done;
  }
  progress.set_total_sessions(total);

  // Weeks: from the first prescribed or practised day's week (at most `weeks` back) to today's.
  const absl::CivilDay current_week = IsoWeekStart(today);
  std::optional<absl::CivilDay> earliest = history.schedule.first;
  if (!days.empty() && (!earliest.has_value() || days.front().day < *earliest)) {
    earliest = days.front().day;
  }
  int prescribed_total = 0;
  int done_capped_total = 0;
  if (earliest.has_value()) {
    absl::CivilDay week = std::max(current_week - 7L * (weeks - 1), IsoWeekStart(*earliest));
    auto next = std::lower_bound(days.begin(), days.end(), week,
                                 [](const PracticeDay& d, absl::CivilDay w) { return d.day < w; });
    for (; week <= current_week; week += 7) {
      v1::WeekProgress& shown = *progress.add_weeks();
      shown.set_week_start(FormatLocalDate(week));
      shown.set_prescribed(PrescribedInWeek(history.schedule, week, std::min(week + 6, today)));
      int pain_sum = 0, pain_count = 0, anxiety_sum = 0, anxiety_count = 0, max_pain = -1;
      for (; next != days.end() && next->day <= week + 6; ++next) {
        const PracticeDayTotals& t = next->totals;
        shown.set_done(shown.done() + t.done);
        shown.set_skipped(shown.skipped() + t.skipped);
        pain_sum += t.pain_sum;
        pain_count += t.pain_count;
        anxiety_sum += t.anxiety_sum;
        anxiety_count += t.anxiety_count;
        max_pain = std::max(max_pain, t.max_pain);
      }
      shown.set_average_pain_tenths(MeanTenths(pain_sum, pain_count));
      shown.set_average_anxiety_tenths(MeanTenths(anxiety_sum, anxiety_count));
      shown.set_max_pain(max_pain);
      prescribed_total += shown.prescribed();
      done_capped_total += std::min(shown.done(), shown.prescribed());
    }
  }
  progress.set_adherence_percent(
      prescribed_total == 0 ? -1 : done_capped_total * 100 / prescribed_total);

  const Streaks streaks = StreaksOf(history.days, today);
  progress.set_current_streak_days(streaks.current_days);
  progress.set_longest_streak_days(streaks.longest_days);

  if (item.has_dilator()) {
    progress.set_current_size(item.dilator().current_size());
    std::map<int, int> diameters;
    for (const v1::DilatorSize& size : item.dilator().set().sizes()) {
      diameters[size.size()] = size.diameter_mm();
    }
    for (const PracticeSizeTotals& size : history.sizes) {
      v1::SizePeriod& period = *progress.add_dilator_timeline();
      period.set_size(size.size);
      auto diameter = diameters.find(size.size);
      period.set_diameter_mm(diameter == diameters.end() ? 0 : diameter->second);
      period.set_first_date(size.first_date);
      period.set_last_date(size.last_date);
      period.set_sessions(size.sessions);
      period.set_days(size.days);
    }
  }
  return progress;
}

std::vector<v1::ProgressMilestone> MilestonesOf(const std::vector<ItemHistory>& items,
                                                absl::CivilDay today) {
  std::vector<v1::ProgressMilestone> out;

  // Programme-wide: every item's done sessions, in day order (a sorted vector, not a map: two
  // years of daily practice are about 730 entries per item).
  std::vector<std::pair<absl::CivilDay, int>> done_per_day;
  for (const ItemHistory& history : items) {
    for (const PracticeDay& day : history.days) {
      if (day.totals.done > 0 && day.day <= today) {
        done_per_day.emplace_back(day.day, day.totals.done);
      }
    }
  }
  std::sort(done_per_day.begin(), done_per_day.end());
  int running = 0;
  for (auto it = done_per_day.begin(); it != done_per_day.end();) {
    const absl::CivilDay day = it->first;
    const int before = running;
    for (; it != done_per_day.end() && it->first == day; ++it) {
      running += it->second;
    }
    if (before == 0) {
      out.push_back(Milestone(v1::PROGRESS_MILESTONE_KIND_FIRST_SESSION, day, ""));
    }
    if (before < 10 && running >= 10) {
      out.push_back(Milestone(v1::PROGRESS_MILESTONE_KIND_TEN_SESSIONS, day, ""));
    }
    if (before < 50 && running >= 50) {
      out.push_back(Milestone(v1::PROGRESS_MILESTONE_KIND_FIFTY_SESSIONS, day, ""));
    }
  }

  for (const ItemHistory& history : items) {
    const std::string& item_id = history.item.id();
    const std::vector<PracticeDay>& days = history.days;
    if (std::optional<absl::CivilDay> day = FirstPainFreeAfterPain(days, today); day.has_value()) {
      out.push_back(Milestone(v1::PROGRESS_MILESTONE_KIND_FIRST_PAIN_FREE_SESSION, *day, item_id));
    }
    if (std::optional<absl::CivilDay> day = StreaksOf(days, today).first_seven_day;
        day.has_value()) {
      out.push_back(Milestone(v1::PROGRESS_MILESTONE_KIND_SEVEN_DAY_STREAK, *day, item_id));
    }
    if (std::optional<absl::CivilDay> day = FourSteadyWeeks(history, days, today);
        day.has_value()) {
      out.push_back(Milestone(v1::PROGRESS_MILESTONE_KIND_FOUR_STEADY_WEEKS, *day, item_id));
    }
    if (history.item.has_dilator()) {
      AddDilatorMilestones(history, today, out);
    }
  }
  // YYYY-MM-DD sorts as dates; stable, so a day's milestones keep the order they were made in.
  std::stable_sort(out.begin(), out.end(),
                   [](const v1::ProgressMilestone& a, const v1::ProgressMilestone& b) {
                     return a.date() < b.date();
                   });
  return out;
}

std::string CelebrationMessage(v1::ProgressMilestoneKind kind, int size) {
  switch (kind) {
    case v1::PROGRESS_MILESTONE_KIND_FIRST_SESSION:
      return "You did your first practice session. Starting is often the hardest part, and you "
             "did it.";
    case v1::PROGRESS_MILESTONE_KIND_FIRST_SESSION_AT_NEW_SIZE:
      return absl::StrCat("You practised with size ", size,
                          " for the first time. Go gently, and notice how far you have come.");
    case v1::PROGRESS_MILESTONE_KIND_FIRST_PAIN_FREE_SESSION:
      return "You had a session without pain. Your body is learning that this can feel safe.";
    case v1::PROGRESS_MILESTONE_KIND_FOUR_STEADY_WEEKS:
      return "Four weeks of steady practice. Showing up for yourself like this is what makes the "
             "difference.";
    case v1::PROGRESS_MILESTONE_KIND_TEN_SESSIONS:
      return "Ten practice sessions. Every one of them counts.";
    case v1::PROGRESS_MILESTONE_KIND_FIFTY_SESSIONS:
      return "Fifty practice sessions. Take a moment to see how far you have come.";
    case v1::PROGRESS_MILESTONE_KIND_SEVEN_DAY_STREAK:
      return "Seven days in a row. You are making this a gentle habit.";
    case v1::PROGRESS_MILESTONE_KIND_TOP_OF_LADDER:
      return absl::StrCat("You reached size ", size,
                          ", the largest of your set. That is a real achievement, at your own "
                          "pace.");
    default:
      return "Well done.";
  }
}

}  // namespace confide
