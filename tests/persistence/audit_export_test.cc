// Exports and verification against a real database (SQLite or PostgreSQL, as
// CONFIDE_TEST_DATABASE names): a sealed trail exports in every format and verifies; the RPC's
// pages concatenated are byte for byte the file `confidectl audit export` writes; a time range
// exports whole batches; the database verifier passes an untouched trail and finds an event
// edited, deleted or slipped in behind the triggers' back, and a rewritten saved checkpoint.

#include "services/audit/audit_export.h"

#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "adapters/crypto/aes_gcm_secret_box.h"
#include "adapters/crypto/openssl_checkpoint_signer.h"
#include "adapters/crypto/openssl_sha256_hasher.h"
#include "gtest/gtest.h"
#include "services/audit/audit_export_rpc.h"
#include "services/audit/audit_sealer.h"
#include "services/audit/audit_verifier.h"
#include "services/audit/ports/audit_log.h"
#include "services/audit/ports/audit_signing_key_repository.h"
#include "services/audit/ports/audit_trail_repository.h"
#include "services/audit/signing_key_rotation.h"
#include "services/common/principal.h"
#include "soci/soci.h"
#include "tests/fakes/fake_clock.h"
#include "tests/fakes/fake_id_generator.h"
#include "tests/persistence/migrated_database_test.h"

namespace confide::persistence {
namespace {

constexpr AuditExportFormat kFormats[] = {AuditExportFormat::kNdjson, AuditExportFormat::kCsv,
                                          AuditExportFormat::kFhirR4};

class AuditExportDatabaseTest : public MigratedDatabaseTest {
 protected:
  void SetUp() override {
    MigratedDatabaseTest::SetUp();
    if (HasFatalFailure()) return;
    raw_ = scratch_->OpenSession();
    AuditSealer sealer(db_->transactions(), box_, signer_, hasher_, clock_, "test", 7);
    // Three rounds of appends, each sealed: several batches per clinic, batches of up to 7.
    for (int round = 0; round < 3; ++round) {
      ASSERT_TRUE(Append(kClinicA, 17).ok());
      ASSERT_TRUE(Append(kClinicB, 5).ok());
      ASSERT_TRUE(Append("", 2).ok());
      clock_.Advance(absl::Hours(1));
      absl::StatusOr<int64_t> sealed = sealer.SealOnce();
      ASSERT_TRUE(sealed.ok()) << sealed.status();
    }
  }

  absl::Status Append(const std::string& clinic_id, int count) {
    return Write([&](UnitOfWork& uow) -> absl::Status {
      for (int i = 0; i < count; ++i) {
        const int n = next_event_++;
        clock_.Advance(absl::Seconds(1));
        AuditEvent event{.id = absl::StrCat("0193a2b4-0000-7000-8000-", 100000000000 + n),
                         .time = clock_.Now(),
                         .actor_user_id = kAlice,
                         .actor_role = "clinician",
                         .clinic_id = clinic_id,
                         .action = "confide.v1.ClientService.GetClient",
                         .resource = absl::StrCat("clients/c", n % 7),
                         .client_id = absl::StrCat("c", n % 7),
                         .outcome = n % 5 == 0 ? "denied" : "success",
                         .status_code = n % 5 == 0 ? "PERMISSION_DENIED" : "OK",
                         .request_id = absl::StrCat("req-", n),
                         .source_address = "192.0.2.7",
                         .break_glass = n % 11 == 0,
                         .detail = n % 3 == 0 ? "purpose=TREATMENT" : ""};
        if (absl::Status s = uow.audit().Append(event); !s.ok()) return s;
      }
      return absl::OkStatus();
    });
  }

  std::string Export(AuditExportFormat format, const std::string& clinic_id,
                     std::optional<absl::Time> start = std::nullopt,
                     std::optional<absl::Time> end = std::nullopt) {
    std::string out;
    absl::StatusOr<AuditExportSummary> summary =
        WriteAuditExport(db_->transactions(), hasher_, format, clinic_id, start, end, kNow,
                         [&](std::string_view part) {
                           out.append(part);
                           return absl::OkStatus();
                         });
    EXPECT_TRUE(summary.ok()) << summary.status();
    return out;
  }

  AuditVerifyReport VerifyText(const std::string& text, const AuditVerifyOptions& options = {}) {
    std::istringstream in(text);
    absl::StatusOr<AuditVerifyReport> report = VerifyAuditExport(in, hasher_, signer_, options);
    EXPECT_TRUE(report.ok()) << report.status();
    return report.ok() ? *report : AuditVerifyReport{};
  }

