#pragma once

#include <cstdint>
#include <mutex>
#include <string>

#include "services/common/clock.h"
#include "services/common/id_generator.h"

namespace confide {

// IdGenerator making RFC 9562 UUIDv7s: 48-bit Unix milliseconds from the injected clock, a 12-bit
// counter in rand_a (RFC 9562 section 6.2, method 1, seeded randomly each millisecond) and 62
// random bits from OpenSSL. Ids from one instance are strictly increasing, also as text.
// Thread-safe. Aborts if OpenSSL cannot produce randomness.
class Uuid7IdGenerator final : public IdGenerator {
 public:
  explicit Uuid7IdGenerator(const Clock& clock) : clock_(clock) {}

  std::string NewId() override;

 private:
  const Clock& clock_;
  std::mutex mutex_;
  // The last timestamp and counter issued, guarded by mutex_. The timestamp runs ahead of the
  // clock after a counter overflow and holds still when the clock steps back, so ids never
  // go backwards.
  uint64_t last_unix_ms_ = 0;
  uint16_t counter_ = 0;
};

}  // namespace confide
