#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/time/civil_time.h"
#include "confide/v1/programmes.pb.h"
#include "services/programmes/local_day.h"
#include "services/programmes/ports/practice_log_repository.h"

namespace confide {

// How many sessions of a programme item are prescribed on which of her calendar days. Days are
// civil days in the programme's time zone (absl::CivilDay), so a DST change never moves a day
// and "tomorrow" is always day + 1, never now + 24 h.

// A YYYY-MM-DD date, strictly (as local_day.h's ParseLocalDate); nullopt when `text` is not one.
std::optional<absl::CivilDay> ParseDay(std::string_view text);
// The Monday of `day`'s ISO week.
absl::CivilDay IsoWeekStart(absl::CivilDay day);

// One item's prescription, reduced to what counting needs.
struct ItemSchedule {
  // DAY: `times` on each due day. WEEK: `times` per full ISO week, prorated by the days of the
  // week on which the item is prescribed at all.
  v1::SchedulePeriod period = v1::SCHEDULE_PERIOD_UNSPECIFIED;
  int times = 0;
  // DAY only: due weekdays, indexed by v1::Weekday (1 = Monday .. 7 = Sunday).
  std::array<bool, 8> due_weekday{};
  // Nothing is prescribed before `first` or after `last` (when set). Without `first` nothing is
  // prescribed at all (a programme never activated).
  std::optional<absl::CivilDay> first;
  std::optional<absl::CivilDay> last;
};

// The schedule of `item`: its Schedule, or for a dilator item `sessions_per_week` per week.
// Prescribed from the later of its start date and `activation_day` (the programme's first
// activation, in her zone; nullopt while never activated) to the earlier of its end date and
// `stop_day` (set for a paused or ended programme).
ItemSchedule ScheduleOfItem(const v1::ProgrammeItem& item,
                            std::optional<absl::CivilDay> activation_day,
                            std::optional<absl::CivilDay> stop_day);

// Whether anything of the item is prescribed on `day` (within its dates; a DAY schedule's
// weekday).
bool IsPrescribedDay(const ItemSchedule& schedule, absl::CivilDay day);

// Sessions prescribed on the days [from, to], both in one ISO week. A WEEK schedule gives
// times × (prescribed days in the range) / 7, rounded half up: a full week gives exactly
// `times`, a week it starts on Thursday about four sevenths of it.
int PrescribedInWeek(const ItemSchedule& schedule, absl::CivilDay from, absl::CivilDay to);

// What is due today of one item, for reminders.
struct DueCounts {
  // Sessions due today (DAY: `times`; WEEK: what is left of the week after the days before
  // today, spread over the week's remaining prescribed days, rounded up).
  int due_today = 0;
  int done_today = 0;
  // This ISO week: sessions prescribed (all of it, prorated only by the item's dates) and done.
  int week_prescribed = 0;
  int week_done = 0;

  bool operator==(const DueCounts&) const = default;
};

// `week_days`: the item's day totals of today's ISO week (others are ignored). Nullopt when the
// item is not prescribed today (outside its dates, or not one of its weekdays).
std::optional<DueCounts> DueOn(const ItemSchedule& schedule,
                               const std::vector<PracticeDayTotals>& week_days,
                               absl::CivilDay today);

}  // namespace confide
