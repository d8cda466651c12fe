#pragma once

#include <atomic>
#include <cstdio>
#include <string>
#include <utility>

#include "services/common/id_generator.h"

namespace confide {

// Ids "<prefix>-000001", "<prefix>-000002", ...: zero-padded so they sort in creation order, as
// UUIDv7 text does, which keyset pagination relies on. Thread-safe.
class FakeIdGenerator final : public IdGenerator {
 public:
  explicit FakeIdGenerator(std::string prefix = "id") : prefix_(std::move(prefix)) {}

  std::string NewId() override {
    char digits[16];
    std::snprintf(digits, sizeof(digits), "%06d", ++next_);
    return prefix_ + "-" + digits;
  }

 private:
  const std::string prefix_;
  std::atomic<int> next_{0};
};

}  // namespace confide
