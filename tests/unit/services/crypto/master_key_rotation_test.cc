// RotateMasterKey over the in-memory database: every column sealed by the master key is re-sealed
// under the new key, clinical content sealed under the data keys is left byte-for-byte as it
// was (and still opens), a second run re-seals nothing, and a value no key opens stops the
// whole rotation with nothing changed.

#include "services/crypto/master_key_rotation.h"

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "adapters/crypto/aes_gcm_secret_box.h"
#include "adapters/crypto/envelope_client_data_cipher.h"
#include "gtest/gtest.h"
#include "services/audit/audit_sealer.h"
#include "services/auth/auth_service.h"
#include "services/auth/invitations.h"
#include "services/break_glass/break_glass_service.h"
#include "services/crypto/ports/client_data_key_repository.h"
#include "tests/fakes/fake_clock.h"
#include "tests/fakes/fake_secret_generator.h"
#include "tests/fakes/in_memory_unit_of_work.h"

namespace confide {
namespace {

constexpr char kClinic[] = "00000000-0000-7000-8000-0000000000a1";
constexpr char kJo[] = "00000000-0000-7000-8000-00000000c001";
constexpr char kRiley[] = "00000000-0000-7000-8000-00000000c002";
constexpr char kErased[] = "00000000-0000-7000-8000-00000000c003";
constexpr char kSam[] = "00000000-0000-7000-8000-00000000a001";
constexpr char kAlex[] = "00000000-0000-7000-8000-00000000a002";
constexpr char kGrant[] = "00000000-0000-7000-8000-00000000b001";
constexpr char kMessage[] = "00000000-0000-7000-8000-00000000d001";
constexpr char kAuditKey[] = "ab12";
constexpr char kIntakeText[] = "marker-intake-answers-5d1e";
const FieldLocation kIntake{"intakes", "answers_sealed", kJo};

const std::string kOldKey(32, 'o');
const std::string kNewKey(32, 'n');

// Every stored master-sealed value, by column name and row, to compare states.
std::map<std::string, std::string> Snapshot(const InMemoryDatabase& db) {
  std::map<std::string, std::string> values;
  for (const auto& [key, row] : db.client_data_keys) {
    values["key:" + row.client_id] = row.wrapped_key;
  }
  for (const auto& [id, user] : db.users) {
    values["totp:" + id] = user.totp_secret_sealed;
    values["pending:" + id] = user.totp_pending_sealed;
  }
  for (const auto& [id, grant] : db.break_glass_grants) {
    values["reason:" + id] = grant.reason_sealed;
  }
  for (const auto& [id, message] : db.outbox) {
    values["token:" + id] = message.token_sealed;
  }
  return values;
}

class MasterKeyRotationTest : public ::testing::Test {
 protected:
  MasterKeyRotationTest() { Seed(old_box_); }

  // Stores one value of every column sealed by `box` (Alex has no TOTP secret and Riley's key
  // was erased: empty values are not rotated), and one intake value sealed under Jo's data key.
  void Seed(const SecretBox& box) {
    ASSERT_TRUE(runner_
                    .Seed([&](UnitOfWork& uow) {
                      InMemoryDatabase& db = static_cast<InMemoryUnitOfWork&>(uow).state();
                      for (const char* id : {kSam, kAlex}) {
                        UserRecord user;
                        user.user.set_id(id);
                        user.user.set_clinic_id(kClinic);
                        db.users.emplace(id, user);
                      }
                      db.users[kSam].totp_secret_sealed =
                          *box.Seal("sam-totp-seed", TotpSecretContext(kSam));
                      db.users[kSam].totp_pending_sealed =
                          *box.Seal("sam-pending-seed", PendingTotpSecretContext(kSam));
                      db.break_glass_grants[kGrant] = BreakGlassRecord{
                          .id = kGrant,
                          .clinic_id = kClinic,
                          .client_id = kJo,
                          .user_id = kAlex,
                          .reason_sealed = *box.Seal("reason", BreakGlassReasonContext(kGrant))};
                      db.outbox[kMessage] =
                          OutboundMessage{.id = kMessage,
                                          .clinic_id = kClinic,
                                          .token_sealed = *box.Seal(
                                              "one-time-token", OutboundTokenContext(kMessage))};
                      db.audit_signing_keys[kAuditKey] = AuditSigningKeyRecord{
                          .key_id = kAuditKey,
                          .clinic_id = kClinic,
                          .public_key = "cHVibGlj",
                          .sealed_private_key =
                              *box.Seal("ed25519-private", AuditSigningKeyContext(kAuditKey))};
                      db.client_data_keys[{kClinic, kRiley}] = ClientDataKeyRecord{
                          .clinic_id = kClinic, .client_id = kRiley, .erase_time = kNow};
                      EnvelopeClientDataCipher cipher(box, random_, clock_);
                      absl::StatusOr<std::string> sealed =
                          cipher.Seal(uow, kClinic, kJo, kIntake, kIntakeText);
                      if (!sealed.ok()) {
                        return sealed.status();
                      }
                      intake_sealed_ = *sealed;
                      return absl::OkStatus();
                    })
                    .ok());
  }

