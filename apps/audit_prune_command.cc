#include "apps/audit_prune_command.h"

#include <openssl/evp.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "adapters/crypto/openssl_checkpoint_signer.h"
#include "adapters/crypto/openssl_sha256_hasher.h"
#include "adapters/crypto/uuid7_id_generator.h"
#include "services/audit/audit_event.h"
#include "services/audit/audit_export.h"
#include "services/audit/audit_verifier.h"
#include "services/audit/ports/audit_log.h"
#include "services/audit/ports/audit_signing_key_repository.h"
#include "services/audit/ports/audit_trail_repository.h"
#include "services/common/system_clock.h"

namespace confide::app {
namespace {

constexpr int kHeadersPerRead = 500;

std::string DayText(absl::CivilDay day) { return absl::FormatCivilTime(day); }

// Lowercase hex SHA-256 of a file, read in chunks.
absl::StatusOr<std::string> FileSha256(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::UnavailableError(absl::StrCat("cannot read the archive ", path));
  }
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  if (ctx == nullptr || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1) {
    return absl::InternalError("SHA-256 is unavailable");
  }
  std::vector<char> buffer(1 << 16);
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    if (in.gcount() > 0 &&
        EVP_DigestUpdate(ctx.get(), buffer.data(), static_cast<size_t>(in.gcount())) != 1) {
      return absl::InternalError("SHA-256 failed");
    }
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (EVP_DigestFinal_ex(ctx.get(), digest, &size) != 1) {
    return absl::InternalError("SHA-256 failed");
  }
  return absl::BytesToHexString(
      std::string(reinterpret_cast<const char*>(digest), static_cast<size_t>(size)));
}

// What the prune will cover, read in one transaction.
struct PrunePlan {
  std::optional<AuditPruneRecord> last_prune;
  int64_t first_batch_no = 0;
  int64_t through_batch_no = 0;  // < first_batch_no: nothing to prune
  AuditBatchHeader checkpoint;
  std::vector<AuditSigningKeyRecord> keys;
};

absl::StatusOr<PrunePlan> Plan(UnitOfWork& uow, const std::string& clinic, absl::Time cutoff) {
  PrunePlan plan;
  absl::StatusOr<std::optional<AuditPruneRecord>> last = uow.audit_trail().LastPrune(clinic);
  if (!last.ok()) {
    return last.status();
  }
  plan.last_prune = *last;
  plan.first_batch_no = last->has_value() ? (*last)->through_batch_no + 1 : 1;
  absl::StatusOr<std::optional<AuditBatchHeader>> latest = uow.audit_trail().LastBatch(clinic);
  if (!latest.ok()) {
    return latest.status();
  }
  if (!latest->has_value()) {
    plan.through_batch_no = 0;
    return plan;
  }
  plan.checkpoint = **latest;
  absl::StatusOr<std::optional<int64_t>> keep =
      uow.audit_trail().FirstBatchEndingAtOrAfter(clinic, cutoff);
  if (!keep.ok()) {
    return keep.status();
  }
  plan.through_batch_no = keep->has_value() ? **keep - 1 : plan.checkpoint.batch_no;
  absl::StatusOr<std::vector<AuditSigningKeyRecord>> keys =
      uow.audit_signing_keys().ListForClinic(clinic);
  if (!keys.ok()) {
    return keys.status();
  }
  plan.keys = *std::move(keys);
  for (AuditSigningKeyRecord& key : plan.keys) {
    key.sealed_private_key.clear();
  }
  return plan;
}

// Writes the archive: an export whose scope is exactly the batches to prune, each read in its
// own transaction, then the later headers up to the checkpoint. Returns the events written.
absl::StatusOr<int64_t> WriteArchive(TransactionRunner& transactions, const Sha256Hasher& hasher,
                                     const PrunePlan& plan, const std::string& clinic,
                                     absl::Time now, std::ostream& out) {
  AuditExportPreamble preamble{.clinic_id = clinic,
                               .first_batch_no = plan.first_batch_no,
                               .last_batch_no = plan.through_batch_no,
                               .checkpoint = plan.checkpoint,
                               .keys = plan.keys,
                               .export_time = now};
  const AuditExportFormat format = AuditExportFormat::kNdjson;
  out << ExportPreamble(format, preamble);
  AuditExportSummary summary;
  for (int64_t no = plan.first_batch_no; no <= plan.through_batch_no; ++no) {
    AuditBatchHeader header;
    std::vector<AuditEvent> events;
    absl::Status read = transactions.Run(TransactionMode::kRead, [&](UnitOfWork& uow) {
      absl::StatusOr<std::optional<AuditBatchHeader>> found =
          uow.audit_trail().FindBatch(clinic, no);
      if (!found.ok()) {
        return found.status();
      }
      if (!found->has_value()) {
        return absl::DataLossError(absl::StrCat("batch ", no, " is missing from the chain"));
      }
      header = **found;
      absl::StatusOr<std::vector<AuditEvent>> got = uow.audit_trail().ClinicEventsInRange(
          clinic, header.seq_after, header.seq_through, static_cast<int>(header.leaf_count + 1));
      if (!got.ok()) {
        return got.status();
      }
      events = *std::move(got);
      return absl::OkStatus();
    });
    if (!read.ok()) {
      return read;
    }
    if (static_cast<int64_t>(events.size()) != header.leaf_count) {
      return absl::DataLossError(absl::StrCat(
          "batch ", no, " has ", events.size(), " events but its signed header says ",
          header.leaf_count, ": run `confidectl audit verify --database` before pruning"));
    }
    out << ExportBatch(format, hasher, header, events);
    ++summary.batches;
    summary.events += static_cast<int64_t>(events.size());
  }
  for (int64_t next = plan.through_batch_no + 1; next <= plan.checkpoint.batch_no;) {
    std::vector<AuditBatchHeader> headers;
    absl::Status read = transactions.Run(TransactionMode::kRead, [&](UnitOfWork& uow) {
      absl::StatusOr<std::vector<AuditBatchHeader>> got =
          uow.audit_trail().ListBatches(clinic, next, kHeadersPerRead);
      if (!got.ok()) {
        return got.status();
      }
      headers = *std::move(got);
      return absl::OkStatus();
    });
    if (!read.ok()) {
      return read;
    }
    if (headers.empty()) {
      return absl::DataLossError(absl::StrCat("batch ", next, " is missing from the chain"));
    }
    for (const AuditBatchHeader& header : headers) {
      if (header.batch_no > plan.checkpoint.batch_no) {
        break;
      }
      out << ExportChainHeader(format, header);
      ++summary.chain_headers;
      next = header.batch_no + 1;
    }
  }
  out << ExportClosing(format, summary);
  out.flush();
  if (!out) {
    return absl::UnavailableError("writing the archive failed");
  }
  return summary.events;
}

}  // namespace

