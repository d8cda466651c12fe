#include "adapters/crypto/envelope_client_data_cipher.h"

#include <string>

#include "absl/strings/match.h"
#include "adapters/crypto/openssl_secret_generator.h"
#include "gtest/gtest.h"
#include "tests/fakes/clinical_test_support.h"

namespace confide {
namespace {

constexpr char kClinic[] = "clinic-a";
constexpr char kJo[] = "client-jo";
constexpr char kRiley[] = "client-riley";
constexpr FieldLocation kHopes{"intakes", "content_sealed", "client-jo"};

class EnvelopeClientDataCipherTest : public EnvelopeCipherTest<OpenSslSecretGenerator> {};

TEST_F(EnvelopeClientDataCipherTest, SealedValueOpensAtItsOwnLocationAndHoldsNoPlaintext) {
  absl::StatusOr<std::string> sealed =
      cipher_.Seal(uow_, kClinic, kJo, kHopes, "to use a tampon without fear");
  ASSERT_TRUE(sealed.ok()) << sealed.status();
  EXPECT_FALSE(absl::StrContains(*sealed, "tampon"));
  absl::StatusOr<std::string> opened = cipher_.Open(uow_, kClinic, kJo, kHopes, *sealed);
  ASSERT_TRUE(opened.ok()) << opened.status();
  EXPECT_EQ(*opened, "to use a tampon without fear");
}

TEST_F(EnvelopeClientDataCipherTest, FirstSealMakesOneWrappedKeyPerClientAndReusesIt) {
  ASSERT_TRUE(cipher_.Seal(uow_, kClinic, kJo, kHopes, "a").ok());
  ASSERT_TRUE(cipher_.Seal(uow_, kClinic, kJo, kHopes, "b").ok());
  ASSERT_TRUE(cipher_.Seal(uow_, kClinic, kRiley, {"intakes", "content_sealed", kRiley}, "c").ok());
  const auto& keys = uow_.state().client_data_keys;
  ASSERT_EQ(keys.size(), 2u);
  const ClientDataKeyRecord& jo = keys.at({kClinic, kJo});
  // Stored wrapped by the master key, never as 32 raw bytes.
  EXPECT_TRUE(absl::StartsWith(jo.wrapped_key, "v1.")) << jo.wrapped_key;
  EXPECT_FALSE(jo.erase_time.has_value());
}

TEST_F(EnvelopeClientDataCipherTest, CiphertextMovedToAnotherRowColumnOrClientDoesNotOpen) {
  absl::StatusOr<std::string> sealed = cipher_.Seal(uow_, kClinic, kJo, kHopes, "secret");
  ASSERT_TRUE(sealed.ok());
  ASSERT_TRUE(cipher_.Seal(uow_, kClinic, kRiley, kHopes, "x").ok());
  const FieldLocation other_row{"intakes", "content_sealed", "client-riley"};
  const FieldLocation other_column{"intakes", "summary_sealed", "client-jo"};
  const FieldLocation other_table{"plans", "content_sealed", "client-jo"};
  EXPECT_EQ(cipher_.Open(uow_, kClinic, kJo, other_row, *sealed).status().code(),
            absl::StatusCode::kDataLoss);
  EXPECT_EQ(cipher_.Open(uow_, kClinic, kJo, other_column, *sealed).status().code(),
            absl::StatusCode::kDataLoss);
  EXPECT_EQ(cipher_.Open(uow_, kClinic, kJo, other_table, *sealed).status().code(),
            absl::StatusCode::kDataLoss);
  // Riley's data key is another key: Jo's value does not open under it even at the same place.
  EXPECT_EQ(cipher_.Open(uow_, kClinic, kRiley, kHopes, *sealed).status().code(),
            absl::StatusCode::kDataLoss);
}

TEST_F(EnvelopeClientDataCipherTest, AlteredCiphertextIsDataLoss) {
  absl::StatusOr<std::string> sealed = cipher_.Seal(uow_, kClinic, kJo, kHopes, "secret");
  ASSERT_TRUE(sealed.ok());
  std::string altered = *sealed;
  altered[altered.size() - 3] = altered[altered.size() - 3] == 'A' ? 'B' : 'A';
  EXPECT_EQ(cipher_.Open(uow_, kClinic, kJo, kHopes, altered).status().code(),
            absl::StatusCode::kDataLoss);
}

TEST_F(EnvelopeClientDataCipherTest, OpeningWithoutAnyKeyIsDataLossAndMakesNoKey) {
  EXPECT_EQ(cipher_.Open(uow_, kClinic, kJo, kHopes, "v1.00000000.AAAA").status().code(),
            absl::StatusCode::kDataLoss);
  EXPECT_TRUE(uow_.state().client_data_keys.empty());
}

TEST_F(EnvelopeClientDataCipherTest, ErasedKeyRefusesBothOpenAndSeal) {
  absl::StatusOr<std::string> sealed = cipher_.Seal(uow_, kClinic, kJo, kHopes, "secret");
  ASSERT_TRUE(sealed.ok());
  ClientDataKeyRecord& key = uow_.state().client_data_keys.at({kClinic, kJo});
  key.wrapped_key.clear();
  key.erase_time = clock_.Now();
  EXPECT_EQ(cipher_.Open(uow_, kClinic, kJo, kHopes, *sealed).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(cipher_.Seal(uow_, kClinic, kJo, kHopes, "more").status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_F(EnvelopeClientDataCipherTest, AnotherMasterKeyCannotUnwrapTheDataKey) {
  absl::StatusOr<std::string> sealed = cipher_.Seal(uow_, kClinic, kJo, kHopes, "secret");
  ASSERT_TRUE(sealed.ok());
  AesGcmSecretBox other_master(std::string(32, 'o'));
  EnvelopeClientDataCipher other(other_master, random_, clock_);
  EXPECT_EQ(other.Open(uow_, kClinic, kJo, kHopes, *sealed).status().code(),
            absl::StatusCode::kDataLoss);
}

}  // namespace
}  // namespace confide
