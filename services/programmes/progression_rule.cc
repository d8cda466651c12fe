#include "services/programmes/progression_rule.h"

#include <algorithm>

namespace confide {
namespace {

struct WindowScores {
  int max_pain = 0;
  int min_pain = 0;
  int max_anxiety = 0;
};

// The scores of the latest `n` sessions (n <= latest.size()).
WindowScores Window(const std::vector<SessionScore>& latest, int n) {
  WindowScores w{
      .max_pain = latest[0].pain, .min_pain = latest[0].pain, .max_anxiety = latest[0].anxiety};
  for (int i = 1; i < n; ++i) {
    w.max_pain = std::max(w.max_pain, latest[i].pain);
    w.min_pain = std::min(w.min_pain, latest[i].pain);
    w.max_anxiety = std::max(w.max_anxiety, latest[i].anxiety);
  }
  return w;
}

}  // namespace

int LadderWindow(const v1::ProgressionRule& rule) {
  return std::max({rule.step_up_window_sessions(), rule.step_down_after_sessions(), 0});
}

std::optional<LadderStep> EvaluateLadder(const v1::ProgressionRule& rule,
                                         const LadderEvidence& evidence) {
  const int available = static_cast<int>(evidence.latest.size());
  const int down_window = rule.step_down_after_sessions();
  if (down_window > 0 && rule.step_down_min_pain() > 0 && evidence.current_size > 1 &&
      available >= down_window) {
    const WindowScores w = Window(evidence.latest, down_window);
    if (w.min_pain >= rule.step_down_min_pain()) {
      return LadderStep{.direction = v1::PROGRESSION_DIRECTION_STEP_DOWN,
                        .from_size = evidence.current_size,
                        .to_size = evidence.current_size - 1,
                        .sessions_at_size = evidence.sessions_at_size,
                        .window_sessions = down_window,
                        .window_max_pain = w.max_pain,
                        .window_max_anxiety = w.max_anxiety};
    }
  }
  const int up_window = rule.step_up_window_sessions();
  if (rule.step_up_after_sessions() > 0 && up_window > 0 &&
      evidence.current_size < evidence.largest_size &&
      evidence.sessions_at_size >= rule.step_up_after_sessions() && available >= up_window) {
    const WindowScores w = Window(evidence.latest, up_window);
    if (w.max_pain <= rule.step_up_max_pain() && w.max_anxiety <= rule.step_up_max_anxiety()) {
      return LadderStep{.direction = v1::PROGRESSION_DIRECTION_STEP_UP,
                        .from_size = evidence.current_size,
                        .to_size = evidence.current_size + 1,
                        .sessions_at_size = evidence.sessions_at_size,
                        .window_sessions = up_window,
                        .window_max_pain = w.max_pain,
                        .window_max_anxiety = w.max_anxiety};
    }
  }
  return std::nullopt;
}

}  // namespace confide
