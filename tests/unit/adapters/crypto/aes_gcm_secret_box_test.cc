#include "adapters/crypto/aes_gcm_secret_box.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <ios>
#include <iterator>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "gtest/gtest.h"

namespace confide {
namespace {

// 32 bytes: 0x00, 0x01, ..., 0x1f.
std::string TestKey() {
  std::string key;
  for (int i = 0; i < 32; ++i) {
    key.push_back(static_cast<char>(i));
  }
  return key;
}

constexpr char kContext[] = "users.totp_secret:0190e4b1-8f4e-7c3a-9d2b-5f6a7b8c9d0e";

std::string SealOrDie(const AesGcmSecretBox& box, const std::string& plaintext,
                      const std::string& context = kContext) {
  absl::StatusOr<std::string> sealed = box.Seal(plaintext, context);
  EXPECT_TRUE(sealed.ok()) << sealed.status();
  return sealed.value_or("");
}

void ExpectDataLossWithoutEcho(const absl::StatusOr<std::string>& opened,
                               const std::string& input) {
  EXPECT_EQ(opened.status().code(), absl::StatusCode::kDataLoss) << opened.status();
  if (!input.empty()) {
    EXPECT_FALSE(absl::StrContains(opened.status().message(), input)) << opened.status();
  }
}

TEST(AesGcmSecretBoxTest, OpensWhatItSealed) {
  AesGcmSecretBox box(TestKey());
  for (const std::string& plaintext : {std::string(), std::string("JBSWY3DPEHPK3PXP"),
                                       std::string("a\0b\xff", 4), std::string(1000, 'x')}) {
    absl::StatusOr<std::string> opened = box.Open(SealOrDie(box, plaintext), kContext);
    ASSERT_TRUE(opened.ok()) << opened.status();
    EXPECT_EQ(*opened, plaintext);
  }
}

TEST(AesGcmSecretBoxTest, SealedValueIsVersionKeyIdAndUnpaddedBase64Url) {
  AesGcmSecretBox box(TestKey());
  // SHA-256 of the bytes 0x00..0x1f is
  // 630dcd2966c4336691125448bbb25b4ff412a49c732db2c8abc1b8581bd710dd.
  EXPECT_EQ(box.key_id(), "630dcd29");
  const std::string sealed = SealOrDie(box, "0123456789");
  ASSERT_TRUE(absl::StartsWith(sealed, "v1.630dcd29.")) << sealed;
  const std::string encoded = sealed.substr(12);
  EXPECT_EQ(
      encoded.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
      std::string::npos)
      << sealed;
  std::string payload;
  ASSERT_TRUE(absl::WebSafeBase64Unescape(encoded, &payload));
  EXPECT_EQ(payload.size(), 12u + 10u + 16u);  // Nonce, ciphertext, tag.
  EXPECT_FALSE(absl::StrContains(payload, "0123456789"));
}

TEST(AesGcmSecretBoxTest, EachSealUsesAFreshNonce) {
  AesGcmSecretBox box(TestKey());
  const std::string first = SealOrDie(box, "same secret");
  const std::string second = SealOrDie(box, "same secret");
  EXPECT_NE(first, second);
  std::string first_payload;
  std::string second_payload;
  ASSERT_TRUE(absl::WebSafeBase64Unescape(first.substr(12), &first_payload));
  ASSERT_TRUE(absl::WebSafeBase64Unescape(second.substr(12), &second_payload));
  EXPECT_NE(first_payload.substr(0, 12), second_payload.substr(0, 12));
}

TEST(AesGcmSecretBoxTest, RefusesAnotherContext) {
  AesGcmSecretBox box(TestKey());
  const std::string sealed = SealOrDie(box, "secret");
  ExpectDataLossWithoutEcho(box.Open(sealed, "users.totp_secret:another-user"), sealed);
  ExpectDataLossWithoutEcho(box.Open(sealed, ""), sealed);
  ExpectDataLossWithoutEcho(box.Open(SealOrDie(box, "secret", ""), kContext), "");
}

TEST(AesGcmSecretBoxTest, RefusesEveryAlteredCharacter) {
  AesGcmSecretBox box(TestKey());
  const std::string sealed = SealOrDie(box, "JBSWY3DPEHPK3PXP");
  for (size_t i = 0; i < sealed.size(); ++i) {
    for (const char replacement : {'A', 'B', 'g', '_', '-', '.', '='}) {
      if (sealed[i] == replacement) {
        continue;
      }
      std::string altered = sealed;
      altered[i] = replacement;
      ExpectDataLossWithoutEcho(box.Open(altered, kContext), altered);
    }
  }
}

TEST(AesGcmSecretBoxTest, RefusesEveryAlteredPayloadBit) {
  AesGcmSecretBox box(TestKey());
  const std::string sealed = SealOrDie(box, "JBSWY3DPEHPK3PXP");
  std::string payload;
  ASSERT_TRUE(absl::WebSafeBase64Unescape(sealed.substr(12), &payload));
  for (size_t bit = 0; bit < payload.size() * 8; ++bit) {
    std::string altered = payload;
    altered[bit / 8] = static_cast<char>(altered[bit / 8] ^ (1 << (bit % 8)));
    ExpectDataLossWithoutEcho(
        box.Open(sealed.substr(0, 12) + absl::WebSafeBase64Escape(altered), kContext), "");
  }
}

TEST(AesGcmSecretBoxTest, RefusesValuesSealedUnderAnotherKey) {
  AesGcmSecretBox box(TestKey());
  std::string other_key = TestKey();
  other_key[31] = '\x7f';
  AesGcmSecretBox other(other_key);
  ASSERT_NE(box.key_id(), other.key_id());
  const std::string sealed = SealOrDie(other, "secret");
  ExpectDataLossWithoutEcho(box.Open(sealed, kContext), sealed);
  // Even when the key id is forged to match, the tag does not.
  ExpectDataLossWithoutEcho(box.Open("v1." + box.key_id() + sealed.substr(11), kContext), "");
}

TEST(AesGcmSecretBoxTest, RefusesTruncatedAndMalformedValues) {
  AesGcmSecretBox box(TestKey());
  const std::string sealed = SealOrDie(box, "secret");
  for (size_t length = 0; length < sealed.size(); ++length) {
    ExpectDataLossWithoutEcho(box.Open(sealed.substr(0, length), kContext), "");
  }
  ExpectDataLossWithoutEcho(box.Open(sealed + "A", kContext), sealed);
  ExpectDataLossWithoutEcho(box.Open(sealed + "=", kContext), sealed);
  ExpectDataLossWithoutEcho(box.Open(sealed + "\n", kContext), sealed);
  ExpectDataLossWithoutEcho(box.Open(" " + sealed, kContext), sealed);
  ExpectDataLossWithoutEcho(box.Open("v2" + sealed.substr(2), kContext), "");
  ExpectDataLossWithoutEcho(box.Open("V1" + sealed.substr(2), kContext), "");
  // Exactly nonce + tag with no ciphertext is well-formed but fails authentication.
  ExpectDataLossWithoutEcho(
      box.Open("v1." + box.key_id() + "." + absl::WebSafeBase64Escape(std::string(28, 'x')),
               kContext),
      "");
  ExpectDataLossWithoutEcho(
      box.Open("v1." + box.key_id() + "." + absl::WebSafeBase64Escape(std::string(27, 'x')),
               kContext),
      "");
  ExpectDataLossWithoutEcho(box.Open("not a sealed secret at all", kContext),
                            "not a sealed secret at all");
}

TEST(AesGcmSecretBoxDeathTest, KeysOfTheWrongSizeStopTheServer) {
  EXPECT_DEATH(AesGcmSecretBox{std::string(31, 'k')}, "32 bytes");
  EXPECT_DEATH(AesGcmSecretBox{std::string()}, "32 bytes");
}

class MasterKeyFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = ::testing::TempDir() + "/confide_master_key_XXXXXX";
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    path_ = dir_ + "/master.key";
  }

