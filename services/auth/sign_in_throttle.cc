#include "services/auth/sign_in_throttle.h"

#include <algorithm>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace confide {

std::string EmailThrottleKey(const MessageAuthenticator& mac, const LockoutPolicy& policy,
                             std::string_view normalized_email) {
  const std::string tag = mac.HmacSha1(policy.email_key_secret, normalized_email);
  return absl::StrCat("email:", absl::BytesToHexString(tag));
}

ThrottleRecord SignInThrottle::AfterFailure(std::string_view key,
                                            const std::optional<ThrottleRecord>& before,
                                            int threshold, absl::Time now) const {
  ThrottleRecord record;
  record.key = std::string(key);
  const bool remembered =
      before.has_value() && now - before->last_failure_time < policy_.forget_after;
  record.failures = remembered ? before->failures + 1 : 1;
  record.last_failure_time = now;
  record.locked_until = remembered ? before->locked_until : absl::UnixEpoch();
  if (record.failures >= threshold) {
    // 30 s, 60 s, 120 s, ... capped: slows guessing to a crawl without locking a person out for
    // long because someone else mistyped (or guessed at) her email.
    const int doublings = std::min(record.failures - threshold, 16);
    const absl::Duration lock = std::min(policy_.first_lock * (1 << doublings), policy_.max_lock);
    record.locked_until = now + lock;
  }
  return record;
}

absl::Duration SignInThrottle::LockedFor(const std::optional<ThrottleRecord>& record,
                                         absl::Time now) {
  if (!record.has_value() || record->locked_until <= now) {
    return absl::ZeroDuration();
  }
  return record->locked_until - now;
}

}  // namespace confide
