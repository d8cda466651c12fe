// The bar of the home-programmes issue: a scripted 12-week dilator journey through the real
// confide-server. Alex prescribes a ladder at size 1 of a six-size set (up after 6 sessions
// with the last 3 at pain <= 3 and anxiety <= 4; down after 2 sessions at pain >= 7); Jo logs
// five sessions a week from her phone (practice times in the past, within the 90-day window);
// Alex accepts or declines each suggestion as it comes. The test checks every suggestion made
// (and that none is made in between), the programme versions the accepts made, and what
// GetProgress shows: weekly adherence, the size timeline and the milestones.
//
// The server has no clock to wind back, so the programme is activated now and its first
// activation is then moved to the journey's first Monday in the database (as if Alex had
// activated it then): adherence counts prescribed sessions from activation. Everything else
// goes through the API. Suggestions weigh sessions by when they were recorded, so the order of
// the calls is the journey's order.

#include <algorithm>
#include <chrono>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "api_test_fixture.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "practice_api_test_support.h"

namespace confide::api_test {
namespace {

using std::chrono::days;
using std::chrono::hours;
using ::testing::IsEmpty;
using ::testing::SizeIs;

struct Score {
  int pain;
  int anxiety;
};

// One suggestion as the test expects it.
struct Expected {
  std::string direction;
  int from_size;
  int to_size;
  int sessions_at_size;
  int window_sessions;
  int window_max_pain;
  int window_max_anxiety;
};

class DilatorJourneyApiTest : public PracticeApiTestBase {
 protected:
  void SetUp() override {
    PracticeApiTestBase::SetUp();
    // The journey's first Monday: its first session (12:00 UTC) at most 90 days ago, its last
    // (the Friday of week 12) in the past.
    const auto now = Clock::now();
    const auto earliest = now - days(90) + hours(1);
    std::chrono::sys_days monday = std::chrono::floor<days>(now - days(89));
    monday -= days(std::chrono::weekday(monday).iso_encoding() - 1);
    if (monday + hours(12) < earliest) {
      monday += days(7);
    }
    monday_ = monday;
  }

  // Week 1..12, day 0 (Monday)..4 (Friday), at 12:00 UTC: the same calendar day in London.
  Clock::time_point When(int week, int day) const {
    return Clock::time_point(monday_ + days(7 * (week - 1) + day)) + hours(12);
  }
  std::string Date(int week, int day) const { return UtcDate(When(week, day)); }

  // Logs one done session at `size`; returns the log.
  nlohmann::json Session(int week, int day, int size, Score score) {
    HttpResponse logged =
        LogPractice(DilatorSession(programme_id_, When(week, day), size, score.pain, score.anxiety),
                    "journey-" + Unique());
    EXPECT_EQ(logged.status, 200) << "week " << week << " day " << day << ": " << logged.body;
    ++logged_;
    return logged.status == 200 ? logged.Json() : nlohmann::json();
  }

  void Skipped(int week, int day) {
    HttpResponse logged = LogPractice({{"programmeId", programme_id_},
                                       {"itemId", "dilator"},
                                       {"practicedAt", Rfc3339(When(week, day))},
                                       {"completion", "PRACTICE_COMPLETION_SKIPPED"}},
                                      "journey-" + Unique());
    EXPECT_EQ(logged.status, 200) << logged.body;
  }

  // Logs `scores` on consecutive weekdays from `first_day`, checking that none of them leads
  // to a new suggestion.
  void Sessions(int week, int first_day, int size, const std::vector<Score>& scores) {
    for (size_t i = 0; i < scores.size(); ++i) {
      Session(week, first_day + static_cast<int>(i), size, scores[i]);
      EXPECT_THAT(SuggestionsOf(programme_id_), SizeIs(suggestions_seen_))
          << "an unexpected suggestion after week " << week << " day " << first_day + i;
    }
  }

