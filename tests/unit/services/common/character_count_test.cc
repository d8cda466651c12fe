#include <string>

#include "gtest/gtest.h"
#include "services/common/text_checks.h"

namespace confide {
namespace {

// "é" is two bytes, "€" three and "😀" four: limits count each as one character.
constexpr char kMixed[] = "a\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80z";

TEST(CharacterCountTest, CountsCodePointsNotBytes) {
  EXPECT_EQ(CharacterCount(""), 0u);
  EXPECT_EQ(CharacterCount("plain"), 5u);
  EXPECT_EQ(CharacterCount(kMixed), 5u);
  EXPECT_EQ(CharacterCount(std::string("a\0b", 3)), 3u);
}

TEST(TruncateUtf8Test, CutsAtACharacterBoundary) {
  EXPECT_EQ(TruncateUtf8(kMixed, 0), "");
  EXPECT_EQ(TruncateUtf8(kMixed, 2), "a\xc3\xa9");
  EXPECT_EQ(TruncateUtf8(kMixed, 4), "a\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80");
  EXPECT_TRUE(IsValidUtf8(TruncateUtf8(kMixed, 3)));
  EXPECT_EQ(CharacterCount(TruncateUtf8(kMixed, 3)), 3u);
}

TEST(TruncateUtf8Test, KeepsTextWithinTheLimitWhole) {
  EXPECT_EQ(TruncateUtf8(kMixed, 5), kMixed);
  EXPECT_EQ(TruncateUtf8(kMixed, 500), kMixed);
  EXPECT_EQ(TruncateUtf8("", 3), "");
}

}  // namespace
}  // namespace confide
