#include <string>

#include "gtest/gtest.h"
#include "services/common/text_checks.h"

namespace confide {
namespace {

TEST(IsPrintableAsciiTest, SpaceToTildeOnly) {
  EXPECT_TRUE(IsPrintableAscii(""));
  EXPECT_TRUE(IsPrintableAscii(" 2026-01 ~"));
  EXPECT_FALSE(IsPrintableAscii("a\nb"));
  EXPECT_FALSE(IsPrintableAscii(std::string("a\0b", 3)));
  EXPECT_FALSE(IsPrintableAscii("\x7f"));
  EXPECT_FALSE(IsPrintableAscii("\xc3\xa9"));
}

}  // namespace
}  // namespace confide
