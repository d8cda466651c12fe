// Per-client data keys and envelope encryption against a real database (SQLite or PostgreSQL,
// whichever CONFIDE_TEST_DATABASE names): the key row round-trips, a second key for one client
// is refused, and what the cipher stores holds neither the plaintext nor the key in clear.

#include "services/crypto/ports/client_data_key_repository.h"

#include <memory>
#include <optional>
#include <string>

#include "absl/strings/match.h"
#include "adapters/crypto/aes_gcm_secret_box.h"
#include "adapters/crypto/envelope_client_data_cipher.h"
#include "adapters/crypto/openssl_secret_generator.h"
#include "gtest/gtest.h"
#include "services/clients/ports/client_repository.h"
#include "soci/soci.h"
#include "tests/fakes/fake_clock.h"
#include "tests/persistence/migrated_database_test.h"

namespace confide::persistence {
namespace {

constexpr char kJo[] = "00000000-0000-7000-8000-000000006001";
constexpr char kMarker[] = "marker-no-pain-with-tampons-7f3a";

class ClientDataKeyRepositoryTest : public MigratedDatabaseTest {
 protected:
  void SetUp() override {
    MigratedDatabaseTest::SetUp();
    const ClientRecord jo = NewClient(kJo, kClinicA, "Jo", "Demo");
    ASSERT_TRUE(Write([&](UnitOfWork& uow) { return uow.clients().Insert(jo, ""); }).ok());
  }

  std::optional<ClientDataKeyRecord> FindKey() {
    absl::StatusOr<std::optional<ClientDataKeyRecord>> found =
        Read([](UnitOfWork& uow) { return uow.client_data_keys().Find(kClinicA, kJo); });
    EXPECT_TRUE(found.ok()) << found.status();
    return found.ok() ? *found : std::nullopt;
  }

  AesGcmSecretBox master_{std::string(32, 'm')};
  OpenSslSecretGenerator random_;
  FakeClock clock_{kCreateTime};
  EnvelopeClientDataCipher cipher_{master_, random_, clock_};
};

TEST_F(ClientDataKeyRepositoryTest, InsertedKeyRoundTripsAndASecondKeyIsAlreadyExists) {
  const ClientDataKeyRecord key{.clinic_id = kClinicA,
                                .client_id = kJo,
                                .wrapped_key = "v1.abcdef01.wrapped",
                                .create_time = kCreateTime};
  ASSERT_TRUE(Write([&](UnitOfWork& uow) { return uow.client_data_keys().Insert(key); }).ok());
  std::optional<ClientDataKeyRecord> found = FindKey();
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->clinic_id, kClinicA);
  EXPECT_EQ(found->client_id, kJo);
  EXPECT_EQ(found->wrapped_key, "v1.abcdef01.wrapped");
  EXPECT_EQ(found->create_time, kCreateTime);
  EXPECT_FALSE(found->erase_time.has_value());

  EXPECT_EQ(Write([&](UnitOfWork& uow) { return uow.client_data_keys().Insert(key); }).code(),
            absl::StatusCode::kAlreadyExists);
  absl::StatusOr<std::optional<ClientDataKeyRecord>> other_clinic =
      Read([](UnitOfWork& uow) { return uow.client_data_keys().Find(kClinicB, kJo); });
  ASSERT_TRUE(other_clinic.ok());
  EXPECT_FALSE(other_clinic->has_value());
}

TEST_F(ClientDataKeyRepositoryTest, SealedValueOpensInALaterTransactionAndTheRowHoldsNoPlaintext) {
  const FieldLocation where{"intakes", "content_sealed", kJo};
  absl::StatusOr<std::string> sealed = WriteReturning(
      [&](UnitOfWork& uow) { return cipher_.Seal(uow, kClinicA, kJo, where, kMarker); });
  ASSERT_TRUE(sealed.ok()) << sealed.status();
  EXPECT_FALSE(absl::StrContains(*sealed, kMarker));

  absl::StatusOr<std::string> opened =
      Read([&](UnitOfWork& uow) { return cipher_.Open(uow, kClinicA, kJo, where, *sealed); });
  ASSERT_TRUE(opened.ok()) << opened.status();
  EXPECT_EQ(*opened, kMarker);

  // The stored key is wrapped: opening it needs the master key and its context.
  std::optional<ClientDataKeyRecord> key = FindKey();
  ASSERT_TRUE(key.has_value());
  EXPECT_TRUE(absl::StartsWith(key->wrapped_key, "v1.")) << key->wrapped_key;
  absl::StatusOr<std::string> unwrapped =
      master_.Open(key->wrapped_key, std::string("client_data_keys:") + kClinicA + "/" + kJo);
  ASSERT_TRUE(unwrapped.ok()) << unwrapped.status();
  EXPECT_EQ(unwrapped->size(), 32u);
  // No column of the raw row holds the key in clear.
  std::unique_ptr<soci::session> raw = scratch_->OpenSession();
  std::string wrapped_column;
  const std::string client_id = kJo;
  *raw << "SELECT wrapped_key FROM client_data_keys WHERE client_id = :id", soci::use(client_id),
      soci::into(wrapped_column);
  EXPECT_FALSE(absl::StrContains(wrapped_column, *unwrapped));
}

TEST_F(ClientDataKeyRepositoryTest, ARolledBackFirstSealLeavesNoKeyBehind) {
  const FieldLocation where{"intakes", "content_sealed", kJo};
  absl::Status failed = Write([&](UnitOfWork& uow) -> absl::Status {
    absl::StatusOr<std::string> sealed = cipher_.Seal(uow, kClinicA, kJo, where, kMarker);
    if (!sealed.ok()) {
      return sealed.status();
    }
    return absl::AbortedError("the request failed after sealing");
  });
  EXPECT_EQ(failed.code(), absl::StatusCode::kAborted);
  EXPECT_FALSE(FindKey().has_value());
}

}  // namespace
}  // namespace confide::persistence
