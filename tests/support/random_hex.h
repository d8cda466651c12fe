#pragma once

#include <cstdint>
#include <cstdio>
#include <random>
#include <string>

namespace confide::test_support {

// 16 random hex digits, for scratch database and directory names that parallel test runs
// (and runs left over from a crash) never share.
inline std::string RandomHex() {
  std::random_device device;
  std::mt19937_64 bits((static_cast<uint64_t>(device()) << 32) ^ device());
  char hex[17];
  std::snprintf(hex, sizeof(hex), "%016llx", static_cast<unsigned long long>(bits()));
  return hex;
}

}  // namespace confide::test_support
