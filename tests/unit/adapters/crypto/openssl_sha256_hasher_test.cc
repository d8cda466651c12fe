#include "adapters/crypto/openssl_sha256_hasher.h"

#include <string>

#include "absl/strings/escaping.h"
#include "gtest/gtest.h"

namespace confide {
namespace {

std::string HexSha256(const std::string& data) {
  return absl::BytesToHexString(OpenSslSha256Hasher().Hash(data));
}

// FIPS 180-4 / NIST CSRC "SHA256.pdf" examples (one block, two blocks, the empty message), the
// 896-bit message of the NIST SHAVS examples and the one-million-'a' message.
TEST(OpenSslSha256HasherTest, MatchesNistKnownAnswers) {
  EXPECT_EQ(HexSha256(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(HexSha256("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(HexSha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(HexSha256("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmno"
                      "ijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu"),
            "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
  EXPECT_EQ(HexSha256(std::string(1000000, 'a')),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(OpenSslSha256HasherTest, HashIsThirtyTwoRawBytes) {
  EXPECT_EQ(OpenSslSha256Hasher().Hash("abc").size(), 32u);
}

TEST(OpenSslSha256HasherTest, Hash3HashesTheConcatenationWhereverItIsSplit) {
  const OpenSslSha256Hasher hasher;
  const std::string message = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
  const std::string expected = hasher.Hash(message);
  for (size_t i = 0; i <= message.size(); ++i) {
    for (size_t j = i; j <= message.size(); j += 7) {
      EXPECT_EQ(hasher.Hash3(message.substr(0, i), message.substr(i, j - i), message.substr(j)),
                expected)
          << i << " " << j;
    }
  }
  EXPECT_EQ(absl::BytesToHexString(hasher.Hash3("", "", "")),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  // Binary input with NUL bytes is hashed whole: RFC 6962's leaf prefix is 0x00.
  EXPECT_NE(hasher.Hash3(std::string("\0", 1), "x", ""), hasher.Hash("x"));
}

}  // namespace
}  // namespace confide