  absl::StatusOr<std::vector<ColumnRotation>> Rotate(const SecretBox& from, const SecretBox& to) {
    absl::StatusOr<std::vector<ColumnRotation>> report;
    absl::Status status = runner_.Run(TransactionMode::kWrite, [&](UnitOfWork& uow) {
      report = RotateMasterKey(uow, from, to);
      return report.status();
    });
    if (!status.ok()) {
      return status;
    }
    return report;
  }

  // Whether every master-sealed value opens with `box` under its own context.
  static void ExpectAllOpenWith(const SecretBox& box, const InMemoryDatabase& db, bool open) {
    std::vector<std::pair<std::string, std::string>> values = {
        {db.users.at(kSam).totp_secret_sealed, TotpSecretContext(kSam)},
        {db.users.at(kSam).totp_pending_sealed, PendingTotpSecretContext(kSam)},
        {db.break_glass_grants.at(kGrant).reason_sealed, BreakGlassReasonContext(kGrant)},
        {db.outbox.at(kMessage).token_sealed, OutboundTokenContext(kMessage)},
        {db.audit_signing_keys.at(kAuditKey).sealed_private_key, AuditSigningKeyContext(kAuditKey)},
        {db.client_data_keys.at({kClinic, kJo}).wrapped_key, DataKeyWrapContext(kClinic, kJo)}};
    for (const auto& [sealed, context] : values) {
      EXPECT_EQ(box.Open(sealed, context).ok(), open) << context;
    }
  }

