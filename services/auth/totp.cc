#include "services/auth/totp.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

#include "absl/time/time.h"
#include "services/crypto/ports/message_authenticator.h"

namespace confide {
namespace {

constexpr int kMinDigits = 6;
constexpr int kMaxDigits = 8;
constexpr size_t kHmacSha1Bytes = 20;

bool IsUnreserved(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

// RFC 3986 percent-encoding of everything but the unreserved characters, in uppercase hex.
std::string PercentEncode(std::string_view text) {
  constexpr char kHex[] = "0123456789ABCDEF";
  std::string encoded;
  encoded.reserve(text.size());
  for (const char c : text) {
    if (IsUnreserved(c)) {
      encoded.push_back(c);
    } else {
      const auto byte = static_cast<uint8_t>(c);
      encoded.push_back('%');
      encoded.push_back(kHex[byte >> 4]);
      encoded.push_back(kHex[byte & 0x0F]);
    }
  }
  return encoded;
}

// True when `a` and `b` are equal, in time that depends only on their lengths.
bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) {
    return false;
  }
  unsigned char difference = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    difference |= static_cast<unsigned char>(a[i] ^ b[i]);
  }
  return difference == 0;
}

}  // namespace

int64_t TotpStep(absl::Time t, absl::Duration step) {
  if (step <= absl::ZeroDuration()) {
    return 0;
  }
  // absl::Floor rounds towards negative infinity, so times before the epoch get negative steps.
  absl::Duration remainder;
  return absl::IDivDuration(absl::Floor(t - absl::UnixEpoch(), step), step, &remainder);
}

std::string TotpCode(const MessageAuthenticator& mac, std::string_view secret, int64_t step,
                     int digits) {
  digits = std::clamp(digits, kMinDigits, kMaxDigits);
  // RFC 4226 section 5.2: the counter is 8 bytes, big-endian.
  const auto counter = static_cast<uint64_t>(step);
  char message[8];
  for (int i = 0; i < 8; ++i) {
    message[i] = static_cast<char>((counter >> (56 - 8 * i)) & 0xFF);
  }
  const std::string hmac = mac.HmacSha1(secret, std::string_view(message, sizeof(message)));
  if (hmac.size() != kHmacSha1Bytes) {
    return std::string();  // Matches no code.
  }
  // RFC 4226 section 5.3, dynamic truncation: 31 bits from the offset the last nibble names.
  const auto byte = [&hmac](size_t i) {
    return static_cast<uint32_t>(static_cast<uint8_t>(hmac[i]));
  };
  const size_t offset = byte(kHmacSha1Bytes - 1) & 0x0F;
  const uint32_t binary = ((byte(offset) & 0x7F) << 24) | (byte(offset + 1) << 16) |
                          (byte(offset + 2) << 8) | byte(offset + 3);
  uint32_t modulus = 1;
  for (int i = 0; i < digits; ++i) {
    modulus *= 10;
  }
  std::string code = std::to_string(binary % modulus);
  code.insert(0, static_cast<size_t>(digits) - code.size(), '0');
  return code;
}

std::optional<int64_t> MatchTotp(const MessageAuthenticator& mac, std::string_view secret,
                                 std::string_view code, absl::Time now, int64_t last_used_step,
                                 const TotpSettings& settings) {
  if (settings.digits < kMinDigits || settings.digits > kMaxDigits ||
      settings.step <= absl::ZeroDuration() || settings.allowed_drift_steps < 0 ||
      code.size() != static_cast<size_t>(settings.digits) ||
      !std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  const int64_t current = TotpStep(now, settings.step);
  const int64_t drift = settings.allowed_drift_steps;
  if (current > std::numeric_limits<int64_t>::max() - drift ||
      current < std::numeric_limits<int64_t>::min() + drift) {
    return std::nullopt;  // An infinite or absurd time.
  }
  // Every candidate is computed and compared, so the time taken does not reveal which step (if
  // any) matched.
  std::optional<int64_t> matched;
  for (int64_t offset = -drift; offset <= drift; ++offset) {
    const int64_t step = current + offset;
    const bool equal = ConstantTimeEquals(TotpCode(mac, secret, step, settings.digits), code);
    if (equal && step > last_used_step && !matched.has_value()) {
      matched = step;
    }
  }
  return matched;
}

std::string OtpauthUri(std::string_view issuer, std::string_view account,
                       std::string_view secret_base32) {
  const std::string encoded_issuer = PercentEncode(issuer);
  std::string uri = "otpauth://totp/";
  uri += encoded_issuer;
  uri += ':';
  uri += PercentEncode(account);
  uri += "?secret=";
  uri += secret_base32;
  uri += "&issuer=";
  uri += encoded_issuer;
  uri += "&algorithm=SHA1&digits=6&period=30";
  return uri;
}

}  // namespace confide
