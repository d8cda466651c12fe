#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace confide {

// Consecutive failed sign-ins for one key ("email:<digest>" or "address:<ip>").
struct ThrottleRecord {
  std::string key;
  int failures = 0;
  absl::Time last_failure_time;
  // No sign-in is attempted for this key before this time.
  absl::Time locked_until = absl::UnixEpoch();
};

class SignInThrottleRepository {
 public:
  virtual ~SignInThrottleRepository() = default;
  // Returns the record for `key`, or nullopt when it has no recent failures.
  virtual absl::StatusOr<std::optional<ThrottleRecord>> Find(std::string_view key) = 0;
  // Inserts or replaces the record.
  virtual absl::Status Put(const ThrottleRecord& record) = 0;
  // Forgets the key (after a successful sign-in).
  virtual absl::Status Clear(std::string_view key) = 0;
  // Forgets every key whose last failure and lock both ended before `cutoff`, so failures for
  // made-up emails do not pile up for ever.
  virtual absl::Status ForgetOlderThan(absl::Time cutoff) = 0;
};

}  // namespace confide