  AuditVerifyReport VerifyDatabase(const AuditVerifyOptions& options = {}) {
    absl::StatusOr<AuditVerifyReport> report =
        VerifyAuditDatabase(db_->transactions(), hasher_, signer_, options);
    EXPECT_TRUE(report.ok()) << report.status();
    return report.ok() ? *report : AuditVerifyReport{};
  }

  // Runs raw SQL with the events' triggers out of the way (what an attacker with file or
  // superuser access could do).
  void Tamper(const std::string& sql) {
    if (scratch_->dialect() == Dialect::kSqlite) {
      *raw_ << "DROP TRIGGER IF EXISTS audit_events_no_update";
      *raw_ << "DROP TRIGGER IF EXISTS audit_events_no_delete";
      *raw_ << sql;
    } else {
      *raw_ << "ALTER TABLE audit_events DISABLE TRIGGER USER";
      *raw_ << sql;
      *raw_ << "ALTER TABLE audit_events ENABLE TRIGGER USER";
    }
  }

  int64_t SealedSeqOf(const std::string& clinic_id, int nth) {
    long long seq = 0;
    *raw_ << "SELECT seq FROM audit_events WHERE clinic_id = :c ORDER BY seq LIMIT 1 OFFSET :n",
        soci::use(clinic_id), soci::use(nth), soci::into(seq);
    return seq;
  }

