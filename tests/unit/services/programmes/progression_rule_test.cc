// The dilator ladder's progression rule as a table of scenarios: each row is a rule, what the
// ladder knows (size, sessions at it, the latest scores newest first) and the expected verdict.

#include "services/programmes/progression_rule.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

namespace confide {
namespace {

// Up after 6 sessions with the last 3 at pain <= 2 and anxiety <= 3; down after 2 at pain >= 6.
v1::ProgressionRule Rule(int up_after = 6, int up_window = 3, int max_pain = 2, int max_anxiety = 3,
                         int down_after = 2, int down_pain = 6) {
  v1::ProgressionRule rule;
  rule.set_step_up_after_sessions(up_after);
  rule.set_step_up_window_sessions(up_window);
  rule.set_step_up_max_pain(max_pain);
  rule.set_step_up_max_anxiety(max_anxiety);
  rule.set_step_down_after_sessions(down_after);
  rule.set_step_down_min_pain(down_pain);
  return rule;
}

// {pain, anxiety} newest first.
std::vector<SessionScore> Scores(std::vector<std::pair<int, int>> scores) {
  std::vector<SessionScore> out;
  for (auto [pain, anxiety] : scores) {
    out.push_back(SessionScore{.pain = pain, .anxiety = anxiety});
  }
  return out;
}

struct Scenario {
  std::string name;
  v1::ProgressionRule rule;
  LadderEvidence evidence;
  // UNSPECIFIED: no suggestion.
  v1::ProgressionDirection direction;
  int to_size = 0;
  int window_sessions = 0;
  int window_max_pain = 0;
  int window_max_anxiety = 0;
};

std::vector<Scenario> Scenarios() {
  constexpr auto kNone = v1::PROGRESSION_DIRECTION_UNSPECIFIED;
  constexpr auto kUp = v1::PROGRESSION_DIRECTION_STEP_UP;
  constexpr auto kDown = v1::PROGRESSION_DIRECTION_STEP_DOWN;
  return {
      {"calm sessions but too few of them",
       Rule(),
       {2, 6, 5, Scores({{0, 1}, {1, 1}, {0, 0}})},
       kNone},
      {"the sixth calm session steps up",
       Rule(),
       {2, 6, 6, Scores({{0, 1}, {1, 2}, {2, 3}})},
       kUp,
       3,
       3,
       2,
       3},
      {"one session in the window above the pain limit holds",
       Rule(),
       {2, 6, 8, Scores({{1, 1}, {3, 1}, {0, 0}})},
       kNone},
      {"pain at exactly the limit still steps up",
       Rule(),
       {2, 6, 7, Scores({{2, 0}, {2, 0}, {2, 0}})},
       kUp,
       3,
       3,
       2,
       0},
      {"anxiety above the limit holds even without pain",
       Rule(),
       {2, 6, 9, Scores({{0, 4}, {0, 0}, {0, 0}})},
       kNone},
      {"older high pain outside the window does not hold",
       Rule(),
       {2, 6, 9, Scores({{0, 0}, {1, 0}, {0, 1}, {8, 7}})},
       kUp,
       3,
       3,
       1,
       1},
      {"the largest size never steps up",
       Rule(),
       {6, 6, 12, Scores({{0, 0}, {0, 0}, {0, 0}})},
       kNone},
      {"two painful sessions in a row step down",
       Rule(),
       {3, 6, 4, Scores({{7, 5}, {6, 2}, {0, 0}})},
       kDown,
       2,
       2,
       7,
       5},
      {"one painful session does not step down",
       Rule(),
       {3, 6, 4, Scores({{9, 5}, {1, 2}})},
       kNone},
      {"a single painful session is not yet a pattern", Rule(), {3, 6, 1, Scores({{9, 9}})}, kNone},
      {"the smallest size never steps down", Rule(), {1, 6, 4, Scores({{8, 5}, {9, 2}})}, kNone},
      {"stepping down wins over stepping up",
       Rule(6, 3, 9, 9, 2, 6),
       {3, 6, 10, Scores({{6, 0}, {7, 0}, {6, 0}})},
       kDown,
       2,
       2,
       7,
       0},
      {"a window of one looks only at the latest session",
       Rule(4, 1, 0, 2, 3, 7),
       {1, 8, 4, Scores({{0, 2}, {9, 9}, {9, 9}})},
       kUp,
       2,
       1,
       0,
       2},
      {"a window as long as the count needs every session calm",
       Rule(3, 3, 1, 1, 3, 7),
       {4, 8, 3, Scores({{0, 0}, {1, 1}, {2, 0}})},
       kNone},
      {"step down after three needs three",
       Rule(6, 3, 2, 3, 3, 5),
       {2, 6, 2, Scores({{5, 0}, {6, 0}})},
       kNone},
      {"step down after three with three painful",
       Rule(6, 3, 2, 3, 3, 5),
       {2, 6, 3, Scores({{5, 0}, {6, 0}, {10, 10}})},
       kDown,
       1,
       3,
       10,
       10},
      {"a rule left at zero never fires",
       v1::ProgressionRule(),
       {2, 6, 50, Scores({{0, 0}, {0, 0}, {9, 9}, {9, 9}})},
       kNone},
  };
}

TEST(ProgressionRuleTest, TableOfScenarios) {
  for (const Scenario& s : Scenarios()) {
    SCOPED_TRACE(s.name);
    std::optional<LadderStep> step = EvaluateLadder(s.rule, s.evidence);
    if (s.direction == v1::PROGRESSION_DIRECTION_UNSPECIFIED) {
      EXPECT_FALSE(step.has_value());
      continue;
    }
    ASSERT_TRUE(step.has_value());
    EXPECT_EQ(step->direction, s.direction);
    EXPECT_EQ(step->from_size, s.evidence.current_size);
    EXPECT_EQ(step->to_size, s.to_size);
    EXPECT_EQ(step->sessions_at_size, s.evidence.sessions_at_size);
    EXPECT_EQ(step->window_sessions, s.window_sessions);
    EXPECT_EQ(step->window_max_pain, s.window_max_pain);
    EXPECT_EQ(step->window_max_anxiety, s.window_max_anxiety);
  }
}

TEST(ProgressionRuleTest, WindowIsTheLongerOfTheTwoRuleWindows) {
  EXPECT_EQ(LadderWindow(Rule(6, 3, 2, 3, 2, 6)), 3);
  EXPECT_EQ(LadderWindow(Rule(6, 2, 2, 3, 5, 6)), 5);
  EXPECT_EQ(LadderWindow(v1::ProgressionRule()), 0);
}

}  // namespace
}  // namespace confide
