#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "absl/time/time.h"
#include "services/crypto/ports/message_authenticator.h"

namespace confide {

// Time-based one-time passwords (RFC 6238 over RFC 4226 HOTP, HMAC-SHA-1), the flavour every
// authenticator app implements.
struct TotpSettings {
  absl::Duration step = absl::Seconds(30);
  int digits = 6;
  // Codes from this many steps either side of the current one are accepted, for clock skew and
  // the time it takes to type a code.
  int allowed_drift_steps = 1;
};

// The RFC 6238 time step containing `t` (floor((t - epoch) / step)).
int64_t TotpStep(absl::Time t, absl::Duration step = absl::Seconds(30));

// The RFC 4226 HOTP value for counter `step`, zero-padded to `digits` (6..8; values outside are
// clamped) digits. `secret` is the raw key bytes (not base32).
std::string TotpCode(const MessageAuthenticator& mac, std::string_view secret, int64_t step,
                     int digits = 6);

// The step whose code equals `code` among now-drift..now+drift, provided it is greater than
// `last_used_step` (a code is accepted once: replay refused); nullopt otherwise. Compares in
// constant time; rejects codes that are not exactly `digits` ASCII digits. Also nullopt under
// unusable settings (digits outside 6..8, a step that is not positive, a negative drift).
std::optional<int64_t> MatchTotp(const MessageAuthenticator& mac, std::string_view secret,
                                 std::string_view code, absl::Time now, int64_t last_used_step,
                                 const TotpSettings& settings = {});

// otpauth://totp/<issuer>:<account>?secret=<base32>&issuer=<issuer>&algorithm=SHA1&digits=6&
// period=30, the provisioning URI authenticator apps read from a QR code. `issuer` and `account`
// are percent-encoded (RFC 3986 unreserved characters kept); `secret_base32` is used as given.
std::string OtpauthUri(std::string_view issuer, std::string_view account,
                       std::string_view secret_base32);

}  // namespace confide
