#pragma once

// Builders for the progress tests: programme items and the day totals the repository's
// aggregate query would return for a set of sessions.

#include <algorithm>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "confide/v1/programmes.pb.h"
#include "services/programmes/local_day.h"
#include "services/programmes/ports/practice_log_repository.h"

namespace confide::progress_test {

inline v1::ProgrammeItem DailyItem(std::string id, int times, std::string start_date,
                                   std::initializer_list<v1::Weekday> days = {},
                                   std::string end_date = "") {
  v1::ProgrammeItem item;
  item.set_id(std::move(id));
  item.mutable_exercise()->set_title("Breathing");
  item.mutable_exercise()->set_category(v1::EXERCISE_CATEGORY_DOWN_TRAINING);
  item.mutable_schedule()->set_period(v1::SCHEDULE_PERIOD_DAY);
  item.mutable_schedule()->set_times_per_period(times);
  for (v1::Weekday day : days) {
    item.mutable_schedule()->add_days_of_week(day);
  }
  item.set_start_date(std::move(start_date));
  item.set_end_date(std::move(end_date));
  return item;
}

inline v1::ProgrammeItem WeeklyItem(std::string id, int times, std::string start_date,
                                    std::string end_date = "") {
  v1::ProgrammeItem item;
  item.set_id(std::move(id));
  item.mutable_exercise()->set_title("Kegels, gently");
  item.mutable_exercise()->set_category(v1::EXERCISE_CATEGORY_KEGELS);
  item.mutable_schedule()->set_period(v1::SCHEDULE_PERIOD_WEEK);
  item.mutable_schedule()->set_times_per_period(times);
  item.set_start_date(std::move(start_date));
  item.set_end_date(std::move(end_date));
  return item;
}

// A six-size set, 12 mm to 32 mm.
inline v1::ProgrammeItem DilatorItem(std::string id, int sessions_per_week, int current_size,
                                     std::string start_date) {
  v1::ProgrammeItem item;
  item.set_id(std::move(id));
  item.mutable_exercise()->set_title("Dilator practice");
  item.mutable_exercise()->set_category(v1::EXERCISE_CATEGORY_DILATOR);
  item.set_start_date(std::move(start_date));
  v1::DilatorPrescription& dilator = *item.mutable_dilator();
  for (int size = 1; size <= 6; ++size) {
    v1::DilatorSize& s = *dilator.mutable_set()->add_sizes();
    s.set_size(size);
    s.set_diameter_mm(8 + 4 * size);
  }
  dilator.set_current_size(current_size);
  dilator.set_minutes_per_session(10);
  dilator.set_sessions_per_week(sessions_per_week);
  return item;
}

// One logged session as the aggregate sees it.
struct Session {
  std::string date;
  int completion = v1::PRACTICE_COMPLETION_FULLY;
  int pain = 2;
  int anxiety = 3;
  int size = 0;
};

inline Session Done(std::string date, int pain = 2, int anxiety = 3, int size = 0) {
  return Session{std::move(date), v1::PRACTICE_COMPLETION_FULLY, pain, anxiety, size};
}
inline Session Skipped(std::string date) {
  return Session{std::move(date), v1::PRACTICE_COMPLETION_SKIPPED, -1, -1, 0};
}

// What DailyTotals returns for these sessions: GROUP BY local_date, oldest first.
inline std::vector<PracticeDayTotals> DayTotals(const std::vector<Session>& sessions) {
  std::map<std::string, PracticeDayTotals> by_day;
  for (const Session& s : sessions) {
    PracticeDayTotals& t = by_day[s.date];
    t.local_date = s.date;
    if (s.completion == v1::PRACTICE_COMPLETION_SKIPPED) {
      ++t.skipped;
      continue;
    }
    ++t.done;
    if (s.pain >= 0) {
      t.pain_sum += s.pain;
      ++t.pain_count;
      t.max_pain = std::max(t.max_pain, s.pain);
      t.pain_free += s.pain == 0 ? 1 : 0;
    }
    if (s.anxiety >= 0) {
      t.anxiety_sum += s.anxiety;
      ++t.anxiety_count;
    }
  }
  std::vector<PracticeDayTotals> out;
  for (auto& [date, totals] : by_day) {
    out.push_back(totals);
  }
  return out;
}

// What SizeTotals returns: done sessions with a size, in the order first used.
inline std::vector<PracticeSizeTotals> SizeTotals(const std::vector<Session>& sessions) {
  std::vector<PracticeSizeTotals> out;
  std::map<int, std::vector<std::string>> days_of;
  for (const Session& s : sessions) {
    if (s.completion == v1::PRACTICE_COMPLETION_SKIPPED || s.size == 0) {
      continue;
    }
    auto it = std::find_if(out.begin(), out.end(),
                           [&](const PracticeSizeTotals& t) { return t.size == s.size; });
    if (it == out.end()) {
      out.push_back(PracticeSizeTotals{.size = s.size, .first_date = s.date});
      it = out.end() - 1;
    }
    it->last_date = std::max(it->last_date, s.date);
    it->first_date = std::min(it->first_date, s.date);
    ++it->sessions;
    std::vector<std::string>& days = days_of[s.size];
    if (std::find(days.begin(), days.end(), s.date) == days.end()) {
      days.push_back(s.date);
    }
    it->days = static_cast<int>(days.size());
  }
  return out;
}

// Sessions every day of [first, last], `per_day` each.
inline std::vector<Session> EveryDay(absl::CivilDay first, absl::CivilDay last, int per_day = 1,
                                     int pain = 2, int size = 0) {
  std::vector<Session> out;
  for (absl::CivilDay day = first; day <= last; ++day) {
    for (int i = 0; i < per_day; ++i) {
      out.push_back(Done(FormatLocalDate(day), pain, 3, size));
    }
  }
  return out;
}

inline absl::CivilDay Day(const char* date) {
  absl::CivilDay day;
  ParseLocalDate(date, &day);
  return day;
}

}  // namespace confide::progress_test
