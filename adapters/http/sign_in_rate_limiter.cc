#include "adapters/http/sign_in_rate_limiter.h"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cmath>

namespace confide::http {

namespace {

double Refill(double tokens, std::chrono::duration<double> elapsed, int per_minute) {
  return std::min(static_cast<double>(per_minute), tokens + elapsed.count() * per_minute / 60.0);
}

// The bucket an address draws from. An IPv6 client has at least a /64 to rotate through
// (RFC 6177), so its /64 is one client; IPv4, IPv4-mapped IPv6 and unparsable text stay as
// they are.
std::string BucketKey(const std::string& address) {
  in6_addr v6{};
  if (inet_pton(AF_INET6, address.c_str(), &v6) != 1 || IN6_IS_ADDR_V4MAPPED(&v6)) {
    return address;
  }
  std::fill(std::begin(v6.s6_addr) + 8, std::end(v6.s6_addr), 0);
  std::array<char, INET6_ADDRSTRLEN> text{};
  if (inet_ntop(AF_INET6, &v6, text.data(), text.size()) == nullptr) {
    return address;
  }
  return std::string(text.data()) + "/64";
}

}  // namespace

bool SignInRateLimiter::TryAcquire(const std::string& address, Clock::time_point now,
                                   int* retry_after_seconds) {
  std::lock_guard<std::mutex> lock(mu_);
  if (now - last_prune_ > std::chrono::minutes(1)) {
    PruneFullBuckets(now);
    last_prune_ = now;
  }
  auto [it, inserted] =
      buckets_.try_emplace(BucketKey(address), Bucket{.tokens = 1.0 * per_minute_, .updated = now});
  Bucket& bucket = it->second;
  if (!inserted) {
    bucket.tokens = Refill(bucket.tokens, now - bucket.updated, per_minute_);
    bucket.updated = now;
  }
  if (bucket.tokens >= 1.0) {
    bucket.tokens -= 1.0;
    return true;
  }
  const double seconds = (1.0 - bucket.tokens) * 60.0 / per_minute_;
  // The epsilon keeps floating-point dust from adding a whole second.
  *retry_after_seconds = std::max(1, static_cast<int>(std::ceil(seconds - 1e-6)));
  return false;
}

void SignInRateLimiter::PruneFullBuckets(Clock::time_point now) {
  std::erase_if(buckets_, [&](const auto& entry) {
    return Refill(entry.second.tokens, now - entry.second.updated, per_minute_) >= per_minute_;
  });
}

}  // namespace confide::http