  static constexpr absl::Time kNow = absl::FromUnixSeconds(1'800'000'000);
  FakeClock clock_{kNow};
  FakeSecretGenerator random_;
  InMemoryTransactionRunner runner_;
  AesGcmSecretBox old_box_{kOldKey};
  AesGcmSecretBox new_box_{kNewKey};
  std::string intake_sealed_;
};

TEST_F(MasterKeyRotationTest, ReSealsEveryColumnSoEverythingOpensWithTheNewKeyAlone) {
  absl::StatusOr<std::vector<ColumnRotation>> report = Rotate(old_box_, new_box_);
  ASSERT_TRUE(report.ok()) << report.status();
  ASSERT_EQ(report->size(), std::size(kAllMasterSealedColumns));
  for (size_t i = 0; i < report->size(); ++i) {
    EXPECT_EQ((*report)[i].column, kAllMasterSealedColumns[i]);
    EXPECT_EQ((*report)[i].resealed, 1) << MasterSealedColumnName((*report)[i].column);
    EXPECT_EQ((*report)[i].already_rotated, 0);
  }
  const InMemoryDatabase db = runner_.Committed();
  ExpectAllOpenWith(new_box_, db, true);
  ExpectAllOpenWith(old_box_, db, false);
  // The erased key stays erased.
  EXPECT_TRUE(db.client_data_keys.at({kClinic, kRiley}).wrapped_key.empty());
  EXPECT_EQ(*new_box_.Open(db.users.at(kSam).totp_secret_sealed, TotpSecretContext(kSam)),
            "sam-totp-seed");
}

TEST_F(MasterKeyRotationTest, ClinicalContentIsNotRewrittenAndOpensUnderTheNewKey) {
  ASSERT_TRUE(Rotate(old_box_, new_box_).ok());
  // The intake value itself was never part of the rotation: it is the same text, and the
  // re-wrapped data key still opens it.
  EnvelopeClientDataCipher new_cipher(new_box_, random_, clock_);
  absl::StatusOr<std::string> opened = absl::InternalError("not run");
  ASSERT_TRUE(runner_
                  .Run(TransactionMode::kRead,
                       [&](UnitOfWork& uow) {
                         opened = new_cipher.Open(uow, kClinic, kJo, kIntake, intake_sealed_);
                         return absl::OkStatus();
                       })
                  .ok());
  ASSERT_TRUE(opened.ok()) << opened.status();
  EXPECT_EQ(*opened, kIntakeText);
}

TEST_F(MasterKeyRotationTest, ASecondRunReSealsNothingAndChangesNothing) {
  ASSERT_TRUE(Rotate(old_box_, new_box_).ok());
  const std::map<std::string, std::string> after_first = Snapshot(runner_.Committed());
  absl::StatusOr<std::vector<ColumnRotation>> again = Rotate(old_box_, new_box_);
  ASSERT_TRUE(again.ok()) << again.status();
  for (const ColumnRotation& column : *again) {
    EXPECT_EQ(column.resealed, 0) << MasterSealedColumnName(column.column);
    EXPECT_EQ(column.already_rotated, 1) << MasterSealedColumnName(column.column);
  }
  EXPECT_EQ(Snapshot(runner_.Committed()), after_first);
}

// Values sealed under a key older than the current one (an earlier, unfinished rotation) open
// with the previous keys the current box holds.
TEST_F(MasterKeyRotationTest, ValuesOfPreviousKeysAreRotatedToo) {
  const std::string older_key(32, 'p');
  const AesGcmSecretBox older(older_key);
  ASSERT_TRUE(runner_
                  .Seed([&](UnitOfWork& uow) {
                    InMemoryDatabase& db = static_cast<InMemoryUnitOfWork&>(uow).state();
                    db.users[kAlex].totp_secret_sealed =
                        *older.Seal("alex-totp-seed", TotpSecretContext(kAlex));
                    return absl::OkStatus();
                  })
                  .ok());
  const AesGcmSecretBox current(kOldKey, {older_key});
  absl::StatusOr<std::vector<ColumnRotation>> report = Rotate(current, new_box_);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ((*report)[1].column, MasterSealedColumn::kTotpSecret);
  EXPECT_EQ((*report)[1].resealed, 2);
  EXPECT_EQ(*new_box_.Open(runner_.Committed().users.at(kAlex).totp_secret_sealed,
                           TotpSecretContext(kAlex)),
            "alex-totp-seed");
}

// One unreadable value must not leave the database half under each key.
TEST_F(MasterKeyRotationTest, AValueNoKeyOpensStopsTheRotationWithNothingChanged) {
  const AesGcmSecretBox unknown(std::string(32, 'u'));
  ASSERT_TRUE(runner_
                  .Seed([&](UnitOfWork& uow) {
                    InMemoryDatabase& db = static_cast<InMemoryUnitOfWork&>(uow).state();
                    db.outbox[kMessage].token_sealed =
                        *unknown.Seal("lost-token", OutboundTokenContext(kMessage));
                    return absl::OkStatus();
                  })
                  .ok());
  const std::map<std::string, std::string> before = Snapshot(runner_.Committed());
  absl::StatusOr<std::vector<ColumnRotation>> report = Rotate(old_box_, new_box_);
  EXPECT_EQ(report.status().code(), absl::StatusCode::kDataLoss) << report.status();
  EXPECT_TRUE(absl::StrContains(report.status().message(), "outbound_messages.token_sealed"));
  EXPECT_TRUE(absl::StrContains(report.status().message(), kMessage));
  EXPECT_FALSE(absl::StrContains(report.status().message(), "lost-token"));
  EXPECT_EQ(Snapshot(runner_.Committed()), before);
}

// A value moved to another row does not open there, so it cannot be rotated either.
TEST_F(MasterKeyRotationTest, AValueCopiedToAnotherRowIsDataLoss) {
  ASSERT_TRUE(runner_
                  .Seed([&](UnitOfWork& uow) {
                    InMemoryDatabase& db = static_cast<InMemoryUnitOfWork&>(uow).state();
                    db.users[kAlex].totp_secret_sealed = db.users[kSam].totp_secret_sealed;
                    return absl::OkStatus();
                  })
                  .ok());
  EXPECT_EQ(Rotate(old_box_, new_box_).status().code(), absl::StatusCode::kDataLoss);
}

// A box that seals under `inner` and, at its last re-seal, lets `meanwhile` run: what a server
// commits while the rotation runs (PostgreSQL's statements see it).
class BoxWithWriteMeanwhile final : public SecretBox {
 public:
  BoxWithWriteMeanwhile(const SecretBox& inner, std::function<void()> meanwhile)
      : inner_(inner), meanwhile_(std::move(meanwhile)) {}
  absl::StatusOr<std::string> Seal(std::string_view plaintext,
                                   std::string_view context) const override {
    if (context.starts_with("outbound_messages") && meanwhile_) {
      meanwhile_();
    }
    return inner_.Seal(plaintext, context);
  }
  absl::StatusOr<std::string> Open(std::string_view sealed,
                                   std::string_view context) const override {
    return inner_.Open(sealed, context);
  }

