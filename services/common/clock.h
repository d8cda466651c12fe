#pragma once

#include "absl/time/time.h"

namespace confide {

// The source of "now" for every rule that depends on time (session expiry, audit timestamps).
// Injected so tests can move time by hand.
class Clock {
 public:
  virtual ~Clock() = default;
  // Returns the current time; never fails.
  virtual absl::Time Now() const = 0;
};

}  // namespace confide
