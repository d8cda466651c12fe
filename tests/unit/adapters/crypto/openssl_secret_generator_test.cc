#include "adapters/crypto/openssl_secret_generator.h"

#include <string>

#include "gtest/gtest.h"

namespace confide {
namespace {

TEST(OpenSslSecretGeneratorTest, SessionTokenIs43Base64UrlCharactersWithoutPadding) {
  OpenSslSecretGenerator generator;
  const std::string token = generator.NewSessionToken();
  // 32 bytes = 256 bits; ceil(256 / 6) = 43 characters.
  EXPECT_EQ(token.size(), 43u);
  EXPECT_EQ(
      token.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
      std::string::npos)
      << token;
}

TEST(OpenSslSecretGeneratorTest, TwoSessionTokensDiffer) {
  OpenSslSecretGenerator generator;
  EXPECT_NE(generator.NewSessionToken(), generator.NewSessionToken());
}

// Known-answer test from FIPS 180-2, appendix B.1.
TEST(OpenSslSecretGeneratorTest, DigestOfAbcIsItsSha256InLowercaseHex) {
  OpenSslSecretGenerator generator;
  EXPECT_EQ(generator.Digest("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(OpenSslSecretGeneratorTest, DigestOfEmptyInputIsTheSha256OfNothing) {
  OpenSslSecretGenerator generator;
  EXPECT_EQ(generator.Digest(""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(OpenSslSecretGeneratorTest, DigestIsStableForTheSameToken) {
  OpenSslSecretGenerator generator;
  const std::string token = generator.NewSessionToken();
  EXPECT_EQ(generator.Digest(token), generator.Digest(token));
  EXPECT_NE(generator.Digest(token), generator.Digest(generator.NewSessionToken()));
}

}  // namespace
}  // namespace confide
