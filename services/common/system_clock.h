#pragma once

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "services/common/clock.h"

namespace confide {

// Clock reading the host's wall clock.
class SystemClock final : public Clock {
 public:
  absl::Time Now() const override { return absl::Now(); }
};

}  // namespace confide