  // Logs one session that must make exactly `expected`; returns the new suggestion.
  nlohmann::json SessionSuggesting(int week, int day, int size, Score score,
                                   const Expected& expected) {
    const nlohmann::json log = Session(week, day, size, score);
    std::vector<nlohmann::json> all = SuggestionsOf(programme_id_);
    EXPECT_THAT(all, SizeIs(suggestions_seen_ + 1)) << "week " << week << " day " << day;
    if (all.size() != suggestions_seen_ + 1) {
      return nlohmann::json();
    }
    ++suggestions_seen_;
    const nlohmann::json s = all.back();
    SCOPED_TRACE("suggestion after week " + std::to_string(week) + " day " + std::to_string(day));
    EXPECT_EQ(s.value("status", ""), "SUGGESTION_STATUS_PENDING");
    EXPECT_EQ(s.value("direction", ""), expected.direction);
    EXPECT_EQ(s.value("fromSize", 0), expected.from_size);
    EXPECT_EQ(s.value("toSize", 0), expected.to_size);
    EXPECT_EQ(s.value("sessionsAtSize", 0), expected.sessions_at_size);
    EXPECT_EQ(s.value("windowSessions", 0), expected.window_sessions);
    EXPECT_EQ(s.value("windowMaxPain", 0), expected.window_max_pain);
    EXPECT_EQ(s.value("windowMaxAnxiety", 0), expected.window_max_anxiety);
    EXPECT_EQ(s.value("practiceLogId", ""), log.value("id", "?"));
    EXPECT_EQ(s.value("programmeVersion", 0), version_);
    // The care team sees which session led to it.
    HttpResponse listed = Rest().Get("/v1/clients/" + std::string(kJoClientId) +
                                         "/practiceLogs?pageSize=1&programmeId=" + programme_id_,
                                     TokenOf(kAlexEmail));
    EXPECT_EQ(listed.Json()["logs"][0].value("suggestionId", ""), s.value("id", "?"));
    // It changes nothing by itself.
    EXPECT_EQ(GetProgramme(programme_id_, kJoEmail).value("version", 0), version_);
    return s;
  }

  void Accept(const nlohmann::json& suggestion, int new_size) {
    HttpResponse accepted =
        Decide(suggestion, "accept", GetProgramme(programme_id_).value("etag", ""));
    ASSERT_EQ(accepted.status, 200) << accepted.body;
    EXPECT_EQ(accepted.Json().value("version", 0), version_ + 1);
    EXPECT_EQ(accepted.Json()["items"][0]["dilator"].value("currentSize", 0), new_size);
    ++version_;
    sizes_by_version_[version_] = new_size;
  }

  void Decline(const nlohmann::json& suggestion) {
    HttpResponse declined = Decide(suggestion, "decline", "");
    ASSERT_EQ(declined.status, 200) << declined.body;
    EXPECT_EQ(declined.Json().value("status", ""), "SUGGESTION_STATUS_DECLINED");
    EXPECT_EQ(GetProgramme(programme_id_).value("version", 0), version_);
  }