  const absl::Time kNow = absl::FromUnixSeconds(1'800'000'000);
  FakeClock clock_{absl::FromUnixSeconds(1'790'000'000)};
  AesGcmSecretBox box_{std::string(32, '1')};
  OpenSslCheckpointSigner signer_;
  OpenSslSha256Hasher hasher_;
  std::unique_ptr<soci::session> raw_;
  int next_event_ = 0;
};

TEST_F(AuditExportDatabaseTest, ExportsOfEveryClinicAndFormatVerify) {
  for (const std::string& clinic : {std::string(kClinicA), std::string(kClinicB), std::string()}) {
    for (AuditExportFormat format : kFormats) {
      SCOPED_TRACE(clinic + " " + std::string(AuditExportFormatName(format)));
      const AuditVerifyReport report = VerifyText(Export(format, clinic));
      EXPECT_TRUE(report.ok()) << FormatVerifyReport(report);
      EXPECT_EQ(report.events_verified, clinic == kClinicA ? 51 : (clinic.empty() ? 6 : 15));
      EXPECT_EQ(report.clinic_id, clinic);
    }
  }
}

TEST_F(AuditExportDatabaseTest, RpcPagesConcatenatedAreTheExportFile) {
  const Principal auditor{.user_id = kAlice, .clinic_id = kClinicA, .role = v1::ROLE_AUDITOR};
  for (AuditExportFormat format : kFormats) {
    SCOPED_TRACE(std::string(AuditExportFormatName(format)));
    v1::ExportAuditEventsRequest request;
    request.set_format(format == AuditExportFormat::kNdjson
                           ? v1::AUDIT_EXPORT_FORMAT_NDJSON
                           : (format == AuditExportFormat::kCsv ? v1::AUDIT_EXPORT_FORMAT_CSV
                                                                : v1::AUDIT_EXPORT_FORMAT_FHIR_R4));
    request.set_page_size(10);
    std::string file;
    int pages = 0;
    std::string checkpoint_hash;
    do {
      CallContext call{.request_id = "r"};
      AuditEvent audit;
      absl::StatusOr<v1::ExportAuditEventsResponse> page;
      ASSERT_TRUE(db_->transactions()
                      .Run(TransactionMode::kRead,
                           [&](UnitOfWork& uow) {
                             RequestScope scope{.principal = &auditor,
                                                .uow = uow,
                                                .call = call,
                                                .audit = audit,
                                                .now = kNow};
                             page = ExportAuditPage(request, scope, hasher_);
                             return page.status();
                           })
                      .ok())
          << page.status();
      ++pages;
      EXPECT_EQ(audit.resource, "auditEvents:export");
      EXPECT_EQ(audit.detail.substr(audit.detail.find("page=")), absl::StrCat("page=", pages));
      if (checkpoint_hash.empty()) checkpoint_hash = page->checkpoint().header_hash();
      EXPECT_EQ(page->checkpoint().header_hash(), checkpoint_hash);
      EXPECT_EQ(page->content_type(), AuditExportContentType(format));
      file += page->content();
      request.set_page_token(page->next_page_token());
      request.set_format(v1::AUDIT_EXPORT_FORMAT_UNSPECIFIED);
    } while (!request.page_token().empty() && pages < 100);
    EXPECT_GT(pages, 3);
    EXPECT_EQ(file, Export(format, kClinicA));
    EXPECT_TRUE(VerifyText(file).ok());
  }
}

TEST_F(AuditExportDatabaseTest, RpcRefusesBadRequestsNamingTheField) {
  const Principal auditor{.user_id = kAlice, .clinic_id = kClinicA, .role = v1::ROLE_AUDITOR};
  auto call_with = [&](const v1::ExportAuditEventsRequest& request) {
    CallContext call;
    AuditEvent audit;
    absl::Status result;
    (void)db_->transactions().Run(TransactionMode::kRead, [&](UnitOfWork& uow) {
      RequestScope scope{
          .principal = &auditor, .uow = uow, .call = call, .audit = audit, .now = kNow};
      result = ExportAuditPage(request, scope, hasher_).status();
      return absl::OkStatus();
    });
    return result;
  };
  v1::ExportAuditEventsRequest request;
  absl::Status s = call_with(request);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("format"), std::string::npos) << s;
  request.set_format(v1::AUDIT_EXPORT_FORMAT_CSV);
  request.set_page_size(50001);
  s = call_with(request);
  EXPECT_NE(s.message().find("page_size"), std::string::npos) << s;
  request.set_page_size(0);
  request.set_page_token("garbage");
  s = call_with(request);
  EXPECT_NE(s.message().find("page_token"), std::string::npos) << s;
  request.clear_page_token();
  request.mutable_start_time()->set_seconds(1'790'000'100);
  request.mutable_end_time()->set_seconds(1'790'000'000);
  s = call_with(request);
  EXPECT_NE(s.message().find("end_time"), std::string::npos) << s;
}

TEST_F(AuditExportDatabaseTest, TimeRangeExportsWholeBatchesAndStillVerifies) {
  // The second round's events (one hour later): batches overlapping it only.
  const absl::Time start = absl::FromUnixSeconds(1'790'000'000) + absl::Hours(1);
  const absl::Time end = start + absl::Minutes(30);
  for (AuditExportFormat format : kFormats) {
    const AuditVerifyReport report = VerifyText(Export(format, kClinicA, start, end));
    EXPECT_TRUE(report.ok()) << FormatVerifyReport(report);
    EXPECT_GT(report.events_verified, 0);
    EXPECT_LT(report.events_verified, 51);
  }
}

TEST_F(AuditExportDatabaseTest, DatabaseVerifierPassesAnUntouchedTrailAndSavedCheckpoints) {
  AuditVerifyReport report = VerifyDatabase();
  EXPECT_TRUE(report.ok()) << FormatVerifyReport(report);
  EXPECT_EQ(report.events_verified, 51 + 15 + 6);
  absl::StatusOr<std::optional<AuditBatchHeader>> first =
      Read([&](UnitOfWork& uow) { return uow.audit_trail().FindBatch(kClinicA, 2); });
  ASSERT_TRUE(first.ok() && first->has_value());
  AuditVerifyOptions options;
  options.saved_checkpoint = **first;
  report = VerifyDatabase(options);
  EXPECT_TRUE(report.ok()) << FormatVerifyReport(report);
  EXPECT_TRUE(report.saved_checkpoint_checked);
  options.saved_checkpoint->header_hash = std::string(64, 'f');
  report = VerifyDatabase(options);
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.findings[0].kind, AuditFindingKind::kCheckpointMismatch);
}

// `confidectl audit rotate-key`: the clinic's next batch is signed with a fresh key, the retired
// key stays listed (it verifies what it signed), and the trail verifies in the database and in
// every export format. A clinic without a key is told so.
TEST_F(AuditExportDatabaseTest, RotatedSigningKeySignsTheNextBatchAndTheTrailStillVerifies) {
  FakeIdGenerator ids("rotation");
  std::string retired;
  ASSERT_TRUE(Write([&](UnitOfWork& uow) -> absl::Status {
                absl::StatusOr<std::string> key_id =
                    RetireAuditSigningKey(uow, ids, kClinicA, clock_.Now());
                if (!key_id.ok()) {
                  return key_id.status();
                }
                retired = *key_id;
                return absl::OkStatus();
              }).ok());
  ASSERT_TRUE(Append(kClinicA, 3).ok());
  AuditSealer sealer(db_->transactions(), box_, signer_, hasher_, clock_, "test", 7);
  ASSERT_TRUE(sealer.SealOnce().ok());

  std::vector<AuditSigningKeyRecord> keys;
  std::optional<AuditBatchHeader> last;
  ASSERT_TRUE(db_->transactions()
                  .Run(TransactionMode::kRead,
                       [&](UnitOfWork& uow) -> absl::Status {
                         absl::StatusOr<std::vector<AuditSigningKeyRecord>> listed =
                             uow.audit_signing_keys().ListForClinic(kClinicA);
                         absl::StatusOr<std::optional<AuditBatchHeader>> found =
                             uow.audit_trail().LastBatch(kClinicA);
                         if (!listed.ok() || !found.ok()) {
                           return absl::InternalError("read failed");
                         }
                         keys = *listed;
                         last = *found;
                         return absl::OkStatus();
                       })
                  .ok());
  ASSERT_EQ(keys.size(), 2u);
  EXPECT_EQ(keys[0].key_id, retired);
  EXPECT_TRUE(keys[0].retire_time.has_value());
  EXPECT_FALSE(keys[1].retire_time.has_value());
  ASSERT_TRUE(last.has_value());
  EXPECT_EQ(last->key_id, keys[1].key_id);
  EXPECT_NE(last->key_id, retired);

  const AuditVerifyReport report = VerifyDatabase();
  EXPECT_TRUE(report.ok()) << FormatVerifyReport(report);
  for (AuditExportFormat format : kFormats) {
    const AuditVerifyReport exported = VerifyText(Export(format, kClinicA));
    EXPECT_TRUE(exported.ok()) << FormatVerifyReport(exported);
  }
  absl::Status none = Write([&](UnitOfWork& uow) -> absl::Status {
    return RetireAuditSigningKey(uow, ids, "no-such-clinic", clock_.Now()).status();
  });
  EXPECT_EQ(none.code(), absl::StatusCode::kNotFound) << none;
}

TEST_F(AuditExportDatabaseTest, DatabaseVerifierCountsEventsNotSealedYet) {
  ASSERT_TRUE(Append(kClinicA, 4).ok());
  ASSERT_TRUE(Append("", 1).ok());
  AuditVerifyReport report = VerifyDatabase();
  EXPECT_TRUE(report.ok()) << FormatVerifyReport(report);
  EXPECT_EQ(report.unsealed_events, 5);
  EXPECT_NE(FormatVerifyReport(report).find("5 events not sealed yet"), std::string::npos)
      << FormatVerifyReport(report);
  AuditVerifyOptions options;
  options.clinic_id = kClinicA;
  report = VerifyDatabase(options);
  EXPECT_EQ(report.unsealed_events, 4);
}

TEST_F(AuditExportDatabaseTest, DatabaseVerifierFindsAnEditedEvent) {
  const int64_t seq = SealedSeqOf(kClinicA, 9);
  Tamper(absl::StrCat("UPDATE audit_events SET outcome = 'success' WHERE seq = ", seq,
                      " OR seq = ", seq + 1));
  Tamper(absl::StrCat("UPDATE audit_events SET actor_user_id = 'someone-else' WHERE seq = ", seq));
  const AuditVerifyReport report = VerifyDatabase();
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.findings[0].kind, AuditFindingKind::kEdited);
  EXPECT_EQ(report.findings[0].clinic_id, kClinicA);
  EXPECT_NE(FormatVerifyReport(report).find("was changed"), std::string::npos);
}

TEST_F(AuditExportDatabaseTest, DatabaseVerifierFindsADeletedEvent) {
  Tamper(absl::StrCat("DELETE FROM audit_events WHERE seq = ", SealedSeqOf(kClinicB, 3)));
  const AuditVerifyReport report = VerifyDatabase();
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.findings[0].kind, AuditFindingKind::kMissing);
  EXPECT_EQ(report.findings[0].clinic_id, kClinicB);
}

TEST_F(AuditExportDatabaseTest, DatabaseVerifierFindsAnEventSlippedIntoTheSealedPast) {
  // A new event whose seq lies inside a sealed batch's range, and one of a clinic that had no
  // events, both below the sealed horizon.
  const int64_t seq = SealedSeqOf(kClinicA, 0);
  Tamper(absl::StrCat("UPDATE audit_events SET clinic_id = '", kClinicB, "' WHERE seq = ", seq));
  const AuditVerifyReport report = VerifyDatabase();
  ASSERT_FALSE(report.ok());
  bool missing_in_a = false;
  bool found_in_b = false;
  for (const AuditFinding& f : report.findings) {
    missing_in_a |= f.clinic_id == kClinicA && f.kind == AuditFindingKind::kMissing;
    found_in_b |= f.clinic_id == kClinicB && (f.kind == AuditFindingKind::kInserted);
  }
  EXPECT_TRUE(missing_in_a) << FormatVerifyReport(report);
  EXPECT_TRUE(found_in_b) << FormatVerifyReport(report);
}

}  // namespace
}  // namespace confide::persistence