 private:
  const SecretBox& inner_;
  std::function<void()> meanwhile_;
};

// A server still sealing under the old key makes a new client's data key after the data keys
// were listed: the rotation must not report success and leave that key to be lost with the old
// master key.
TEST_F(MasterKeyRotationTest, AValueSealedUnderTheOldKeyMeanwhileAbortsTheRotation) {
  constexpr char kNewClient[] = "00000000-0000-7000-8000-00000000c004";
  const std::map<std::string, std::string> before = Snapshot(runner_.Committed());
  absl::StatusOr<std::vector<ColumnRotation>> report;
  absl::Status status = runner_.Run(TransactionMode::kWrite, [&](UnitOfWork& uow) {
    InMemoryDatabase& db = static_cast<InMemoryUnitOfWork&>(uow).state();
    const BoxWithWriteMeanwhile to(new_box_, [&] {
      db.client_data_keys[{kClinic, kNewClient}] =
          ClientDataKeyRecord{.clinic_id = kClinic,
                              .client_id = kNewClient,
                              .wrapped_key = *old_box_.Seal(
                                  std::string(32, 'k'), DataKeyWrapContext(kClinic, kNewClient)),
                              .create_time = kNow};
    });
    report = RotateMasterKey(uow, old_box_, to);
    return report.status();
  });
  EXPECT_EQ(status.code(), absl::StatusCode::kAborted) << status;
  EXPECT_TRUE(absl::StrContains(status.message(), "client_data_keys.wrapped_key")) << status;
  EXPECT_TRUE(absl::StrContains(status.message(), kNewClient)) << status;
  EXPECT_EQ(Snapshot(runner_.Committed()), before);
}

TEST(MasterSealedContextTest, NamesTheSameContextsTheServicesSealWith) {
  const MasterSealedValue row{.clinic_id = "c", .row_id = "r", .sealed = "x"};
  EXPECT_EQ(MasterSealedContext(MasterSealedColumn::kClientDataKey, row), "client_data_keys:c/r");
  EXPECT_EQ(MasterSealedContext(MasterSealedColumn::kTotpSecret, row), TotpSecretContext("r"));
  EXPECT_EQ(MasterSealedContext(MasterSealedColumn::kPendingTotpSecret, row),
            PendingTotpSecretContext("r"));
  EXPECT_EQ(MasterSealedContext(MasterSealedColumn::kBreakGlassReason, row),
            "break_glass_grants.reason_sealed:r");
  EXPECT_EQ(MasterSealedContext(MasterSealedColumn::kOutboundToken, row),
            OutboundTokenContext("r"));
  EXPECT_EQ(MasterSealedContext(MasterSealedColumn::kAuditSigningKey, row),
            "audit_signing_keys.private_key:r");
}

}  // namespace
}  // namespace confide
