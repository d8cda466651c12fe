#include "services/api/etag.h"

#include "absl/status/status.h"
#include "gtest/gtest.h"

namespace confide {
namespace {

TEST(EtagTest, IsTheVersionAfterAV) {
  EXPECT_EQ(EtagOf(0), "v0");
  EXPECT_EQ(EtagOf(7), "v7");
  EXPECT_EQ(EtagOf(int64_t{1} << 40), "v1099511627776");
}

TEST(EtagTest, StaleEtagIsAbortedNamingTheRecordKind) {
  const absl::Status status = StaleEtag("intake");
  EXPECT_EQ(status.code(), absl::StatusCode::kAborted);
  EXPECT_EQ(status.message(),
            "etag does not match the stored intake: someone changed it; reload and retry");
}

}  // namespace
}  // namespace confide
