#include "services/api/bearer_token.h"

#include <gtest/gtest.h>

#include <string>

namespace confide {
namespace {

TEST(BearerTokenTest, TokenIsReadWhateverTheSchemeCaseAndSpacing) {
  EXPECT_EQ(BearerTokenFrom("Bearer abc-DEF_123"), "abc-DEF_123");
  EXPECT_EQ(BearerTokenFrom("bearer abc"), "abc");
  EXPECT_EQ(BearerTokenFrom("BEARER   abc  "), "abc");
  EXPECT_EQ(BearerTokenFrom("  Bearer\tabc"), "abc");
  EXPECT_EQ(BearerTokenFrom("Bearer YWJj=="), "YWJj==");
}

TEST(BearerTokenTest, OtherSchemesAndMalformedTokensYieldNothing) {
  for (const char* header :
       {"", "Bearer", "Bearer ", "Bearer    ", "Basic dXNlcjpwYXNz", "Bearerabc", "Token abc",
        "Bearer a b", "Bearer a\"b", "Bearer ===", "Bearer a=b", "Bearer \x01"}) {
    EXPECT_EQ(BearerTokenFrom(header), "") << '"' << header << '"';
  }
}

TEST(BearerTokenTest, OverlongTokenYieldsNothing) {
  EXPECT_EQ(BearerTokenFrom("Bearer " + std::string(256, 'a')), std::string(256, 'a'));
  EXPECT_EQ(BearerTokenFrom("Bearer " + std::string(257, 'a')), "");
}

}  // namespace
}  // namespace confide
