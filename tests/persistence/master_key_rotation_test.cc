// Master-key rotation and crypto-erasure against a real database (SQLite or PostgreSQL, as
// CONFIDE_TEST_DATABASE names): data keys, TOTP secrets, break-glass reasons and outbox tokens
// sealed under key 1 are re-sealed under key 2 in one transaction, so that everything opens with
// key 2 alone and nothing with key 1 alone; clinical content sealed under the data keys is left
// byte-for-byte; a second run re-seals nothing; a failure changes nothing.
// ClientDataKeyRepository:: Erase empties a key once and keeps its first erase time.

#include "services/crypto/master_key_rotation.h"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "adapters/crypto/aes_gcm_secret_box.h"
#include "adapters/crypto/envelope_client_data_cipher.h"
#include "adapters/crypto/openssl_secret_generator.h"
#include "gtest/gtest.h"
#include "services/auth/auth_service.h"
#include "services/auth/invitations.h"
#include "services/auth/ports/user_repository.h"
#include "services/break_glass/break_glass_service.h"
#include "services/break_glass/ports/break_glass_repository.h"
#include "services/crypto/ports/client_data_key_repository.h"
#include "services/crypto/ports/master_sealed_value_repository.h"
#include "services/intake/ports/intake_repository.h"
#include "services/messaging/ports/outbox.h"
#include "soci/soci.h"
#include "tests/fakes/fake_clock.h"
#include "tests/persistence/migrated_database_test.h"

namespace confide::persistence {
namespace {

constexpr char kJo[] = "00000000-0000-7000-8000-000000006001";
constexpr char kRiley[] = "00000000-0000-7000-8000-000000006002";
constexpr char kCasey[] = "00000000-0000-7000-8000-000000006003";
constexpr char kGrant[] = "00000000-0000-7000-8000-000000007001";
constexpr char kMessage[] = "00000000-0000-7000-8000-000000008001";
constexpr char kIntakeMarker[] = "marker-intake-answers-2c4f";

const std::string kKey1(32, '1');
const std::string kKey2(32, '2');

// Every raw value of a table column, by its row, read outside the runner.
std::map<std::string, std::string> RawColumn(soci::session& sql, const std::string& table,
                                             const std::string& id, const std::string& column) {
  std::map<std::string, std::string> values;
  std::string row_id, value;
  soci::statement st = (sql.prepare << "SELECT " << id << ", " << column << " FROM " << table,
                        soci::into(row_id), soci::into(value));
  st.execute();
  while (st.fetch()) {
    values[row_id] = value;
  }
  return values;
}

class MasterKeyRotationTest : public MigratedDatabaseTest {
 protected:
  void SetUp() override {
    MigratedDatabaseTest::SetUp();
    ASSERT_TRUE(InsertClients({NewClient(kJo, kClinicA), NewClient(kRiley, kClinicA),
                               NewClient(kCasey, kClinicB)})
                    .ok());
    // Under key 1: data keys of Jo (clinic A) and Casey (clinic B) with one intake each, Alice's
    // and Cai's TOTP secrets, Bea's pending one, a break-glass reason and an outbox token.
    absl::Status seeded = Write([&](UnitOfWork& uow) -> absl::Status {
      for (const auto& [clinic, client] : {std::pair{kClinicA, kJo}, std::pair{kClinicB, kCasey}}) {
        absl::StatusOr<std::string> sealed = cipher1_.Seal(
            uow, clinic, client, {"intakes", "answers_sealed", client}, kIntakeMarker);
        if (!sealed.ok()) {
          return sealed.status();
        }
        IntakeRecord intake{.clinic_id = clinic,
                            .client_id = client,
                            .version = 1,
                            .create_time = kCreateTime,
                            .update_time = kCreateTime,
                            .answers_sealed = *sealed};
        if (absl::Status s = uow.intakes().Insert(intake); !s.ok()) {
          return s;
        }
      }
      for (const char* user : {kAlice, kCai}) {
        if (absl::Status s = uow.users().UpdateTotpSecrets(
                user, *key1_.Seal(std::string("seed-of-") + user, TotpSecretContext(user)), "");
            !s.ok()) {
          return s;
        }
      }
      if (absl::Status s = uow.users().UpdateTotpSecrets(
              kBea, "", *key1_.Seal("pending-seed", PendingTotpSecretContext(kBea)));
          !s.ok()) {
        return s;
      }
      if (absl::Status s = uow.break_glass().Insert(BreakGlassRecord{
              .id = kGrant,
              .clinic_id = kClinicA,
              .client_id = kJo,
              .user_id = kBea,
              .reason_sealed = *key1_.Seal("reason", BreakGlassReasonContext(kGrant)),
              .create_time = kCreateTime,
              .expire_time = kCreateTime + absl::Hours(1)});
          !s.ok()) {
        return s;
      }
      return uow.outbox().Enqueue(
          OutboundMessage{.id = kMessage,
                          .clinic_id = kClinicA,
                          .recipient_email = "new@a.example",
                          .token_sealed = *key1_.Seal("token", OutboundTokenContext(kMessage)),
                          .create_time = kCreateTime});
    });
    ASSERT_TRUE(seeded.ok()) << seeded;
    raw_ = scratch_->OpenSession();
  }

