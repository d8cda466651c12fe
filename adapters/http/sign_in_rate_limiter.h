#pragma once

#include <chrono>
#include <mutex>
#include <string>
#include <unordered_map>

namespace confide::http {

// A token bucket per client address (per /64 for IPv6) for the public sign-in methods (Login,
// AcceptInvitation, password reset): `per_minute` attempts a minute, refilled continuously, up to a
// burst of the same size. It slows password guessing from one address before the per-account and
// per-address lockouts (services/auth) count failures. Thread-safe.
class SignInRateLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  explicit SignInRateLimiter(int per_minute) : per_minute_(per_minute) {}

  // True when `address` may try now (and takes a token); otherwise false and
  // `retry_after_seconds` says when the next token is due.
  bool TryAcquire(const std::string& address, Clock::time_point now, int* retry_after_seconds);

 private:
  struct Bucket {
    double tokens = 0;
    Clock::time_point updated;
  };
  // Forgets full buckets, so the map holds only addresses seen in the last minute or so.
  void PruneFullBuckets(Clock::time_point now);

  const int per_minute_;
  std::mutex mu_;
  std::unordered_map<std::string, Bucket> buckets_;
  Clock::time_point last_prune_{};
};

}  // namespace confide::http
