#include "services/assessments/decimal.h"

#include "gtest/gtest.h"

namespace confide {
namespace {

TEST(DecimalTest, ParsesWholeAndFractionalHundredths) {
  EXPECT_EQ(ParseHundredths("12"), 1200);
  EXPECT_EQ(ParseHundredths("0.6"), 60);
  EXPECT_EQ(ParseHundredths("26.55"), 2655);
  EXPECT_EQ(ParseHundredths("-3"), -300);
  EXPECT_EQ(ParseHundredths("0"), 0);
}

TEST(DecimalTest, RefusesAnythingButPlainDecimals) {
  for (const char* bad : {"", "-", ".5", "1.", "1.234", "1e2", " 1", "1,5", "abc", "--1"}) {
    EXPECT_FALSE(ParseHundredths(bad).has_value()) << bad;
  }
}

TEST(DecimalTest, FormatsWithoutTrailingZeros) {
  EXPECT_EQ(FormatHundredths(2660), "26.6");
  EXPECT_EQ(FormatHundredths(360), "3.6");
  EXPECT_EQ(FormatHundredths(1200), "12");
  EXPECT_EQ(FormatHundredths(2655), "26.55");
  EXPECT_EQ(FormatHundredths(5), "0.05");
  EXPECT_EQ(FormatHundredths(0), "0");
  EXPECT_EQ(FormatHundredths(-300), "-3");
  EXPECT_EQ(FormatHundredths(-130), "-1.3");
}

}  // namespace
}  // namespace confide