  void TearDown() override {
    unlink(path_.c_str());
    rmdir(dir_.c_str());
  }

  void WriteKeyFile(const std::string& content, mode_t mode) {
    {
      std::ofstream out(path_, std::ios::binary | std::ios::trunc);
      out << content;
    }
    ASSERT_EQ(chmod(path_.c_str(), mode), 0);
  }

  std::string dir_;
  std::string path_;
};

constexpr char kHexKey[] = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

TEST_F(MasterKeyFileTest, LoadsSixtyFourHexCharactersAsThirtyTwoBytes) {
  WriteKeyFile(std::string(kHexKey) + "\n", 0600);
  absl::StatusOr<std::string> key = LoadMasterKeyFile(path_);
  ASSERT_TRUE(key.ok()) << key.status();
  EXPECT_EQ(*key, TestKey());
}

TEST_F(MasterKeyFileTest, AcceptsSurroundingWhitespaceAndUppercaseHex) {
  WriteKeyFile("  \n" + absl::AsciiStrToUpper(kHexKey) + " \r\n\n", 0400);
  absl::StatusOr<std::string> key = LoadMasterKeyFile(path_);
  ASSERT_TRUE(key.ok()) << key.status();
  EXPECT_EQ(*key, TestKey());
}

TEST_F(MasterKeyFileTest, MissingFileIsNotFound) {
  EXPECT_EQ(LoadMasterKeyFile(path_).status().code(), absl::StatusCode::kNotFound);
}