  absl::StatusOr<std::vector<ColumnRotation>> Rotate(const SecretBox& from, const SecretBox& to) {
    return WriteReturning([&](UnitOfWork& uow) { return RotateMasterKey(uow, from, to); });
  }

  // Every non-empty master-sealed value with its context.
  std::vector<std::pair<std::string, std::string>> SealedValues() {
    std::vector<std::pair<std::string, std::string>> values;
    for (const auto& [user, sealed] : RawColumn(*raw_, "users", "id", "totp_secret_sealed")) {
      if (!sealed.empty()) {
        values.emplace_back(sealed, TotpSecretContext(user));
      }
    }
    for (const auto& [user, sealed] : RawColumn(*raw_, "users", "id", "totp_pending_sealed")) {
      if (!sealed.empty()) {
        values.emplace_back(sealed, PendingTotpSecretContext(user));
      }
    }
    for (const auto& [id, sealed] : RawColumn(*raw_, "break_glass_grants", "id", "reason_sealed")) {
      values.emplace_back(sealed, BreakGlassReasonContext(id));
    }
    for (const auto& [id, sealed] : RawColumn(*raw_, "outbound_messages", "id", "token_sealed")) {
      values.emplace_back(sealed, OutboundTokenContext(id));
    }
    for (const auto& [client, sealed] :
         RawColumn(*raw_, "client_data_keys", "client_id", "wrapped_key")) {
      values.emplace_back(sealed,
                          DataKeyWrapContext(client == kCasey ? kClinicB : kClinicA, client));
    }
    return values;
  }

  // Opens the intake of `client` with `cipher`.
  absl::StatusOr<std::string> OpenIntake(EnvelopeClientDataCipher& cipher, const char* clinic,
                                         const char* client) {
    const std::string sealed =
        RawColumn(*raw_, "intakes", "client_id", "answers_sealed").at(client);
    return Read([&](UnitOfWork& uow) {
      return cipher.Open(uow, clinic, client, {"intakes", "answers_sealed", client}, sealed);
    });
  }

