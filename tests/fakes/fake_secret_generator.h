#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "services/auth/ports/secret_generator.h"

namespace confide {

// Predictable tokens ("token-1", "token-2", ...) and a readable digest ("d:" + token), so a test
// can see that only the digest is stored. RandomBytes reads on through one stream of counting
// bytes 0x00, 0x01, ..., 0xFF, 0x00, ...: RandomBytes(3) then RandomBytes(2) give 00 01 02 and
// 03 04. The stream repeats every 256 bytes. Thread-safe.
class FakeSecretGenerator final : public SecretGenerator {
 public:
  std::string NewSessionToken() override { return "token-" + std::to_string(++next_); }

  std::string Digest(std::string_view token) const override { return "d:" + std::string(token); }

  std::string RandomBytes(size_t count) override {
    const uint64_t first = next_byte_.fetch_add(count);
    std::string bytes(count, '\0');
    for (size_t i = 0; i < count; ++i) {
      bytes[i] = static_cast<char>((first + i) & 0xFF);
    }
    return bytes;
  }

 private:
  std::atomic<int> next_{0};
  std::atomic<uint64_t> next_byte_{0};
};

}  // namespace confide
