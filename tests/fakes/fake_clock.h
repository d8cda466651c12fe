#pragma once

#include <mutex>

#include "absl/time/time.h"
#include "services/common/clock.h"

namespace confide {

// A clock that moves only when a test says so. Thread-safe, so a test can move time while code
// under test reads it from other threads.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(absl::Time t) : now_(t) {}

  absl::Time Now() const override {
    std::lock_guard lock(mutex_);
    return now_;
  }

  void Advance(absl::Duration d) {
    std::lock_guard lock(mutex_);
    now_ += d;
  }

  void Set(absl::Time t) {
    std::lock_guard lock(mutex_);
    now_ = t;
  }

 private:
  mutable std::mutex mutex_;
  absl::Time now_;  // Guarded by mutex_.
};

}  // namespace confide
