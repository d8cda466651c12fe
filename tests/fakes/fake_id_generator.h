#pragma once

#include <atomic>
#include <cstdio>
#include <string>
#include <utility>

#include "services/common/id_generator.h"

namespace confide {

// UUID-shaped ids "pppppppp-0000-7000-8000-000000000001", ... whose first group is derived from
// `prefix` (so generators differ) and whose last group counts up, so they sort in creation
// order as UUIDv7 text does, which keyset pagination relies on. Thread-safe.
class FakeIdGenerator final : public IdGenerator {
 public:
  explicit FakeIdGenerator(std::string prefix = "id") : prefix_(std::move(prefix)) {}

  std::string NewId() override {
    unsigned group = 0;
    for (char c : prefix_) {
      group = group * 31 + static_cast<unsigned char>(c);
    }
    char id[40];
    std::snprintf(id, sizeof(id), "%08x-0000-7000-8000-%012d", group, ++next_);
    return id;
  }

 private:
  const std::string prefix_;
  std::atomic<int> next_{0};
};

}  // namespace confide
