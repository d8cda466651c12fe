#include "adapters/crypto/openssl_message_authenticator.h"

#include <string>

#include "absl/strings/escaping.h"
#include "gtest/gtest.h"

namespace confide {
namespace {

std::string HexHmacSha1(const std::string& key, const std::string& message) {
  OpenSslMessageAuthenticator mac;
  return absl::BytesToHexString(mac.HmacSha1(key, message));
}

// RFC 2202 section 3, test cases 1 to 7.
TEST(OpenSslMessageAuthenticatorTest, MatchesRfc2202TestCase1) {
  EXPECT_EQ(HexHmacSha1(std::string(20, '\x0b'), "Hi There"),
            "b617318655057264e28bc0b6fb378c8ef146be00");
}

TEST(OpenSslMessageAuthenticatorTest, MatchesRfc2202TestCase2) {
  EXPECT_EQ(HexHmacSha1("Jefe", "what do ya want for nothing?"),
            "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
}

TEST(OpenSslMessageAuthenticatorTest, MatchesRfc2202TestCase3) {
  EXPECT_EQ(HexHmacSha1(std::string(20, '\xaa'), std::string(50, '\xdd')),
            "125d7342b9ac11cd91a39af48aa17b4f63f175d3");
}

TEST(OpenSslMessageAuthenticatorTest, MatchesRfc2202TestCase4) {
  EXPECT_EQ(
      HexHmacSha1(absl::HexStringToBytes("0102030405060708090a0b0c0d0e0f10111213141516171819"),
                  std::string(50, '\xcd')),
      "4c9007f4026250c6bc8414f9bf50c86c2d7235da");
}

TEST(OpenSslMessageAuthenticatorTest, MatchesRfc2202TestCase5) {
  EXPECT_EQ(HexHmacSha1(std::string(20, '\x0c'), "Test With Truncation"),
            "4c1a03424b55e07fe7f27be1d58bb9324a9a5a04");
}

TEST(OpenSslMessageAuthenticatorTest, MatchesRfc2202TestCases6And7WithKeysLongerThanABlock) {
  const std::string key(80, '\xaa');
  EXPECT_EQ(HexHmacSha1(key, "Test Using Larger Than Block-Size Key - Hash Key First"),
            "aa4ae5e15272d00e95705637ce8a3b55ed402112");
  EXPECT_EQ(
      HexHmacSha1(key, "Test Using Larger Than Block-Size Key and Larger Than One Block-Size Data"),
      "e8e99d0f45237d786d6bbaa7965c7808bbff1a91");
}

TEST(OpenSslMessageAuthenticatorTest, ReturnsTwentyRawBytesEvenForEmptyInputs) {
  OpenSslMessageAuthenticator mac;
  EXPECT_EQ(mac.HmacSha1("", "").size(), 20u);
  EXPECT_EQ(absl::BytesToHexString(mac.HmacSha1("", "")),
            "fbdb1d1b18aa6c08324b7d64b71fb76370690e1d");
}

TEST(OpenSslMessageAuthenticatorTest, KeysWithNulBytesAreUsedWhole) {
  OpenSslMessageAuthenticator mac;
  EXPECT_NE(mac.HmacSha1(std::string("a\0b", 3), "m"), mac.HmacSha1("a", "m"));
}

}  // namespace
}  // namespace confide
