#include "apps/audit_commands.h"

#include <cstdio>
#include <fstream>
#include <iterator>
#include <optional>
#include <sstream>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "adapters/crypto/aes_gcm_secret_box.h"
#include "adapters/crypto/openssl_checkpoint_signer.h"
#include "adapters/crypto/openssl_sha256_hasher.h"
#include "adapters/crypto/uuid7_id_generator.h"
#include "apps/master_keys.h"
#include "services/audit/audit_export.h"
#include "services/audit/audit_sealer.h"
#include "services/audit/audit_verifier.h"
#include "services/audit/ports/audit_trail_repository.h"
#include "services/audit/signing_key_rotation.h"
#include "services/common/system_clock.h"

namespace confide::app {
namespace {

// Exit codes: 0 verified / done, 1 findings, 2 could not run.
int Fail(const absl::Status& status) {
  std::fprintf(stderr, "confidectl: %s\n", status.ToString().c_str());
  return 2;
}

absl::StatusOr<std::optional<absl::Time>> ParseWhen(const std::string& text, const char* flag) {
  if (text.empty()) {
    return std::optional<absl::Time>();
  }
  absl::Time t;
  std::string error;
  if (absl::ParseTime(absl::RFC3339_full, text, &t, &error) ||
      absl::ParseTime("%Y-%m-%d", text, absl::UTCTimeZone(), &t, &error)) {
    return std::optional<absl::Time>(t);
  }
  return absl::InvalidArgumentError(absl::StrCat(
      flag, " must be an RFC 3339 time (2026-01-31T00:00:00Z) or a date (2026-01-31)"));
}

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::NotFoundError(absl::StrCat("cannot open ", path));
  }
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

absl::Status LoadOptions(const std::string& saved_checkpoint_file, const std::string& keys_file,
                         AuditVerifyOptions& options) {
  if (!saved_checkpoint_file.empty()) {
    absl::StatusOr<std::string> text = ReadFile(saved_checkpoint_file);
    if (!text.ok()) {
      return text.status();
    }
    absl::StatusOr<AuditBatchHeader> saved = ParseCheckpointJson(*text);
    if (!saved.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat(saved_checkpoint_file, " is not a saved checkpoint (AuditCheckpoint JSON)"));
    }
    options.saved_checkpoint = *saved;
  }
  if (!keys_file.empty()) {
    absl::StatusOr<std::string> text = ReadFile(keys_file);
    if (!text.ok()) {
      return text.status();
    }
    absl::StatusOr<std::vector<AuditSigningKeyRecord>> keys = ParseAuditKeysJson(*text);
    if (!keys.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat(keys_file, " is not a key list (ListAuditKeys JSON, {\"keys\": [...]})"));
    }
    options.pinned_keys = *keys;
  }
  return absl::OkStatus();
}

int Report(const AuditVerifyReport& report) {
  std::fputs(FormatVerifyReport(report).c_str(), stdout);
  return report.ok() ? 0 : 1;
}

}  // namespace

AuditCommands::AuditCommands(CLI::App& cli) {
  audit_ = cli.add_subcommand("audit", "the tamper-evident audit trail");
  audit_->require_subcommand(1);
  export_ = audit_->add_subcommand(
      "export", "write a verifiable export of a clinic's sealed trail (reads the database)");
  export_->add_option("--clinic-id", clinic_id_, "clinic id (\"\" = the deployment's own trail)")
      ->required();
  export_->add_option("--format", format_, "ndjson (default), csv or fhir")
      ->check(CLI::IsMember({"ndjson", "csv", "fhir"}));
  export_->add_option("--start", start_, "batches with events at or after this time (RFC 3339)");
  export_->add_option("--end", end_, "batches with events before this time (RFC 3339)");
  export_->add_option("--out", out_, "file to write")->required();

  verify_ = audit_->add_subcommand(
      "verify", "verify an export file (any format) or, with --database, the database's trail");
  verify_->add_option("file", file_, "export file (NDJSON, CSV or FHIR R4 Bundle)");
  verify_->add_flag("--database", database_, "verify the database (--database-url) instead");
  verify_->add_option("--clinic-id", verify_clinic_id_, "with --database: only this clinic");
  verify_->add_option(
      "--checkpoint", saved_checkpoint_file_,
      "a checkpoint saved earlier (`audit checkpoint` or GET /v1/audit/checkpoint)");
  verify_->add_option("--keys", keys_file_,
                      "pin the verification keys (GET /v1/audit/keys JSON) instead of the "
                      "export's own");

  checkpoint_ = audit_->add_subcommand(
      "checkpoint", "print a clinic's latest signed checkpoint as JSON, to save");
  checkpoint_
      ->add_option("--clinic-id", checkpoint_clinic_id_,
                   "clinic id (\"\" = the deployment's own trail)")
      ->required();

  seal_ = audit_->add_subcommand(
      "seal",
      "seal every committed event now (the server does this every second; for "
      "maintenance and benchmarks)");
  seal_->add_option("--batch-events", seal_batch_events_, "most events per sealing round")
      ->check(CLI::Range(1, 1000000));

  rotate_key_ = audit_->add_subcommand(
      "rotate-key",
      "retire a clinic's checkpoint signing key; the next batch is signed with a new one (the "
      "old key stays published and still verifies what it signed)");
  rotate_key_
      ->add_option("--clinic-id", rotate_clinic_id_,
                   "clinic id (\"\" = the deployment's own trail)")
      ->required();
}

bool AuditCommands::offline() const { return verify_->parsed() && !database_; }

