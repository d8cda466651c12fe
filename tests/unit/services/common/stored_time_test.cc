#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "services/common/timestamps.h"

namespace confide {
namespace {

TEST(StoredTimeTest, DropsWhatTheDatabaseCannotKeep) {
  const absl::Time micros = absl::FromUnixMicros(1700000000123456);
  EXPECT_EQ(StoredTime(micros + absl::Nanoseconds(789)), micros);
  EXPECT_EQ(StoredTime(micros), micros);
}

TEST(StoredTimeTest, SurvivesTheTimestampRoundTrip) {
  const absl::Time stored = StoredTime(absl::FromUnixNanos(1700000000123456789));
  EXPECT_EQ(FromTimestamp(ToTimestamp(stored)), stored);
}

}  // namespace
}  // namespace confide
