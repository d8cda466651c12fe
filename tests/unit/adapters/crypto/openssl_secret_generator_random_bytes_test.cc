// RandomBytes, apart from the session-token tests in openssl_secret_generator_test.cc.
#include <string>

#include "adapters/crypto/openssl_secret_generator.h"
#include "gtest/gtest.h"

namespace confide {
namespace {

TEST(OpenSslSecretGeneratorRandomBytesTest, ReturnsExactlyTheRequestedNumberOfBytes) {
  OpenSslSecretGenerator generator;
  EXPECT_EQ(generator.RandomBytes(0), "");
  EXPECT_EQ(generator.RandomBytes(1).size(), 1u);
  EXPECT_EQ(generator.RandomBytes(20).size(), 20u);
  EXPECT_EQ(generator.RandomBytes(3 << 20).size(), 3u << 20);  // More than one RAND_bytes call.
}

TEST(OpenSslSecretGeneratorRandomBytesTest, TwoCallsDifferAndAreNotAllZero) {
  OpenSslSecretGenerator generator;
  const std::string first = generator.RandomBytes(32);
  EXPECT_NE(first, generator.RandomBytes(32));
  EXPECT_NE(first, std::string(32, '\0'));
}

}  // namespace
}  // namespace confide
