#pragma once

#include <optional>
#include <vector>

#include "confide/v1/programmes.pb.h"

namespace confide {

// One done session at the current size, newest first in LadderEvidence::latest.
struct SessionScore {
  int pain = 0;
  int anxiety = 0;
};

// What the ladder knows when it evaluates: the prescription's current size and the sessions
// done at it since it became current (or since the care team last declined a suggestion at it,
// see practice_service.cc).
struct LadderEvidence {
  int current_size = 0;
  // The set's sizes are 1..largest_size.
  int largest_size = 0;
  // Done (FULLY or PARTLY) sessions at current_size; skipped sessions never count.
  int sessions_at_size = 0;
  // The scores of the latest of them, newest first (at least as many as the rule's windows
  // need, when there are that many).
  std::vector<SessionScore> latest;
};

// What the rule suggests; the evidence fields are ProgressionSuggestion's.
struct LadderStep {
  v1::ProgressionDirection direction = v1::PROGRESSION_DIRECTION_UNSPECIFIED;
  int from_size = 0;
  int to_size = 0;
  int sessions_at_size = 0;
  int window_sessions = 0;
  int window_max_pain = 0;
  int window_max_anxiety = 0;
};

// How many latest scores EvaluateLadder may look at for `rule`.
int LadderWindow(const v1::ProgressionRule& rule);

// The dilator ladder's progression rule (programmes.proto, ProgressionRule), a pure function.
// Stepping down is checked first: pain that stays high matters more than a long run of calm
// sessions before it. Step down when the last step_down_after_sessions sessions all had pain of
// at least step_down_min_pain and the current size is not the smallest; step up when at least
// step_up_after_sessions sessions were done at the size, the last step_up_window_sessions of them
// all had pain at most step_up_max_pain and anxiety at most step_up_max_anxiety, and the size is
// not the largest. A rule part left at 0 (never valid once a programme is written) never fires.
std::optional<LadderStep> EvaluateLadder(const v1::ProgressionRule& rule,
                                         const LadderEvidence& evidence);

}  // namespace confide