  std::chrono::sys_days monday_;
  std::string programme_id_;
  int version_ = 0;
  std::map<int, int> sizes_by_version_;
  size_t suggestions_seen_ = 0;
  int logged_ = 0;
};

Expected Up(int from, int sessions, int max_pain, int max_anxiety) {
  return {"PROGRESSION_DIRECTION_STEP_UP", from, from + 1, sessions, 3, max_pain, max_anxiety};
}

TEST_F(DilatorJourneyApiTest, TwelveWeeksUpTheLadder) {
  nlohmann::json created =
      CreateProgramme(DilatorProgramme(DilatorExerciseId(), Date(1, 0), 1, Rule(6, 3, 3, 4, 2, 7)));
  ASSERT_FALSE(created.is_null());
  const nlohmann::json active = ChangeStatus(created, "activate");
  ASSERT_FALSE(active.is_null());
  programme_id_ = active.value("id", "");
  version_ = active.value("version", 0);
  sizes_by_version_[version_] = 1;
  const long long first_monday_micros =
      std::chrono::duration_cast<std::chrono::microseconds>(monday_.time_since_epoch()).count();
  Query("UPDATE programmes SET activate_time = " + std::to_string(first_monday_micros) +
        " WHERE id = '" + programme_id_ + "'");

  // Weeks 1-2 at size 1: anxious at first, calmer by the end of week 1; the sixth session
  // suggests size 2, which Alex accepts at the end of week 2.
  Sessions(1, 0, 1, {{5, 5}, {4, 4}, {3, 3}, {2, 3}, {2, 2}});
  const nlohmann::json s1 = SessionSuggesting(2, 0, 1, {2, 2}, Up(1, 6, 2, 3));
  Sessions(2, 1, 1, {{2, 2}, {1, 2}, {1, 1}, {1, 1}});
  Accept(s1, 2);

  // Weeks 3-5 at size 2: the sixth session suggests size 3; Alex declines ("one more week"),
  // so the ladder waits for six fresh sessions before suggesting it again, and she accepts.
  Sessions(3, 0, 2, {{4, 4}, {4, 4}, {3, 3}, {3, 3}, {2, 3}});
  const nlohmann::json s2 = SessionSuggesting(4, 0, 2, {2, 2}, Up(2, 6, 3, 3));
  Decline(s2);
  Sessions(4, 1, 2, {{1, 1}, {1, 1}, {1, 1}, {1, 1}});
  Sessions(5, 0, 2, {{1, 1}});
  const nlohmann::json s3 = SessionSuggesting(5, 1, 2, {1, 1}, Up(2, 6, 1, 1));
  Sessions(5, 2, 2, {{1, 1}, {1, 1}, {1, 1}});
  Accept(s3, 3);

  // Weeks 6-7 at size 3: two painful sessions suggest stepping back to size 2; Alex declines
  // (they talk it through), the pain settles, and six calmer sessions suggest size 4.
  Sessions(6, 0, 3, {{7, 6}});
  const nlohmann::json s4 =
      SessionSuggesting(6, 1, 3, {8, 6}, {"PROGRESSION_DIRECTION_STEP_DOWN", 3, 2, 2, 2, 8, 6});
  Decline(s4);
  Sessions(6, 2, 3, {{4, 4}, {3, 3}, {3, 3}});
  Sessions(7, 0, 3, {{2, 2}, {2, 2}});
  const nlohmann::json s5 = SessionSuggesting(7, 2, 3, {1, 1}, Up(3, 6, 2, 2));
  Sessions(7, 3, 3, {{1, 1}, {1, 1}});
  Accept(s5, 4);

  // Weeks 8-9 at size 4.
  Sessions(8, 0, 4, {{3, 4}, {3, 3}, {2, 3}, {2, 2}, {2, 2}});
  const nlohmann::json s6 = SessionSuggesting(9, 0, 4, {2, 2}, Up(4, 6, 2, 2));
  Sessions(9, 1, 4, {{2, 2}, {1, 1}, {1, 1}, {1, 1}});
  Accept(s6, 5);

  // Weeks 10-12 at size 5: her first pain-free session; size 6 is suggested and still waits
  // for Alex at the end; in week 12 she skips two sessions.
  Sessions(10, 0, 5, {{3, 3}, {2, 2}, {2, 2}, {1, 1}, {0, 1}});
  SessionSuggesting(11, 0, 5, {0, 0}, Up(5, 6, 1, 1));
  Sessions(11, 1, 5, {{0, 0}, {1, 0}, {0, 0}, {0, 0}});
  Skipped(12, 0);
  Skipped(12, 1);
  Sessions(12, 2, 5, {{0, 0}, {0, 0}, {0, 0}});
  ASSERT_EQ(logged_, 58);

  // --- The suggestions, oldest first, as decided. ---
  const std::vector<nlohmann::json> all = SuggestionsOf(programme_id_);
  ASSERT_THAT(all, SizeIs(7));
  const std::vector<std::pair<std::string, int>> decided = {
      {"SUGGESTION_STATUS_ACCEPTED", version_ - 3},
      {"SUGGESTION_STATUS_DECLINED", 0},
      {"SUGGESTION_STATUS_ACCEPTED", version_ - 2},
      {"SUGGESTION_STATUS_DECLINED", 0},
      {"SUGGESTION_STATUS_ACCEPTED", version_ - 1},
      {"SUGGESTION_STATUS_ACCEPTED", version_},
      {"SUGGESTION_STATUS_PENDING", 0}};
  for (size_t i = 0; i < all.size(); ++i) {
    SCOPED_TRACE("suggestion " + std::to_string(i + 1));
    EXPECT_EQ(all[i].value("status", ""), decided[i].first);
    EXPECT_EQ(all[i].value("acceptedVersion", 0), decided[i].second);
    if (decided[i].first != "SUGGESTION_STATUS_PENDING") {
      EXPECT_EQ(all[i].value("decidedByUserId", ""), kAlexUserId);
    }
  }
  const nlohmann::json pending = Suggestions("SUGGESTION_STATUS_PENDING");
  ASSERT_THAT(pending, SizeIs(1));
  EXPECT_EQ(pending[0].value("toSize", 0), 6);

  // --- The versions the accepts made: sizes 1 to 5, one step each. ---
  HttpResponse versions =
      Rest().Get(ProgrammesPath(kJoClientId) + "/" + programme_id_ + "/versions?pageSize=50",
                 TokenOf(kAlexEmail));
  ASSERT_EQ(versions.status, 200) << versions.body;
  std::map<int, int> sizes;
  std::map<int, std::string> since;
  const nlohmann::json listed_versions = versions.Json();
  for (const nlohmann::json& v : listed_versions["versions"]) {
    sizes[v.value("version", 0)] = v["items"][0]["dilator"].value("currentSize", 0);
    since[v.value("version", 0)] = v["items"][0]["dilator"].value("currentSizeSince", "");
  }
  std::string previous_since;
  for (const auto& [version, size] : sizes_by_version_) {
    EXPECT_EQ(sizes[version], size) << "version " << version;
    // Each accepted step made its size current from then on.
    EXPECT_NE(since[version], previous_since) << "version " << version;
    previous_since = since[version];
  }
  EXPECT_EQ(GetProgramme(programme_id_, kJoEmail)["items"][0]["dilator"].value("currentSize", 0),
            5);

  // --- Progress: adherence per week, the size timeline and the milestones. ---
  HttpResponse progress =
      Rest().Get(ProgrammesPath(kJoClientId) + "/" + programme_id_ + "/progress?weeks=14",
                 TokenOf(kAlexEmail));
  ASSERT_EQ(progress.status, 200) << progress.body;
  const nlohmann::json p = progress.Json();
  ASSERT_THAT(p["items"], SizeIs(1));
  const nlohmann::json item = p["items"][0];
  EXPECT_EQ(item.value("totalSessions", 0), 58);
  EXPECT_EQ(item.value("currentSize", 0), 5);
  EXPECT_EQ(item.value("longestStreakDays", 0), 5);
  std::map<std::string, nlohmann::json> weeks;
  int prescribed_total = 0, done_capped = 0;
  for (const nlohmann::json& w : item["weeks"]) {
    weeks[w.value("weekStart", "")] = w;
    prescribed_total += w.value("prescribed", 0);
    done_capped += std::min(w.value("done", 0), w.value("prescribed", 0));
  }
  for (int week = 1; week <= 12; ++week) {
    SCOPED_TRACE("week " + std::to_string(week));
    ASSERT_TRUE(weeks.count(Date(week, 0))) << progress.body;
    const nlohmann::json& w = weeks[Date(week, 0)];
    EXPECT_EQ(w.value("done", 0), week == 12 ? 3 : 5);
    EXPECT_EQ(w.value("skipped", 0), week == 12 ? 2 : 0);
    if (week < 12) {
      EXPECT_EQ(w.value("prescribed", 0), 5);
    }
  }
  // Week 1's mean pain: (5 + 4 + 3 + 2 + 2) / 5 = 3.2; week 6's highest: 8.
  EXPECT_EQ(weeks[Date(1, 0)].value("averagePainTenths", 0), 32);
  EXPECT_EQ(weeks[Date(6, 0)].value("maxPain", 0), 8);
  // Week 12 was pain-free: a mean of 0 (proto3 JSON leaves a 0 out; "none" would be -1).
  EXPECT_EQ(weeks[Date(12, 0)].value("averagePainTenths", 0), 0);
  // 55 of 55 in weeks 1-11, 3 of 5 in week 12 and nothing yet in a week still under way.
  ASSERT_GT(prescribed_total, 0);
  EXPECT_EQ(item.value("adherencePercent", -1), done_capped * 100 / prescribed_total);
  EXPECT_GE(item.value("adherencePercent", -1), 90);

  const std::vector<std::tuple<int, int, std::string, std::string, int>> timeline = {
      // size, sessions, first date, last date, days
      {1, 10, Date(1, 0), Date(2, 4), 10},
      {2, 15, Date(3, 0), Date(5, 4), 15},
      {3, 10, Date(6, 0), Date(7, 4), 10},
      {4, 10, Date(8, 0), Date(9, 4), 10},
      {5, 13, Date(10, 0), Date(12, 4), 13}};
  ASSERT_THAT(item["dilatorTimeline"], SizeIs(timeline.size())) << progress.body;
  for (size_t i = 0; i < timeline.size(); ++i) {
    const nlohmann::json& period = item["dilatorTimeline"][i];
    const auto& [size, sessions, first, last, days_at] = timeline[i];
    SCOPED_TRACE("size " + std::to_string(size));
    EXPECT_EQ(period.value("size", 0), size);
    EXPECT_EQ(period.value("diameterMm", 0), 8 + 4 * size);
    EXPECT_EQ(period.value("sessions", 0), sessions);
    EXPECT_EQ(period.value("firstDate", ""), first);
    EXPECT_EQ(period.value("lastDate", ""), last);
    EXPECT_EQ(period.value("days", 0), days_at);
  }

  std::multimap<std::string, nlohmann::json> milestones;
  for (const nlohmann::json& m : p["milestones"]) {
    milestones.emplace(m.value("kind", ""), m);
    EXPECT_FALSE(m.value("celebrationMessage", "").empty()) << m.dump();
  }
  auto date_of = [&](const std::string& kind) {
    auto it = milestones.find(kind);
    return it == milestones.end() ? std::string("(none)") : it->second.value("date", "");
  };
  EXPECT_EQ(date_of("PROGRESS_MILESTONE_KIND_FIRST_SESSION"), Date(1, 0));
  EXPECT_EQ(date_of("PROGRESS_MILESTONE_KIND_TEN_SESSIONS"), Date(2, 4));
  EXPECT_EQ(date_of("PROGRESS_MILESTONE_KIND_FIFTY_SESSIONS"), Date(10, 4));
  EXPECT_EQ(date_of("PROGRESS_MILESTONE_KIND_FIRST_PAIN_FREE_SESSION"), Date(10, 4));
  EXPECT_GE(milestones.count("PROGRESS_MILESTONE_KIND_FOUR_STEADY_WEEKS"), 1u) << progress.body;
  EXPECT_EQ(milestones.count("PROGRESS_MILESTONE_KIND_SEVEN_DAY_STREAK"), 0u);
  EXPECT_EQ(milestones.count("PROGRESS_MILESTONE_KIND_TOP_OF_LADDER"), 0u);
  std::map<int, std::string> new_sizes;
  auto range = milestones.equal_range("PROGRESS_MILESTONE_KIND_FIRST_SESSION_AT_NEW_SIZE");
  for (auto it = range.first; it != range.second; ++it) {
    new_sizes[it->second.value("size", 0)] = it->second.value("date", "");
  }
  EXPECT_EQ(new_sizes[2], Date(3, 0));
  EXPECT_EQ(new_sizes[3], Date(6, 0));
  EXPECT_EQ(new_sizes[4], Date(8, 0));
  EXPECT_EQ(new_sizes[5], Date(10, 0));
  EXPECT_EQ(new_sizes.count(6), 0u);

  // Jo sees her own progress too.
  HttpResponse hers =
      Rest().Get(ProgrammesPath("me") + "/" + programme_id_ + "/progress", TokenOf(kJoEmail));
  EXPECT_EQ(hers.status, 200) << hers.body;
}

}  // namespace
}  // namespace confide::api_test
