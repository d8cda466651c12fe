#include "adapters/crypto/openssl_checkpoint_signer.h"

#include <string>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "gtest/gtest.h"

namespace confide {
namespace {

// RFC 8032 section 7.1, TEST 1 (Ed25519, empty message).
constexpr char kSecretKeyHex[] = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
constexpr char kPublicKeyHex[] = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
constexpr char kSignatureHex[] =
    "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
    "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b";
// The Ed25519 group order L = 2^252 + 27742317777372353535851937790883648493, little-endian
// (RFC 8032 section 5.1).
constexpr char kGroupOrderLittleEndianHex[] =
    "edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010";

std::string Bytes(const char* hex) { return absl::HexStringToBytes(hex); }

std::string FlipBit(std::string s, size_t byte, unsigned char mask) {
  s[byte] = static_cast<char>(s[byte] ^ mask);
  return s;
}

class OpenSslCheckpointSignerTest : public ::testing::Test {
 protected:
  OpenSslCheckpointSigner signer_;
  const std::string secret_ = Bytes(kSecretKeyHex);
  const std::string public_ = Bytes(kPublicKeyHex);
  const std::string signature_ = Bytes(kSignatureHex);
};

TEST_F(OpenSslCheckpointSignerTest, SignsRfc8032Test1) {
  absl::StatusOr<std::string> signature = signer_.Sign(secret_, "");
  ASSERT_TRUE(signature.ok()) << signature.status();
  EXPECT_EQ(absl::BytesToHexString(*signature), kSignatureHex);
}

TEST_F(OpenSslCheckpointSignerTest, VerifiesRfc8032Test1) {
  EXPECT_TRUE(signer_.Verify(public_, "", signature_));
}

TEST_F(OpenSslCheckpointSignerTest, RefusesTheWrongKey) {
  for (size_t i = 0; i < public_.size(); i += 5) {
    EXPECT_FALSE(signer_.Verify(FlipBit(public_, i, 1), "", signature_)) << i;
  }
  absl::StatusOr<Ed25519KeyPair> other = signer_.GenerateKey();
  ASSERT_TRUE(other.ok()) << other.status();
  EXPECT_FALSE(signer_.Verify(other->public_key, "", signature_));
  // The private key is not a public key.
  EXPECT_FALSE(signer_.Verify(secret_, "", signature_));
}

TEST_F(OpenSslCheckpointSignerTest, RefusesTheWrongMessage) {
  EXPECT_FALSE(signer_.Verify(public_, std::string("\0", 1), signature_));
  EXPECT_FALSE(signer_.Verify(public_, "checkpoint", signature_));
}

TEST_F(OpenSslCheckpointSignerTest, RefusesTheWrongSignature) {
  for (size_t i = 0; i < signature_.size(); ++i) {
    EXPECT_FALSE(signer_.Verify(public_, "", FlipBit(signature_, i, 0x40))) << i;
  }
  EXPECT_FALSE(signer_.Verify(public_, "", signature_.substr(0, 63)));
  EXPECT_FALSE(signer_.Verify(public_, "", signature_ + std::string("\0", 1)));
  EXPECT_FALSE(signer_.Verify(public_, "", ""));
  EXPECT_FALSE(signer_.Verify(public_, "", std::string(64, '\0')));
}

// RFC 8032 section 5.1.7: S must be below L. S + L is the same scalar mod L (a malleated
// signature) and must be refused.
TEST_F(OpenSslCheckpointSignerTest, RefusesANonCanonicalS) {
  std::string malleated = signature_;
  const std::string order = Bytes(kGroupOrderLittleEndianHex);
  unsigned carry = 0;
  for (size_t i = 0; i < 32; ++i) {
    const unsigned sum = static_cast<unsigned char>(malleated[32 + i]) +
                         static_cast<unsigned char>(order[i]) + carry;
    malleated[32 + i] = static_cast<char>(sum & 0xff);
    carry = sum >> 8;
  }
  ASSERT_EQ(carry, 0u);
  EXPECT_FALSE(signer_.Verify(public_, "", malleated));
}

TEST_F(OpenSslCheckpointSignerTest, RefusesMalformedKeys) {
  absl::StatusOr<std::string> short_key = signer_.Sign(secret_.substr(0, 31), "m");
  EXPECT_EQ(short_key.status().code(), absl::StatusCode::kInvalidArgument);
  absl::StatusOr<std::string> long_key = signer_.Sign(secret_ + "x", "m");
  EXPECT_EQ(long_key.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(signer_.Verify(public_.substr(0, 31), "", signature_));
  EXPECT_FALSE(signer_.Verify("", "", signature_));
}

TEST_F(OpenSslCheckpointSignerTest, GeneratedKeysSignAndVerify) {
  absl::StatusOr<Ed25519KeyPair> a = signer_.GenerateKey();
  absl::StatusOr<Ed25519KeyPair> b = signer_.GenerateKey();
  ASSERT_TRUE(a.ok()) << a.status();
  ASSERT_TRUE(b.ok()) << b.status();
  EXPECT_EQ(a->private_key.size(), 32u);
  EXPECT_EQ(a->public_key.size(), 32u);
  EXPECT_NE(a->private_key, b->private_key);
  EXPECT_NE(a->public_key, b->public_key);
  const std::string message = "confide checkpoint v1\nbatch 1\n";
  absl::StatusOr<std::string> signature = signer_.Sign(a->private_key, message);
  ASSERT_TRUE(signature.ok()) << signature.status();
  EXPECT_EQ(signature->size(), 64u);
  EXPECT_TRUE(signer_.Verify(a->public_key, message, *signature));
  EXPECT_FALSE(signer_.Verify(b->public_key, message, *signature));
  EXPECT_FALSE(signer_.Verify(a->public_key, message + " ", *signature));
  // Ed25519 is deterministic.
  EXPECT_EQ(signer_.Sign(a->private_key, message).value(), *signature);
}

}  // namespace
}  // namespace confide
