#include "services/audit/audit_export.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "google/protobuf/util/json_util.h"
#include "services/audit/audit_export_records.h"
#include "services/audit/audit_leaf.h"
#include "services/audit/merkle.h"
#include "services/audit/ports/audit_trail_repository.h"
#include "services/common/timestamps.h"

namespace confide {
namespace {

using audit_export::EventRecord;

constexpr char kTimeFormat[] = "%Y-%m-%d%ET%H:%M:%E6SZ";

std::string FhirEntryText(const nlohmann::ordered_json& entry) { return entry.dump(); }

std::string BatchUrl(const AuditBatchHeader& header) {
  return absl::StrCat("urn:confide:audit-batch:", header.batch_no);
}

std::string HeaderPart(AuditExportFormat format, const AuditBatchHeader& header, bool with_events) {
  switch (format) {
    case AuditExportFormat::kNdjson:
      return audit_export::HeaderRecordJson(header, with_events) + "\n";
    case AuditExportFormat::kCsv:
      return audit_export::CsvLine(audit_export::CsvOtherFields(
          with_events ? "batch" : "header", header.batch_no, CheckpointJson(header)));
    case AuditExportFormat::kFhirR4:
      return absl::StrCat(
          "\n,",
          FhirEntryText(audit_export::FhirBinaryEntry(
              BatchUrl(header), absl::StrCat(with_events ? "batch-" : "header-", header.batch_no),
              with_events ? audit_export::kBatchContentType : audit_export::kHeaderContentType,
              CheckpointJson(header))));
  }
  return "";
}

}  // namespace

std::string_view AuditExportFormatName(AuditExportFormat format) {
  switch (format) {
    case AuditExportFormat::kNdjson:
      return "ndjson";
    case AuditExportFormat::kCsv:
      return "csv";
    case AuditExportFormat::kFhirR4:
      return "fhir";
  }
  return "";
}

std::optional<AuditExportFormat> AuditExportFormatFromName(std::string_view name) {
  if (name == "ndjson") {
    return AuditExportFormat::kNdjson;
  }
  if (name == "csv") {
    return AuditExportFormat::kCsv;
  }
  if (name == "fhir") {
    return AuditExportFormat::kFhirR4;
  }
  return std::nullopt;
}

std::string_view AuditExportContentType(AuditExportFormat format) {
  switch (format) {
    case AuditExportFormat::kNdjson:
      return "application/x-ndjson";
    case AuditExportFormat::kCsv:
      return "text/csv";
    case AuditExportFormat::kFhirR4:
      return "application/fhir+json";
  }
  return "";
}

std::string ExportPreamble(AuditExportFormat format, const AuditExportPreamble& preamble) {
  const std::string json = audit_export::PreambleJson(preamble);
  switch (format) {
    case AuditExportFormat::kNdjson:
      return json + "\n";
    case AuditExportFormat::kCsv:
      return audit_export::CsvLine(audit_export::CsvColumns()) +
             audit_export::CsvLine(audit_export::CsvOtherFields("preamble", 0, json));
    case AuditExportFormat::kFhirR4: {
      std::string out = "{\"resourceType\":\"Bundle\",\"type\":\"collection\",\"timestamp\":";
      audit_export::AppendJsonString(out, AuditTimeText(preamble.export_time));
      out.append(",\"entry\":[\n");
      out.append(FhirEntryText(
          audit_export::FhirBinaryEntry("urn:confide:audit-export:preamble", "preamble",
                                        audit_export::kPreambleContentType, json)));
      return out;
    }
  }
  return "";
}

std::string ExportBatch(AuditExportFormat format, const Sha256Hasher& hasher,
                        const AuditBatchHeader& header, const std::vector<AuditEvent>& events) {
  std::vector<std::string> leaves;
  leaves.reserve(events.size());
  for (const AuditEvent& event : events) {
    leaves.push_back(merkle::LeafHash(hasher, AuditLeafBytes(event)));
  }
  const std::vector<std::vector<std::string>> proofs = merkle::AllInclusionProofs(hasher, leaves);
  std::string out = HeaderPart(format, header, /*with_events=*/true);
  EventRecord record;
  record.batch_no = header.batch_no;
  for (size_t i = 0; i < events.size(); ++i) {
    record.leaf_index = static_cast<int64_t>(i);
    record.event = events[i];
    record.proof =
        audit_export::HexProof(i < proofs.size() ? proofs[i] : std::vector<std::string>());
    switch (format) {
      case AuditExportFormat::kNdjson:
        out.append(audit_export::NdjsonEventLine(record));
        out.push_back('\n');
        break;
      case AuditExportFormat::kCsv:
        out.append(audit_export::CsvLine(audit_export::CsvEventFields(record)));
        break;
      case AuditExportFormat::kFhirR4:
        out.append("\n,");
        out.append(FhirEntryText(audit_export::FhirEventEntry(record)));
        break;
    }
  }
  return out;
}

std::string ExportChainHeader(AuditExportFormat format, const AuditBatchHeader& header) {
  return HeaderPart(format, header, /*with_events=*/false);
}

std::string ExportClosing(AuditExportFormat format, const AuditExportSummary& summary) {
  const std::string json = audit_export::SummaryJson(summary);
  switch (format) {
    case AuditExportFormat::kNdjson:
      return json + "\n";
    case AuditExportFormat::kCsv:
      return audit_export::CsvLine(audit_export::CsvOtherFields("end", 0, json));
    case AuditExportFormat::kFhirR4:
      return absl::StrCat(
          "\n,",
          FhirEntryText(audit_export::FhirBinaryEntry("urn:confide:audit-export:end", "end",
                                                      audit_export::kEndContentType, json)),
          "\n]}\n");
  }
  return "";
}

absl::StatusOr<AuditExportPreamble> PlanAuditExport(UnitOfWork& uow, std::string_view clinic_id,
                                                    std::optional<absl::Time> start_time,
                                                    std::optional<absl::Time> end_time,
                                                    absl::Time now) {
  AuditTrailRepository& trail = uow.audit_trail();
  absl::StatusOr<std::optional<AuditBatchHeader>> last = trail.LastBatch(clinic_id);
  if (!last.ok()) {
    return last.status();
  }
  if (!last->has_value()) {
    return absl::FailedPreconditionError(
        "nothing is sealed yet in this clinic's audit trail; try again in a few seconds");
  }
  AuditExportPreamble preamble;
  preamble.clinic_id = std::string(clinic_id);
  preamble.start_time = start_time;
  preamble.end_time = end_time;
  preamble.checkpoint = **last;
  preamble.export_time = StoredTime(now);
  absl::StatusOr<std::optional<AuditPruneRecord>> prune = trail.LastPrune(clinic_id);
  if (!prune.ok()) {
    return prune.status();
  }
  int64_t first = prune->has_value() ? (*prune)->through_batch_no + 1 : 1;
  int64_t last_no = preamble.checkpoint.batch_no;
  bool empty = false;
  if (start_time.has_value()) {
    absl::StatusOr<std::optional<int64_t>> from =
        trail.FirstBatchEndingAtOrAfter(clinic_id, *start_time);
    if (!from.ok()) {
      return from.status();
    }
    if (from->has_value()) {
      first = std::max(first, **from);
    } else {
      empty = true;
    }
  }
  if (end_time.has_value()) {
    absl::StatusOr<std::optional<int64_t>> through =
        trail.LastBatchStartingBefore(clinic_id, *end_time);
    if (!through.ok()) {
      return through.status();
    }
    if (through->has_value()) {
      last_no = std::min(last_no, **through);
    } else {
      empty = true;
    }
  }
  if (!empty && first <= last_no) {
    preamble.first_batch_no = first;
    preamble.last_batch_no = last_no;
  }
  absl::StatusOr<std::vector<AuditSigningKeyRecord>> keys =
      uow.audit_signing_keys().ListForClinic(clinic_id);
  if (!keys.ok()) {
    return keys.status();
  }
  preamble.keys = *std::move(keys);
  for (AuditSigningKeyRecord& key : preamble.keys) {
    key.sealed_private_key.clear();
  }
  return preamble;
}

absl::StatusOr<AuditExportSummary> WriteAuditExport(
    TransactionRunner& transactions, const Sha256Hasher& hasher, AuditExportFormat format,
    std::string_view clinic_id, std::optional<absl::Time> start_time,
    std::optional<absl::Time> end_time, absl::Time now,
    absl::FunctionRef<absl::Status(std::string_view)> sink) {
  AuditExportPreamble preamble;
  absl::Status status = transactions.Run(TransactionMode::kRead, [&](UnitOfWork& uow) {
    absl::StatusOr<AuditExportPreamble> planned =
        PlanAuditExport(uow, clinic_id, start_time, end_time, now);
    if (!planned.ok()) {
      return planned.status();
    }
    preamble = *std::move(planned);
    return absl::OkStatus();
  });
  if (!status.ok()) {
    return status;
  }
  if (absl::Status s = sink(ExportPreamble(format, preamble)); !s.ok()) {
    return s;
  }
  AuditExportSummary summary;
  constexpr int kBatchesPerTransaction = 16;
  int64_t next = preamble.first_batch_no;
  while (preamble.last_batch_no > 0 && next <= preamble.last_batch_no) {
    std::vector<std::pair<AuditBatchHeader, std::vector<AuditEvent>>> batches;
    status = transactions.Run(TransactionMode::kRead, [&](UnitOfWork& uow) {
      batches.clear();
      const int limit = static_cast<int>(
          std::min<int64_t>(kBatchesPerTransaction, preamble.last_batch_no - next + 1));
      absl::StatusOr<std::vector<AuditBatchHeader>> headers =
          uow.audit_trail().ListBatches(clinic_id, next, limit);
      if (!headers.ok()) {
        return headers.status();
      }
      for (AuditBatchHeader& header : *headers) {
        if (header.batch_no > preamble.last_batch_no) {
          break;
        }
        absl::StatusOr<std::vector<AuditEvent>> events = uow.audit_trail().ClinicEventsInRange(
            clinic_id, header.seq_after, header.seq_through,
            static_cast<int>(std::min<int64_t>(header.leaf_count + 1, 1 << 30)));
        if (!events.ok()) {
          return events.status();
        }
        batches.emplace_back(std::move(header), *std::move(events));
      }
      return absl::OkStatus();
    });
    if (!status.ok()) {
      return status;
    }
    if (batches.empty()) {
      break;
    }
    for (const auto& [header, events] : batches) {
      if (header.batch_no != next) {
        return absl::InternalError(absl::StrCat("audit batch ", next, " is missing"));
      }
      if (absl::Status s = sink(ExportBatch(format, hasher, header, events)); !s.ok()) {
        return s;
      }
      ++summary.batches;
      summary.events += static_cast<int64_t>(events.size());
      ++next;
    }
  }
  next = preamble.last_batch_no > 0 ? preamble.last_batch_no + 1 : preamble.checkpoint.batch_no;
  while (next <= preamble.checkpoint.batch_no) {
    std::vector<AuditBatchHeader> headers;
    status = transactions.Run(TransactionMode::kRead, [&](UnitOfWork& uow) {
      absl::StatusOr<std::vector<AuditBatchHeader>> page =
          uow.audit_trail().ListBatches(clinic_id, next, 500);
      if (!page.ok()) {
        return page.status();
      }
      headers = *std::move(page);
      return absl::OkStatus();
    });
    if (!status.ok()) {
      return status;
    }
    if (headers.empty()) {
      break;
    }
    for (const AuditBatchHeader& header : headers) {
      if (header.batch_no > preamble.checkpoint.batch_no) {
        break;
      }
      if (absl::Status s = sink(ExportChainHeader(format, header)); !s.ok()) {
        return s;
      }
      ++summary.chain_headers;
      next = header.batch_no + 1;
    }
  }
  if (absl::Status s = sink(ExportClosing(format, summary)); !s.ok()) {
    return s;
  }
  return summary;
}

v1::AuditCheckpoint CheckpointToProto(const AuditBatchHeader& header) {
  v1::AuditCheckpoint out;
  out.set_clinic_id(header.clinic_id);
  out.set_batch_number(header.batch_no);
  out.set_tree_size(header.tree_size);
  out.set_leaf_count(header.leaf_count);
  out.set_root_hash(header.root_hash);
  out.set_previous_header_hash(header.prev_hash);
  out.set_header_hash(header.header_hash);
  *out.mutable_seal_time() = ToTimestamp(header.seal_time);
  out.set_key_id(header.key_id);
  out.set_signature(header.signature);
  out.set_sequence_after(header.seq_after);
  out.set_sequence_through(header.seq_through);
  return out;
}

AuditBatchHeader CheckpointFromProto(const v1::AuditCheckpoint& checkpoint) {
  AuditBatchHeader out;
  out.clinic_id = checkpoint.clinic_id();
  out.batch_no = checkpoint.batch_number();
  out.tree_size = checkpoint.tree_size();
  out.leaf_count = checkpoint.leaf_count();
  out.root_hash = checkpoint.root_hash();
  out.prev_hash = checkpoint.previous_header_hash();
  out.header_hash = checkpoint.header_hash();
  out.seal_time = FromTimestamp(checkpoint.seal_time());
  out.key_id = checkpoint.key_id();
  out.signature = checkpoint.signature();
  out.seq_after = checkpoint.sequence_after();
  out.seq_through = checkpoint.sequence_through();
  return out;
}

v1::AuditKey AuditKeyToProto(const AuditSigningKeyRecord& key) {
  v1::AuditKey out;
  out.set_key_id(key.key_id);
  out.set_algorithm("Ed25519");
  out.set_public_key(key.public_key);
  *out.mutable_create_time() = ToTimestamp(key.create_time);
  if (key.retire_time.has_value()) {
    *out.mutable_retire_time() = ToTimestamp(*key.retire_time);
  }
  return out;
}

std::string CheckpointJson(const AuditBatchHeader& header) {
  google::protobuf::util::JsonPrintOptions options;
  options.always_print_primitive_fields = true;
  std::string json;
  // Printing a message built here cannot fail: every field is a known, valid one.
  (void)google::protobuf::util::MessageToJsonString(CheckpointToProto(header), &json, options);
  return json;
}

absl::StatusOr<AuditBatchHeader> ParseCheckpointJson(std::string_view json) {
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;
  v1::AuditCheckpoint checkpoint;
  if (!google::protobuf::util::JsonStringToMessage(std::string(json), &checkpoint, options).ok()) {
    return absl::InvalidArgumentError("not an audit checkpoint (AuditCheckpoint JSON)");
  }
  return CheckpointFromProto(checkpoint);
}

absl::StatusOr<std::vector<AuditSigningKeyRecord>> ParseAuditKeysJson(std::string_view json) {
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;
  v1::ListAuditKeysResponse response;
  if (!google::protobuf::util::JsonStringToMessage(std::string(json), &response, options).ok()) {
    return absl::InvalidArgumentError("not an audit key list (ListAuditKeys JSON)");
  }
  std::vector<AuditSigningKeyRecord> keys;
  for (const v1::AuditKey& key : response.keys()) {
    AuditSigningKeyRecord record;
    record.key_id = key.key_id();
    record.public_key = key.public_key();
    record.create_time = FromTimestamp(key.create_time());
    if (key.has_retire_time()) {
      record.retire_time = FromTimestamp(key.retire_time());
    }
    keys.push_back(std::move(record));
  }
  return keys;
}

std::string AuditTimeText(absl::Time time) {
  // Fixed-width fast path (exports print one per event); FormatTime for years outside 0..9999.
  const int64_t micros = absl::ToUnixMicros(time);
  int64_t seconds = micros / 1000000;
  int64_t fraction = micros % 1000000;
  if (fraction < 0) {
    fraction += 1000000;
    --seconds;
  }
  const absl::CivilSecond civil =
      absl::ToCivilSecond(absl::FromUnixSeconds(seconds), absl::UTCTimeZone());
  if (civil.year() < 0 || civil.year() > 9999) {
    return absl::FormatTime(kTimeFormat, time, absl::UTCTimeZone());
  }
  char out[28];
  const auto put = [&](int at, int64_t value, int width) {
    for (int i = width - 1; i >= 0; --i) {
      out[at + i] = static_cast<char>('0' + value % 10);
      value /= 10;
    }
  };
  put(0, civil.year(), 4);
  out[4] = '-';
  put(5, civil.month(), 2);
  out[7] = '-';
  put(8, civil.day(), 2);
  out[10] = 'T';
  put(11, civil.hour(), 2);
  out[13] = ':';
  put(14, civil.minute(), 2);
  out[16] = ':';
  put(17, civil.second(), 2);
  out[19] = '.';
  put(20, fraction, 6);
  out[26] = 'Z';
  return std::string(out, 27);
}

std::optional<absl::Time> ParseAuditTimeText(std::string_view text) {
  // Fast path for the fixed form AuditTimeText writes; ParseTime for every other RFC 3339 form.
  if (text.size() == 27 && text[4] == '-' && text[7] == '-' && text[10] == 'T' && text[13] == ':' &&
      text[16] == ':' && text[19] == '.' && text[26] == 'Z') {
    bool digits = true;
    const auto num = [&](int at, int width) {
      int64_t v = 0;
      for (int i = 0; i < width; ++i) {
        const char c = text[at + i];
        if (c < '0' || c > '9') {
          digits = false;
        }
        v = v * 10 + (c - '0');
      }
      return v;
    };
    const int64_t year = num(0, 4), month = num(5, 2), day = num(8, 2), hour = num(11, 2),
                  minute = num(14, 2), second = num(17, 2), fraction = num(20, 6);
    if (digits && month >= 1 && month <= 12 && day >= 1 && day <= 31 && hour < 24 && minute < 60 &&
        second < 60) {
      const absl::CivilSecond civil(year, static_cast<int>(month), static_cast<int>(day),
                                    static_cast<int>(hour), static_cast<int>(minute),
                                    static_cast<int>(second));
      // CivilSecond normalizes (Feb 31 → Mar 3); such text is not a time we wrote.
      if (civil.day() == day && civil.month() == month) {
        return absl::FromCivil(civil, absl::UTCTimeZone()) + absl::Microseconds(fraction);
      }
      return std::nullopt;
    }
  }
  absl::Time time;
  std::string error;
  if (!absl::ParseTime("%Y-%m-%d%ET%H:%M:%E*SZ", std::string(text), absl::UTCTimeZone(), &time,
                       &error)) {
    return std::nullopt;
  }
  return time;
}

}  // namespace confide
