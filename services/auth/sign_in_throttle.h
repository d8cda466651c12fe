#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/auth/ports/sign_in_throttle_repository.h"
#include "services/crypto/ports/message_authenticator.h"

namespace confide {

// When failed sign-ins lock a key, and for how long. A key is an email (known or not, so a
// lockout reveals nothing about which accounts exist) or a client address.
struct LockoutPolicy {
  // Consecutive failures before an email is locked.
  int email_threshold = 5;
  // Failures from one address (across emails) before it is locked.
  int address_threshold = 20;
  // The first lock lasts this long and doubles with each further failure, up to max_lock.
  absl::Duration first_lock = absl::Seconds(30);
  absl::Duration max_lock = absl::Minutes(15);
  // Failures older than this are forgotten. Longer than max_lock, so a guesser who waits out
  // each lock keeps meeting the longest one instead of starting over.
  absl::Duration forget_after = absl::Hours(1);
  // Secret key of the HMAC that names an email's record, derived from the master key by the
  // composition root: the table then holds no plain digest of typed addresses to reverse.
  std::string email_key_secret;
};

// The throttle key of an email: "email:" + hex HMAC-SHA-1 under policy.email_key_secret of the
// lowercased address.
std::string EmailThrottleKey(const MessageAuthenticator& mac, const LockoutPolicy& policy,
                             std::string_view normalized_email);

// The throttle keys of one sign-in attempt.
struct ThrottleKeys {
  std::string email;
  std::string address;
};

// Pure lockout arithmetic over ThrottleRecords (the repository stores them).
class SignInThrottle {
 public:
  explicit SignInThrottle(LockoutPolicy policy) : policy_(std::move(policy)) {}

  // The record after one more failure at `now` (`before` is the stored record, if any), for a
  // key whose threshold is `threshold`.
  ThrottleRecord AfterFailure(std::string_view key, const std::optional<ThrottleRecord>& before,
                              int threshold, absl::Time now) const;
  // How long the key is still locked at `now` (zero when not locked).
  static absl::Duration LockedFor(const std::optional<ThrottleRecord>& record, absl::Time now);

  const LockoutPolicy& policy() const { return policy_; }

 private:
  LockoutPolicy policy_;
};

}  // namespace confide
