#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "confide/v1/progress.pb.h"
#include "services/programmes/ports/practice_log_repository.h"
#include "services/progress/schedule.h"

namespace confide {

// Progress made visible, computed from the aggregate rows of her practice log (one row per day
// and per dilator size, never one per session), in her calendar days. Pure functions: the
// service loads the rows and the programme, these count.
//
// Definitions (docs/home-programmes.md explains them to clinicians):
// - A session is "done" when logged FULLY or PARTLY; SKIPPED sessions are counted apart.
// - A week is an ISO week, Monday to Sunday, in the programme's time zone. The current week is
//   prescribed only up to today: days still to come are not yet missed.
// - Adherence over the weeks shown: done (capped at prescribed each week, so extra practice in
//   one week does not make up for another) / prescribed, in whole percent rounded down.
// - A streak is days in a row with at least one done session; the current one counts only
//   while it ends today or yesterday (today is not over).

// One day's totals with its date parsed.
struct PracticeDay {
  absl::CivilDay day;
  PracticeDayTotals totals;
};

// The repository's day rows with their dates parsed once, oldest first; a row whose date does
// not parse is left out (the repository writes them from LocalDate, so there are none).
std::vector<PracticeDay> PracticeDays(std::vector<PracticeDayTotals> rows);

// One item's history: its prescription and every day's and size's totals.
struct ItemHistory {
  // The latest version of the item, with its exercise snapshot (title, category).
  v1::ProgrammeItem item;
  ItemSchedule schedule;
  // All of her days with a log of this item, oldest first.
  std::vector<PracticeDay> days;
  // Dilator items: per size, in the order first used.
  std::vector<PracticeSizeTotals> sizes;
};

struct Streaks {
  int current_days = 0;
  int longest_days = 0;
  // The day the first streak reached seven days.
  std::optional<absl::CivilDay> first_seven_day;
};

Streaks StreaksOf(const std::vector<PracticeDay>& days, absl::CivilDay today);

// One item's progress over `weeks` ISO weeks ending with today's (fewer when the item started
// later: weeks before its first prescribed or practised day are left out).
v1::ItemProgress ItemProgressOf(const ItemHistory& history, absl::CivilDay today, int weeks);

// The milestones reached by `today`, oldest first (ties in item order). Programme-wide (no item
// id): the first session, ten and fifty sessions. Per item: the first pain-free session after
// sessions with pain, a seven-day streak, four steady weeks in a row (each with at least the
// week's full prescription done; weeks with nothing prescribed are passed over), and for
// dilator items the first session at each size larger than every size before, and the top of
// her set.
std::vector<v1::ProgressMilestone> MilestonesOf(const std::vector<ItemHistory>& items,
                                                absl::CivilDay today);

// The warm words shown with a milestone; `size` for the dilator milestones.
std::string CelebrationMessage(v1::ProgressMilestoneKind kind, int size);

// The mean in tenths, rounded half up; -1 when `count` is 0.
int MeanTenths(int sum, int count);

}  // namespace confide