  AesGcmSecretBox key1_{kKey1};
  AesGcmSecretBox key2_{kKey2};
  OpenSslSecretGenerator random_;
  FakeClock clock_{kCreateTime};
  EnvelopeClientDataCipher cipher1_{key1_, random_, clock_};
  EnvelopeClientDataCipher cipher2_{key2_, random_, clock_};
  std::unique_ptr<soci::session> raw_;
};

TEST_F(MasterKeyRotationTest, AfterRotationEverythingOpensWithKey2AloneAndNothingWithKey1) {
  const std::map<std::string, std::string> intakes_before =
      RawColumn(*raw_, "intakes", "client_id", "answers_sealed");
  absl::StatusOr<std::vector<ColumnRotation>> report = Rotate(key1_, key2_);
  ASSERT_TRUE(report.ok()) << report.status();
  std::map<MasterSealedColumn, int> resealed;
  for (const ColumnRotation& column : *report) {
    resealed[column.column] = column.resealed;
    EXPECT_EQ(column.already_rotated, 0);
  }
  EXPECT_EQ(resealed[MasterSealedColumn::kClientDataKey], 2);
  EXPECT_EQ(resealed[MasterSealedColumn::kTotpSecret], 2);
  EXPECT_EQ(resealed[MasterSealedColumn::kPendingTotpSecret], 1);
  EXPECT_EQ(resealed[MasterSealedColumn::kBreakGlassReason], 1);
  EXPECT_EQ(resealed[MasterSealedColumn::kOutboundToken], 1);

  const std::vector<std::pair<std::string, std::string>> values = SealedValues();
  ASSERT_EQ(values.size(), 7u);
  for (const auto& [sealed, context] : values) {
    EXPECT_TRUE(key2_.Open(sealed, context).ok()) << context;
    EXPECT_FALSE(key1_.Open(sealed, context).ok()) << context;
  }
  EXPECT_EQ(*key2_.Open(RawColumn(*raw_, "users", "id", "totp_secret_sealed").at(kAlice),
                        TotpSecretContext(kAlice)),
            std::string("seed-of-") + kAlice);

  // Clinical content: not one byte rewritten, and it opens through the re-wrapped keys only.
  EXPECT_EQ(RawColumn(*raw_, "intakes", "client_id", "answers_sealed"), intakes_before);
  for (const auto& [clinic, client] : {std::pair{kClinicA, kJo}, std::pair{kClinicB, kCasey}}) {
    absl::StatusOr<std::string> opened = OpenIntake(cipher2_, clinic, client);
    ASSERT_TRUE(opened.ok()) << opened.status();
    EXPECT_EQ(*opened, kIntakeMarker);
    EXPECT_EQ(OpenIntake(cipher1_, clinic, client).status().code(), absl::StatusCode::kDataLoss);
  }
}

// A server's first Seal for Riley (a new data key, under the old key) while the rotation is open
// must wait for it: were it committed before the rotation commits, its key would stay under the
// old master key and be lost with it. (PostgreSQL: the tables are locked; SQLite: the rotation
// is the one writer.)
TEST_F(MasterKeyRotationTest, NoOtherConnectionWritesAMasterSealedValueUntilTheRotationEnds) {
  const bool postgresql = scratch_->dialect() == Dialect::kPostgresql;
  bool concurrent_write_refused = false;
  absl::StatusOr<std::vector<ColumnRotation>> report = WriteReturning([&](UnitOfWork& uow) {
    absl::StatusOr<std::vector<ColumnRotation>> done = RotateMasterKey(uow, key1_, key2_);
    std::string clinic = kClinicA, client = kRiley,
                wrapped = *key1_.Seal(std::string(32, 'k'), DataKeyWrapContext(kClinicA, kRiley));
    long long create_time = absl::ToUnixMicros(kCreateTime);
    try {
      if (postgresql) {
        *raw_ << "SET lock_timeout = '300ms'";
      }
      *raw_ << "INSERT INTO client_data_keys (clinic_id, client_id, wrapped_key, create_time) "
               "VALUES (:clinic_id, :client_id, :wrapped_key, :create_time)",
          soci::use(clinic), soci::use(client), soci::use(wrapped), soci::use(create_time);
    } catch (const std::exception&) {
      concurrent_write_refused = true;
    }
    return done;
  });
  if (postgresql) {
    *raw_ << "RESET lock_timeout";
  }
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_TRUE(concurrent_write_refused);
  for (const auto& [sealed, context] : SealedValues()) {
    EXPECT_TRUE(key2_.Open(sealed, context).ok()) << context;
  }
}

TEST_F(MasterKeyRotationTest, ASecondRunReSealsNothing) {
  ASSERT_TRUE(Rotate(key1_, key2_).ok());
  const std::vector<std::pair<std::string, std::string>> after_first = SealedValues();
  // The operator may still name key 1 as a previous key: nothing is under it any more.
  const AesGcmSecretBox from(kKey1, {kKey1});
  absl::StatusOr<std::vector<ColumnRotation>> again = Rotate(from, key2_);
  ASSERT_TRUE(again.ok()) << again.status();
  int already = 0;
  for (const ColumnRotation& column : *again) {
    EXPECT_EQ(column.resealed, 0) << MasterSealedColumnName(column.column);
    already += column.already_rotated;
  }
  EXPECT_EQ(already, 7);
  EXPECT_EQ(SealedValues(), after_first);
}

TEST_F(MasterKeyRotationTest, AFailureHalfwayLeavesTheDatabaseUnchanged) {
  // The last column rotated holds a value of a key nobody has: everything before it was already
  // re-sealed in the transaction, and must be rolled back.
  const AesGcmSecretBox lost(std::string(32, 'x'));
  ASSERT_TRUE(Write([&](UnitOfWork& uow) {
                return uow.outbox().Enqueue(OutboundMessage{
                    .id = "00000000-0000-7000-8000-000000008002",
                    .clinic_id = kClinicB,
                    .recipient_email = "other@b.example",
                    .token_sealed = *lost.Seal(
                        "token", OutboundTokenContext("00000000-0000-7000-8000-000000008002")),
                    .create_time = kCreateTime});
              }).ok());
  const std::vector<std::pair<std::string, std::string>> before = SealedValues();
  absl::StatusOr<std::vector<ColumnRotation>> report = Rotate(key1_, key2_);
  EXPECT_EQ(report.status().code(), absl::StatusCode::kDataLoss) << report.status();
  EXPECT_TRUE(absl::StrContains(report.status().message(), "outbound_messages.token_sealed"));
  EXPECT_EQ(SealedValues(), before);
}

TEST_F(MasterKeyRotationTest, ReplacingAValueThatChangedMeanwhileIsAborted) {
  absl::StatusOr<std::vector<MasterSealedValue>> listed = Read([](UnitOfWork& uow) {
    return uow.master_sealed_values().List(MasterSealedColumn::kTotpSecret);
  });
  ASSERT_TRUE(listed.ok()) << listed.status();
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[0].clinic_id, kClinicA);
  EXPECT_EQ((*listed)[0].row_id, kAlice);
  MasterSealedValue stale = (*listed)[0];
  stale.sealed = "v1.00000000.stale";
  EXPECT_EQ(Write([&](UnitOfWork& uow) {
              return uow.master_sealed_values().Replace(MasterSealedColumn::kTotpSecret, stale,
                                                        "v1.00000000.new");
            }).code(),
            absl::StatusCode::kAborted);
  EXPECT_EQ(RawColumn(*raw_, "users", "id", "totp_secret_sealed").at(kAlice), (*listed)[0].sealed);
}

TEST_F(MasterKeyRotationTest, EraseEmptiesTheKeyOnceAndKeepsTheFirstEraseTime) {
  const absl::Time first = kCreateTime + absl::Hours(1);
  absl::StatusOr<DataKeyErasure> erased = WriteReturning(
      [&](UnitOfWork& uow) { return uow.client_data_keys().Erase(kClinicA, kJo, first); });
  ASSERT_TRUE(erased.ok()) << erased.status();
  EXPECT_TRUE(erased->erased_now);
  EXPECT_EQ(erased->erase_time, first);
  absl::StatusOr<std::optional<ClientDataKeyRecord>> key =
      Read([](UnitOfWork& uow) { return uow.client_data_keys().Find(kClinicA, kJo); });
  ASSERT_TRUE(key.ok() && key->has_value());
  EXPECT_EQ((*key)->wrapped_key, "");
  EXPECT_EQ((*key)->erase_time, first);
  EXPECT_EQ(OpenIntake(cipher1_, kClinicA, kJo).status().code(),
            absl::StatusCode::kFailedPrecondition);

  absl::StatusOr<DataKeyErasure> again = WriteReturning([&](UnitOfWork& uow) {
    return uow.client_data_keys().Erase(kClinicA, kJo, first + absl::Hours(1));
  });
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_FALSE(again->erased_now);
  EXPECT_EQ(again->erase_time, first);
  // Casey's key (another clinic) is untouched.
  ASSERT_TRUE(OpenIntake(cipher1_, kClinicB, kCasey).ok());
}

TEST_F(MasterKeyRotationTest, EraseOfAClientWithoutAKeyStoresAnErasedOne) {
  const absl::Time when = kCreateTime + absl::Minutes(5);
  absl::StatusOr<DataKeyErasure> erased = WriteReturning(
      [&](UnitOfWork& uow) { return uow.client_data_keys().Erase(kClinicA, kRiley, when); });
  ASSERT_TRUE(erased.ok()) << erased.status();
  EXPECT_TRUE(erased->erased_now);
  EXPECT_EQ(erased->erase_time, when);
  absl::StatusOr<std::string> sealed = WriteReturning([&](UnitOfWork& uow) {
    return cipher1_.Seal(uow, kClinicA, kRiley, {"intakes", "answers_sealed", kRiley}, "text");
  });
  EXPECT_EQ(sealed.status().code(), absl::StatusCode::kFailedPrecondition) << sealed.status();
  // An erased key has nothing to rotate.
  absl::StatusOr<std::vector<ColumnRotation>> report = Rotate(key1_, key2_);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ((*report)[0].column, MasterSealedColumn::kClientDataKey);
  EXPECT_EQ((*report)[0].resealed, 2);
}

}  // namespace
}  // namespace confide::persistence
