// AesGcmSecretBox during a master-key rotation: a box holding previous keys opens what they
// sealed, seals under its current key only, and still refuses any other key.

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "adapters/crypto/aes_gcm_secret_box.h"
#include "gtest/gtest.h"

namespace confide {
namespace {

constexpr char kContext[] = "users.totp_secret_sealed:0190e4b1-8f4e-7c3a-9d2b-5f6a7b8c9d0e";
constexpr char kSecret[] = "JBSWY3DPEHPK3PXP";

const std::string kOldKey(32, 'o');
const std::string kNewKey(32, 'n');
const std::string kOtherKey(32, 'x');

std::string SealOrDie(const AesGcmSecretBox& box) {
  absl::StatusOr<std::string> sealed = box.Seal(kSecret, kContext);
  EXPECT_TRUE(sealed.ok()) << sealed.status();
  return sealed.value_or("");
}

TEST(AesGcmSecretBoxRotationTest, OpensValuesSealedUnderAPreviousKey) {
  const std::string sealed_old = SealOrDie(AesGcmSecretBox(kOldKey));
  const AesGcmSecretBox rotating(kNewKey, {kOldKey});
  absl::StatusOr<std::string> opened = rotating.Open(sealed_old, kContext);
  ASSERT_TRUE(opened.ok()) << opened.status();
  EXPECT_EQ(*opened, kSecret);
}

TEST(AesGcmSecretBoxRotationTest, SealsUnderTheCurrentKeyOnly) {
  const AesGcmSecretBox rotating(kNewKey, {kOldKey});
  const AesGcmSecretBox new_only(kNewKey);
  const AesGcmSecretBox old_only(kOldKey);
  const std::string sealed = SealOrDie(rotating);
  EXPECT_EQ(rotating.key_id(), new_only.key_id());
  EXPECT_TRUE(absl::StartsWith(sealed, "v1." + new_only.key_id() + ".")) << sealed;

  absl::StatusOr<std::string> with_new = new_only.Open(sealed, kContext);
  ASSERT_TRUE(with_new.ok()) << with_new.status();
  EXPECT_EQ(*with_new, kSecret);
  EXPECT_EQ(old_only.Open(sealed, kContext).status().code(), absl::StatusCode::kDataLoss);
}

TEST(AesGcmSecretBoxRotationTest, AValueOfAnUnknownKeyIsDataLoss) {
  const std::string sealed_other = SealOrDie(AesGcmSecretBox(kOtherKey));
  const AesGcmSecretBox rotating(kNewKey, {kOldKey});
  absl::StatusOr<std::string> opened = rotating.Open(sealed_other, kContext);
  EXPECT_EQ(opened.status().code(), absl::StatusCode::kDataLoss) << opened.status();
  EXPECT_TRUE(absl::StrContains(opened.status().message(), "another master key"))
      << opened.status();
}

// A previous key still checks the tag and the context: only the key lookup changes.
TEST(AesGcmSecretBoxRotationTest, APreviousKeysValueForAnotherContextOrAlteredIsDataLoss) {
  std::string sealed_old = SealOrDie(AesGcmSecretBox(kOldKey));
  const AesGcmSecretBox rotating(kNewKey, {kOldKey});
  EXPECT_EQ(rotating.Open(sealed_old, "users.totp_secret_sealed:another-user").status().code(),
            absl::StatusCode::kDataLoss);
  sealed_old.back() = sealed_old.back() == 'A' ? 'B' : 'A';
  EXPECT_EQ(rotating.Open(sealed_old, kContext).status().code(), absl::StatusCode::kDataLoss);
}

TEST(AesGcmSecretBoxRotationTest, OpensUnderAnyOfSeveralPreviousKeys) {
  const std::string sealed_old = SealOrDie(AesGcmSecretBox(kOldKey));
  const std::string sealed_other = SealOrDie(AesGcmSecretBox(kOtherKey));
  const AesGcmSecretBox rotating(kNewKey, {kOtherKey, kOldKey});
  for (const std::string& sealed : {sealed_old, sealed_other}) {
    absl::StatusOr<std::string> opened = rotating.Open(sealed, kContext);
    ASSERT_TRUE(opened.ok()) << opened.status();
    EXPECT_EQ(*opened, kSecret);
  }
}

TEST(AesGcmSecretBoxRotationTest, MasterKeyIdIsTheBoxesKeyId) {
  EXPECT_EQ(MasterKeyId(kNewKey), AesGcmSecretBox(kNewKey).key_id());
  EXPECT_NE(MasterKeyId(kNewKey), MasterKeyId(kOldKey));
}

TEST(AesGcmSecretBoxRotationDeathTest, APreviousKeyOfTheWrongSizeAborts) {
  EXPECT_DEATH(AesGcmSecretBox(kNewKey, {std::string(16, 'o')}), "must be 32 bytes");
}

}  // namespace
}  // namespace confide