bool AuditCommands::needs_database() const {
  return export_->parsed() || checkpoint_->parsed() || seal_->parsed() || rotate_key_->parsed() ||
         (verify_->parsed() && database_);
}

int AuditCommands::RunOffline() {
  if (file_.empty()) {
    return Fail(absl::InvalidArgumentError("audit verify needs an export FILE or --database"));
  }
  AuditVerifyOptions options;
  if (absl::Status s = LoadOptions(saved_checkpoint_file_, keys_file_, options); !s.ok()) {
    return Fail(s);
  }
  std::ifstream in(file_, std::ios::binary);
  if (!in) {
    return Fail(absl::NotFoundError(absl::StrCat("cannot open ", file_)));
  }
  OpenSslSha256Hasher hasher;
  OpenSslCheckpointSigner signer;
  absl::StatusOr<AuditVerifyReport> report = VerifyAuditExport(in, hasher, signer, options);
  if (!report.ok()) {
    return Fail(report.status());
  }
  return Report(*report);
}

int AuditCommands::RunWithDatabase(TransactionRunner& transactions, const ServerConfig& config) {
  OpenSslSha256Hasher hasher;
  OpenSslCheckpointSigner signer;
  if (seal_->parsed()) {
    absl::StatusOr<MasterKeys> keys = LoadMasterKeys(config);
    if (!keys.ok()) {
      return Fail(keys.status());
    }
    AesGcmSecretBox box(std::move(keys->current), std::move(keys->previous));
    SystemClock clock;
    AuditSealer sealer(transactions, box, signer, hasher, clock, "confidectl", seal_batch_events_);
    absl::StatusOr<int64_t> sealed = sealer.SealOnce();
    if (!sealed.ok()) {
      return Fail(sealed.status());
    }
    std::printf("sealed %lld events\n", static_cast<long long>(*sealed));
    return 0;
  }
  if (rotate_key_->parsed()) {
    SystemClock clock;
    Uuid7IdGenerator ids(clock);
    std::string retired;
    absl::Status status = transactions.Run(TransactionMode::kWrite, [&](UnitOfWork& uow) {
      absl::StatusOr<std::string> key_id =
          RetireAuditSigningKey(uow, ids, rotate_clinic_id_, clock.Now());
      if (!key_id.ok()) {
        return key_id.status();
      }
      retired = *key_id;
      return absl::OkStatus();
    });
    if (!status.ok()) {
      return Fail(status);
    }
    std::printf("retired audit signing key %s; the next batch is signed with a new key\n",
                retired.c_str());
    return 0;
  }
  if (verify_->parsed()) {
    if (!file_.empty()) {
      return Fail(absl::InvalidArgumentError("give either an export FILE or --database"));
    }
    AuditVerifyOptions options;
    if (absl::Status s = LoadOptions(saved_checkpoint_file_, keys_file_, options); !s.ok()) {
      return Fail(s);
    }
    if (verify_->count("--clinic-id") > 0) {
      options.clinic_id = verify_clinic_id_;
    }
    absl::StatusOr<AuditVerifyReport> report =
        VerifyAuditDatabase(transactions, hasher, signer, options);
    if (!report.ok()) {
      return Fail(report.status());
    }
    return Report(*report);
  }
  if (checkpoint_->parsed()) {
    std::optional<AuditBatchHeader> last;
    absl::Status status = transactions.Run(TransactionMode::kRead, [&](UnitOfWork& uow) {
      absl::StatusOr<std::optional<AuditBatchHeader>> found =
          uow.audit_trail().LastBatch(checkpoint_clinic_id_);
      if (!found.ok()) {
        return found.status();
      }
      last = *found;
      return absl::OkStatus();
    });
    if (!status.ok()) {
      return Fail(status);
    }
    if (!last.has_value()) {
      return Fail(absl::NotFoundError("nothing is sealed yet in this clinic's audit trail"));
    }
    std::printf("%s\n", CheckpointJson(*last).c_str());
    return 0;
  }
  // audit export
  const std::optional<AuditExportFormat> format = AuditExportFormatFromName(format_);
  absl::StatusOr<std::optional<absl::Time>> start = ParseWhen(start_, "--start");
  if (!start.ok()) {
    return Fail(start.status());
  }
  absl::StatusOr<std::optional<absl::Time>> end = ParseWhen(end_, "--end");
  if (!end.ok()) {
    return Fail(end.status());
  }
  std::ofstream out(out_, std::ios::binary | std::ios::trunc);
  if (!out) {
    return Fail(absl::UnavailableError(absl::StrCat("cannot write ", out_)));
  }
  SystemClock clock;
  absl::StatusOr<AuditExportSummary> summary = WriteAuditExport(
      transactions, hasher, format.value_or(AuditExportFormat::kNdjson), clinic_id_, *start, *end,
      clock.Now(), [&](std::string_view part) {
        out.write(part.data(), static_cast<std::streamsize>(part.size()));
        return out ? absl::OkStatus() : absl::UnavailableError(absl::StrCat("cannot write ", out_));
      });
  if (!summary.ok()) {
    return Fail(summary.status());
  }
  out.close();
  if (!out) {
    return Fail(absl::UnavailableError(absl::StrCat("cannot write ", out_)));
  }
  std::printf("exported %lld events in %lld batches (and %lld later checkpoint headers) to %s\n",
              static_cast<long long>(summary->events), static_cast<long long>(summary->batches),
              static_cast<long long>(summary->chain_headers), out_.c_str());
  return 0;
}

}  // namespace confide::app