TEST_F(MasterKeyFileTest, FileOpenToGroupOrOthersIsRefusedWithAChmodHint) {
  for (const mode_t mode : {0640, 0604, 0660, 0644, 0602, 0610, 0601}) {
    WriteKeyFile(kHexKey, mode);
    absl::StatusOr<std::string> key = LoadMasterKeyFile(path_);
    EXPECT_EQ(key.status().code(), absl::StatusCode::kFailedPrecondition) << std::oct << mode;
    EXPECT_TRUE(absl::StrContains(key.status().message(), "chmod 600")) << key.status();
    EXPECT_FALSE(absl::StrContains(key.status().message(), kHexKey)) << key.status();
  }
}

TEST_F(MasterKeyFileTest, ADirectoryIsNotAKeyFile) {
  EXPECT_EQ(LoadMasterKeyFile(dir_).status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST_F(MasterKeyFileTest, ContentOtherThanSixtyFourHexCharactersIsInvalid) {
  const std::string hex = kHexKey;
  for (const std::string& content :
       {std::string(), hex.substr(1), hex + "0", hex.substr(0, 63) + "g",
        hex.substr(0, 32) + " " + hex.substr(32), hex + "\n" + hex, "0x" + hex.substr(2),
        std::string(5000, '0')}) {
    WriteKeyFile(content, 0600);
    absl::StatusOr<std::string> key = LoadMasterKeyFile(path_);
    EXPECT_EQ(key.status().code(), absl::StatusCode::kInvalidArgument) << content;
    if (!content.empty()) {
      EXPECT_FALSE(absl::StrContains(key.status().message(), content)) << key.status();
    }
  }
}

TEST_F(MasterKeyFileTest, WritesANewPrivateKeyFileThatLoads) {
  ASSERT_TRUE(WriteNewMasterKeyFile(path_).ok());
  struct stat info;
  ASSERT_EQ(stat(path_.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  std::ifstream in(path_, std::ios::binary);
  const std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(content.size(), 65u);
  EXPECT_EQ(content.back(), '\n');
  EXPECT_EQ(content.find_first_not_of("0123456789abcdef"), 64u);
  absl::StatusOr<std::string> key = LoadMasterKeyFile(path_);
  ASSERT_TRUE(key.ok()) << key.status();
  EXPECT_EQ(key->size(), 32u);
  AesGcmSecretBox box(*key);
  EXPECT_EQ(box.Open(SealOrDie(box, "secret"), kContext).value_or(""), "secret");
}

TEST_F(MasterKeyFileTest, NeverOverwritesAnExistingFile) {
  WriteKeyFile(kHexKey, 0600);
  EXPECT_EQ(WriteNewMasterKeyFile(path_).code(), absl::StatusCode::kAlreadyExists);
  absl::StatusOr<std::string> key = LoadMasterKeyFile(path_);
  ASSERT_TRUE(key.ok()) << key.status();
  EXPECT_EQ(*key, TestKey());
}

TEST_F(MasterKeyFileTest, TwoNewKeysDiffer) {
  const std::string second_path = dir_ + "/second.key";
  ASSERT_TRUE(WriteNewMasterKeyFile(path_).ok());
  ASSERT_TRUE(WriteNewMasterKeyFile(second_path).ok());
  absl::StatusOr<std::string> first = LoadMasterKeyFile(path_);
  absl::StatusOr<std::string> second = LoadMasterKeyFile(second_path);
  unlink(second_path.c_str());
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_NE(*first, *second);
}

TEST_F(MasterKeyFileTest, WritingIntoAMissingDirectoryIsNotFound) {
  EXPECT_EQ(WriteNewMasterKeyFile(dir_ + "/missing/master.key").code(),
            absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace confide