std::optional<absl::CivilDay> ParseDay(const std::string& text) {
  absl::CivilDay day;
  if (text.size() != 10 || !absl::ParseCivilTime(text, &day) || DayText(day) != text) {
    return std::nullopt;
  }
  return day;
}

absl::StatusOr<std::string> RunAuditPrune(TransactionRunner& transactions,
                                          const Sha256Hasher& hasher,
                                          const CheckpointSigner& signer, IdGenerator& ids,
                                          const Clock& clock, const AuditPruneOptions& options) {
  if (options.retention_years < 1) {
    return absl::InvalidArgumentError("audit.retention_years must be at least 1");
  }
  const absl::Time now = clock.Now();
  const absl::CivilDay today = absl::ToCivilDay(now, absl::UTCTimeZone());
  const absl::CivilDay retention_cutoff(today.year() - options.retention_years, today.month(),
                                        today.day());
  absl::CivilDay cutoff_day = retention_cutoff;
  if (options.before.has_value()) {
    if (*options.before > retention_cutoff) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--before ", DayText(*options.before), " is later than the retention cutoff ",
          DayText(retention_cutoff), " (audit.retention_years = ", options.retention_years,
          "): events after it must still be kept; give an earlier date or none"));
    }
    cutoff_day = *options.before;
  }
  const absl::Time cutoff = absl::FromCivil(cutoff_day, absl::UTCTimeZone());
  const std::string& clinic = options.clinic_id;

  PrunePlan plan;
  absl::Status planned = transactions.Run(TransactionMode::kRead, [&](UnitOfWork& uow) {
    absl::StatusOr<PrunePlan> got = Plan(uow, clinic, cutoff);
    if (!got.ok()) {
      return got.status();
    }
    plan = *std::move(got);
    return absl::OkStatus();
  });
  if (!planned.ok()) {
    return planned;
  }
  if (plan.through_batch_no < plan.first_batch_no) {
    return absl::StrCat("Nothing to prune for clinic \"", clinic, "\": no sealed batch after ",
                        plan.first_batch_no == 1
                            ? std::string("the start of the trail")
                            : absl::StrCat("batch ", plan.first_batch_no - 1, " (pruned before)"),
                        " has all its events before ", DayText(cutoff_day),
                        ". Nothing was written or deleted.\n");
  }
  if (std::filesystem::exists(options.archive_path)) {
    return absl::AlreadyExistsError(absl::StrCat("the archive ", options.archive_path,
                                                 " already exists; choose a new file name"));
  }

  // 1. Archive, written beside the final name and moved there once verified.
  const std::string partial = options.archive_path + ".partial";
  absl::StatusOr<int64_t> archived;
  {
    std::ofstream out(partial, std::ios::binary | std::ios::trunc);
    if (!out) {
      return absl::UnavailableError(absl::StrCat("cannot write ", partial));
    }
    archived = WriteArchive(transactions, hasher, plan, clinic, now, out);
  }
  if (!archived.ok()) {
    std::filesystem::remove(partial);
    return archived.status();
  }
  // 2. The archive must verify, with the database's keys, before anything is deleted.
  {
    std::ifstream in(partial, std::ios::binary);
    AuditVerifyOptions verify_options;
    verify_options.pinned_keys = plan.keys;
    absl::StatusOr<AuditVerifyReport> report =
        VerifyAuditExport(in, hasher, signer, verify_options);
    if (!report.ok() || !report->ok() || report->events_verified != *archived) {
      std::filesystem::remove(partial);
      if (!report.ok()) {
        return report.status();
      }
      return absl::DataLossError(absl::StrCat("the archive did not verify, nothing was deleted:\n",
                                              FormatVerifyReport(*report)));
    }
  }
  std::error_code renamed;
  std::filesystem::rename(partial, options.archive_path, renamed);
  if (renamed) {
    return absl::UnavailableError(
        absl::StrCat("cannot move the archive to ", options.archive_path, ": ", renamed.message()));
  }
  absl::StatusOr<std::string> sha256 = FileSha256(options.archive_path);
  if (!sha256.ok()) {
    return sha256.status();
  }

  // 3. Record, delete and audit in one transaction.
  int64_t deleted = 0;
  AuditPruneRecord record;
  absl::Status pruned = transactions.Run(TransactionMode::kWrite, [&](UnitOfWork& uow) {
    absl::StatusOr<std::optional<AuditPruneRecord>> last = uow.audit_trail().LastPrune(clinic);
    if (!last.ok()) {
      return last.status();
    }
    const int64_t first_now = last->has_value() ? (*last)->through_batch_no + 1 : 1;
    if (first_now != plan.first_batch_no) {
      return absl::AbortedError("another prune of this clinic ran meanwhile; run again");
    }
    absl::StatusOr<std::optional<AuditBatchHeader>> through =
        uow.audit_trail().FindBatch(clinic, plan.through_batch_no);
    if (!through.ok()) {
      return through.status();
    }
    if (!through->has_value()) {
      return absl::DataLossError("the last batch to prune is gone");
    }
    record = AuditPruneRecord{.clinic_id = clinic,
                              .through_batch_no = plan.through_batch_no,
                              .through_seq = (*through)->seq_through,
                              .archive_sha256 = *sha256,
                              .prune_time = now};
    absl::StatusOr<int64_t> removed = uow.audit_trail().Prune(record);
    if (!removed.ok()) {
      return removed.status();
    }
    if (*removed != *archived) {
      return absl::DataLossError(absl::StrCat("the database holds ", *removed,
                                              " events in the pruned range but the "
                                              "archive has ",
                                              *archived, "; nothing was deleted"));
    }
    deleted = *removed;
    // The prune's own event, in the pruned clinic's chain: once sealed it is what vouches for
    // the prune record (VerifyAuditDatabase matches through_batch, through_seq and
    // archive_sha256 in this detail), so keep the two in step.
    AuditEvent event;
    event.id = ids.NewId();
    event.time = now;
    event.actor_role = "operator";
    event.clinic_id = clinic;
    event.action = "confidectl.AuditPrune";
    event.resource = absl::StrCat("auditPrunes/", plan.through_batch_no);
    event.outcome = "success";
    event.status_code = "OK";
    event.request_id = absl::StrCat("confidectl-", event.id);
    event.detail = absl::StrCat(
        "first_batch=", plan.first_batch_no, " through_batch=", plan.through_batch_no,
        " through_seq=", record.through_seq, " events=", deleted, " archive_sha256=", *sha256);
    return uow.audit().Append(event);
  });
  if (!pruned.ok()) {
    return pruned;
  }
  return absl::StrFormat(
      "Pruned clinic \"%s\": batches %d to %d (%d events, all before %s) were archived to %s "
      "(SHA-256 %s), the archive verified, and the events were deleted. Their signed headers "
      "stay, so `confidectl audit verify --database` still checks the whole chain.\n",
      clinic, plan.first_batch_no, plan.through_batch_no, deleted, DayText(cutoff_day),
      options.archive_path, *sha256);
}

int AuditPruneCommand(TransactionRunner& transactions, const AuditPruneOptions& options) {
  OpenSslSha256Hasher hasher;
  OpenSslCheckpointSigner signer;
  SystemClock clock;
  Uuid7IdGenerator ids(clock);
  absl::StatusOr<std::string> done =
      RunAuditPrune(transactions, hasher, signer, ids, clock, options);
  if (!done.ok()) {
    std::fprintf(stderr, "confidectl audit prune: %s\n", done.status().ToString().c_str());
    return 1;
  }
  std::fputs(done->c_str(), stdout);
  return 0;
}

}  // namespace confide::app
