#include "adapters/crypto/uuid7_id_generator.h"

#include <openssl/err.h>
#include <openssl/rand.h>

#include <array>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>

#include "absl/time/time.h"

namespace confide {
namespace {

constexpr uint64_t kTimestampMask = (uint64_t{1} << 48) - 1;
constexpr uint16_t kCounterMax = 0xFFF;
// Seeds leave the counter's top bit clear (RFC 9562 section 6.2, counter rollover guard), so at
// least 2048 ids fit in a millisecond before the timestamp has to run ahead of the clock.
constexpr uint16_t kCounterSeedMask = 0x7FF;

[[noreturn]] void AbortWithoutRandomness() {
  char detail[256];
  ERR_error_string_n(ERR_get_error(), detail, sizeof(detail));
  std::fprintf(stderr, "confide: fatal: OpenSSL RAND_bytes failed (%s); cannot make record ids\n",
               detail);
  std::abort();
}

std::string FormatUuid(const std::array<unsigned char, 16>& bytes) {
  static constexpr char kHexDigits[] = "0123456789abcdef";
  std::string text;
  text.reserve(36);
  for (size_t i = 0; i < bytes.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) {
      text.push_back('-');
    }
    text.push_back(kHexDigits[bytes[i] >> 4]);
    text.push_back(kHexDigits[bytes[i] & 0x0F]);
  }
  return text;
}

}  // namespace

std::string Uuid7IdGenerator::NewId() {
  // Drawn before taking the lock so callers do not queue behind the CSPRNG. Bytes 0-7 become
  // rand_b; bytes 8-9 seed the counter if this id starts a new millisecond.
  std::array<unsigned char, 10> random;
  if (RAND_bytes(random.data(), random.size()) != 1) {
    AbortWithoutRandomness();
  }
  const auto counter_seed =
      static_cast<uint16_t>(((random[8] << 8) | random[9]) & kCounterSeedMask);
  const int64_t clock_ms = absl::ToUnixMillis(clock_.Now());
  const uint64_t now_ms = clock_ms < 0 ? 0 : static_cast<uint64_t>(clock_ms);

  uint64_t unix_ms;
  uint16_t counter;
  {
    std::lock_guard lock(mutex_);
    if (now_ms > last_unix_ms_) {
      last_unix_ms_ = now_ms;
      counter_ = counter_seed;
    } else if (counter_ < kCounterMax) {
      ++counter_;
    } else {
      // RFC 9562 section 6.2: on counter overflow, advance the timestamp rather than repeat.
      ++last_unix_ms_;
      counter_ = counter_seed;
    }
    unix_ms = last_unix_ms_ & kTimestampMask;
    counter = counter_;
  }

  std::array<unsigned char, 16> bytes;
  for (int i = 0; i < 6; ++i) {
    bytes[i] = static_cast<unsigned char>(unix_ms >> (8 * (5 - i)));
  }
  bytes[6] = static_cast<unsigned char>(0x70 | (counter >> 8));  // Version 7.
  bytes[7] = static_cast<unsigned char>(counter);
  bytes[8] = static_cast<unsigned char>(0x80 | (random[0] & 0x3F));  // Variant 10.
  for (int i = 1; i < 8; ++i) {
    bytes[8 + i] = random[i];
  }
  return FormatUuid(bytes);
}

}  // namespace confide
