#include "adapters/crypto/uuid7_id_generator.h"

#include <cstdint>
#include <regex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "tests/fakes/fake_clock.h"

namespace confide {
namespace {

const absl::Time kStart = absl::FromUnixMillis(1717171717171);

// The 48-bit big-endian millisecond timestamp in the first 12 hex digits.
int64_t EmbeddedUnixMillis(const std::string& id) {
  return static_cast<int64_t>(std::stoull(id.substr(0, 8) + id.substr(9, 4), nullptr, 16));
}

TEST(Uuid7IdGeneratorTest, IdIsLowercaseHexIn8_4_4_4_12Groups) {
  FakeClock clock(kStart);
  Uuid7IdGenerator generator(clock);
  const std::string id = generator.NewId();
  EXPECT_TRUE(std::regex_match(
      id, std::regex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")))
      << id;
}

TEST(Uuid7IdGeneratorTest, IdCarriesVersion7AndVariant10) {
  FakeClock clock(kStart);
  Uuid7IdGenerator generator(clock);
  for (int i = 0; i < 100; ++i) {
    const std::string id = generator.NewId();
    EXPECT_EQ(id[14], '7') << id;
    // Variant 10xx: the first hex digit of the fourth group is 8, 9, a or b.
    EXPECT_NE(std::string("89ab").find(id[19]), std::string::npos) << id;
  }
}

TEST(Uuid7IdGeneratorTest, EmbeddedTimestampIsTheClocksUnixMillis) {
  FakeClock clock(kStart);
  Uuid7IdGenerator generator(clock);
  EXPECT_EQ(EmbeddedUnixMillis(generator.NewId()), absl::ToUnixMillis(kStart));

  clock.Advance(absl::Seconds(90));
  EXPECT_EQ(EmbeddedUnixMillis(generator.NewId()), absl::ToUnixMillis(kStart + absl::Seconds(90)));
}

// Far more ids than the 12-bit counter holds in one millisecond: the timestamp must run ahead
// rather than let an id repeat or sort before its predecessor.
TEST(Uuid7IdGeneratorTest, IdsWithinOneFrozenMillisecondAreStrictlyIncreasing) {
  FakeClock clock(kStart);
  Uuid7IdGenerator generator(clock);
  std::string previous = generator.NewId();
  for (int i = 0; i < 10000; ++i) {
    const std::string id = generator.NewId();
    ASSERT_LT(previous, id) << "at id " << i;
    previous = id;
  }
}

TEST(Uuid7IdGeneratorTest, IdsIncreaseAsTheClockAdvances) {
  FakeClock clock(kStart);
  Uuid7IdGenerator generator(clock);
  std::string previous = generator.NewId();
  for (int i = 0; i < 1000; ++i) {
    clock.Advance(absl::Milliseconds(1 + i % 3));
    const std::string id = generator.NewId();
    ASSERT_LT(previous, id) << "at id " << i;
    EXPECT_EQ(EmbeddedUnixMillis(id), absl::ToUnixMillis(clock.Now()));
    previous = id;
  }
}

// Wall clocks step back (NTP corrections); ids handed out must still sort after earlier ones.
TEST(Uuid7IdGeneratorTest, IdsKeepIncreasingWhenTheClockStepsBack) {
  FakeClock clock(kStart);
  Uuid7IdGenerator generator(clock);
  const std::string before = generator.NewId();
  clock.Set(kStart - absl::Seconds(5));
  const std::string after = generator.NewId();
  EXPECT_LT(before, after);
}

TEST(Uuid7IdGeneratorTest, IdsFromConcurrentCallersAreUnique) {
  FakeClock clock(kStart);
  Uuid7IdGenerator generator(clock);
  constexpr int kThreads = 4;
  constexpr int kIdsPerThread = 2000;
  std::vector<std::vector<std::string>> ids(kThreads);
  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&generator, &ids, t] {
      ids[t].reserve(kIdsPerThread);
      for (int i = 0; i < kIdsPerThread; ++i) {
        ids[t].push_back(generator.NewId());
      }
    });
  }
  for (std::thread& thread : threads) {
    thread.join();
  }
  std::set<std::string> unique;
  for (const std::vector<std::string>& per_thread : ids) {
    // Each caller sees its own ids in increasing order.
    for (size_t i = 1; i < per_thread.size(); ++i) {
      ASSERT_LT(per_thread[i - 1], per_thread[i]);
    }
    unique.insert(per_thread.begin(), per_thread.end());
  }
  EXPECT_EQ(unique.size(), static_cast<size_t>(kThreads * kIdsPerThread));
}

}  // namespace
}  // namespace confide
