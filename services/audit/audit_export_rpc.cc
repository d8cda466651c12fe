#include "services/audit/audit_export_rpc.h"

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "services/api/field_errors.h"
#include "services/audit/audit_export.h"
#include "services/audit/ports/audit_trail_repository.h"
#include "services/common/timestamps.h"

namespace confide {
namespace {

constexpr char kTokenPrefix[] = "auditexport:v1:";
constexpr int kMaxChainHeadersPerPage = 1000;

// What a page token carries: the fixed checkpoint and scope, where the next page starts and the
// running counts of the closing record.
struct ExportCursor {
  int format = 0;
  int64_t checkpoint_batch = 0;
  int64_t first_batch = 0;
  int64_t last_batch = 0;
  int64_t next_batch = 0;
  int64_t page = 0;
  int64_t batches = 0;
  int64_t events = 0;
  int64_t chain_headers = 0;
  std::optional<int64_t> start_micros;
  std::optional<int64_t> end_micros;
  // The first 16 hex digits of the checkpoint's header hash: binds the token to this clinic's
  // checkpoint, so a token from another export (or clinic) is refused rather than spliced.
  std::string checkpoint_hash_prefix;
};

constexpr size_t kHashPrefixSize = 16;

std::string OptionalText(const std::optional<int64_t>& v) {
  return v.has_value() ? absl::StrCat(*v) : "-";
}

std::string EncodeCursor(const ExportCursor& c) {
  return absl::WebSafeBase64Escape(absl::StrCat(
      kTokenPrefix,
      absl::StrJoin(
          {absl::StrCat(c.format), absl::StrCat(c.checkpoint_batch), absl::StrCat(c.first_batch),
           absl::StrCat(c.last_batch), absl::StrCat(c.next_batch), absl::StrCat(c.page),
           absl::StrCat(c.batches), absl::StrCat(c.events), absl::StrCat(c.chain_headers),
           OptionalText(c.start_micros), OptionalText(c.end_micros), c.checkpoint_hash_prefix},
          ":")));
}

absl::StatusOr<ExportCursor> DecodeCursor(const std::string& token) {
  const absl::Status bad =
      InvalidField("page_token", "is not a token from a previous ExportAuditEvents response");
  std::string decoded;
  if (token.size() > 1024 || !absl::WebSafeBase64Unescape(token, &decoded) ||
      decoded.rfind(kTokenPrefix, 0) != 0) {
    return bad;
  }
  std::vector<std::string> parts = absl::StrSplit(decoded.substr(sizeof(kTokenPrefix) - 1), ':');
  if (parts.size() != 12 || parts[11].size() != kHashPrefixSize) {
    return bad;
  }
  ExportCursor c;
  int64_t* ints[] = {&c.checkpoint_batch, &c.first_batch, &c.last_batch,   &c.next_batch, &c.page,
                     &c.batches,          &c.events,      &c.chain_headers};
  if (!absl::SimpleAtoi(parts[0], &c.format)) {
    return bad;
  }
  for (size_t i = 0; i < 8; ++i) {
    if (!absl::SimpleAtoi(parts[i + 1], ints[i]) || *ints[i] < 0) {
      return bad;
    }
  }
  for (size_t i = 9; i < 11; ++i) {
    std::optional<int64_t>& target = i == 9 ? c.start_micros : c.end_micros;
    if (parts[i] == "-") {
      continue;
    }
    int64_t v = 0;
    if (!absl::SimpleAtoi(parts[i], &v)) {
      return bad;
    }
    target = v;
  }
  c.checkpoint_hash_prefix = parts[11];
  if (c.format < v1::AUDIT_EXPORT_FORMAT_NDJSON || c.format > v1::AUDIT_EXPORT_FORMAT_FHIR_R4 ||
      c.checkpoint_batch < 1 || c.first_batch > c.last_batch || c.last_batch > c.checkpoint_batch ||
      c.next_batch > c.checkpoint_batch + 1 || c.next_batch < 1 ||
      (c.first_batch > 0 && c.next_batch < c.first_batch)) {
    return bad;
  }
  return c;
}

AuditExportFormat FormatOf(int format) {
  switch (format) {
    case v1::AUDIT_EXPORT_FORMAT_CSV:
      return AuditExportFormat::kCsv;
    case v1::AUDIT_EXPORT_FORMAT_FHIR_R4:
      return AuditExportFormat::kFhirR4;
    default:
      return AuditExportFormat::kNdjson;
  }
}

// google.protobuf.Timestamp's range: 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999999999Z.
// gRPC callers can send anything; REST's JSON parser already refuses the rest.
bool IsValidTimestamp(const google::protobuf::Timestamp& t) {
  constexpr int64_t kMinSeconds = -62135596800;
  constexpr int64_t kMaxSeconds = 253402300799;
  return t.seconds() >= kMinSeconds && t.seconds() <= kMaxSeconds && t.nanos() >= 0 &&
         t.nanos() <= 999999999;
}

std::optional<int64_t> MicrosOf(bool has, const google::protobuf::Timestamp& ts) {
  if (!has) {
    return std::nullopt;
  }
  return absl::ToUnixMicros(FromTimestamp(ts));
}

}  // namespace

absl::StatusOr<v1::ExportAuditEventsResponse> ExportAuditPage(
    const v1::ExportAuditEventsRequest& request, RequestScope& scope, const Sha256Hasher& hasher) {
  if (request.page_size() < 0 || request.page_size() > kMaxExportPageSize) {
    return InvalidField("page_size", "must be between 0 and 50000 (0 means 5000)");
  }
  if (request.has_start_time() && !IsValidTimestamp(request.start_time())) {
    return InvalidField("start_time", "must be a valid time (years 1 to 9999)");
  }
  if (request.has_end_time() && !IsValidTimestamp(request.end_time())) {
    return InvalidField("end_time", "must be a valid time (years 1 to 9999)");
  }
  const int64_t budget = request.page_size() == 0 ? kDefaultExportPageSize : request.page_size();
  const std::optional<int64_t> start = MicrosOf(request.has_start_time(), request.start_time());
  const std::optional<int64_t> end = MicrosOf(request.has_end_time(), request.end_time());
  if (start.has_value() && end.has_value() && *end <= *start) {
    return InvalidField("end_time", "must be after start_time");
  }
  if (request.format() != v1::AUDIT_EXPORT_FORMAT_UNSPECIFIED &&
      !v1::AuditExportFormat_IsValid(request.format())) {
    return InvalidField("format", "is not a known export format");
  }
  const std::string clinic_id = scope.principal != nullptr ? scope.principal->clinic_id : "";
  AuditTrailRepository& trail = scope.uow.audit_trail();
  v1::ExportAuditEventsResponse response;
  std::string& content = *response.mutable_content();
  ExportCursor cursor;
  AuditBatchHeader checkpoint;
  if (request.page_token().empty()) {
    if (request.format() == v1::AUDIT_EXPORT_FORMAT_UNSPECIFIED) {
      return InvalidField("format", "is required on the first page");
    }
    const auto to_time = [](const std::optional<int64_t>& micros) -> std::optional<absl::Time> {
      if (!micros.has_value()) {
        return std::nullopt;
      }
      return absl::FromUnixMicros(*micros);
    };
    absl::StatusOr<AuditExportPreamble> preamble =
        PlanAuditExport(scope.uow, clinic_id, to_time(start), to_time(end), scope.now);
    if (!preamble.ok()) {
      return preamble.status();
    }
    cursor.format = request.format();
    cursor.checkpoint_batch = preamble->checkpoint.batch_no;
    cursor.first_batch = preamble->first_batch_no;
    cursor.last_batch = preamble->last_batch_no;
    cursor.next_batch = cursor.first_batch > 0 ? cursor.first_batch : cursor.checkpoint_batch;
    cursor.start_micros = start;
    cursor.end_micros = end;
    cursor.checkpoint_hash_prefix = preamble->checkpoint.header_hash.substr(0, kHashPrefixSize);
    checkpoint = preamble->checkpoint;
    content = ExportPreamble(FormatOf(cursor.format), *preamble);
  } else {
    absl::StatusOr<ExportCursor> decoded = DecodeCursor(request.page_token());
    if (!decoded.ok()) {
      return decoded.status();
    }
    cursor = *decoded;
    if (request.format() != v1::AUDIT_EXPORT_FORMAT_UNSPECIFIED &&
        request.format() != cursor.format) {
      return InvalidField("format", "must be the first page's format (or unset)");
    }
    if ((start.has_value() && start != cursor.start_micros) ||
        (end.has_value() && end != cursor.end_micros)) {
      return InvalidField(start != cursor.start_micros ? "start_time" : "end_time",
                          "must be the first page's (or unset)");
    }
    absl::StatusOr<std::optional<AuditBatchHeader>> found =
        trail.FindBatch(clinic_id, cursor.checkpoint_batch);
    if (!found.ok()) {
      return found.status();
    }
    if (!found->has_value() ||
        (*found)->header_hash.substr(0, kHashPrefixSize) != cursor.checkpoint_hash_prefix) {
      return InvalidField("page_token",
                          "is not a token from a previous ExportAuditEvents response");
    }
    checkpoint = **found;
  }
  ++cursor.page;
  const AuditExportFormat format = FormatOf(cursor.format);
  int64_t events_this_page = 0;
  bool wrote_batch = false;
  // The scope's batches, whole, until the page's event budget is spent (at least one batch).
  while (cursor.first_batch > 0 && cursor.next_batch <= cursor.last_batch) {
    absl::StatusOr<std::vector<AuditBatchHeader>> headers = trail.ListBatches(
        clinic_id, cursor.next_batch,
        static_cast<int>(std::min<int64_t>(16, cursor.last_batch - cursor.next_batch + 1)));
    if (!headers.ok()) {
      return headers.status();
    }
    if (headers->empty() || headers->front().batch_no != cursor.next_batch) {
      return absl::InternalError("a sealed audit batch is missing");
    }
    bool full = false;
    for (const AuditBatchHeader& header : *headers) {
      if (header.batch_no > cursor.last_batch) {
        break;
      }
      if (wrote_batch && events_this_page + header.leaf_count > budget) {
        full = true;
        break;
      }
      absl::StatusOr<std::vector<AuditEvent>> events = trail.ClinicEventsInRange(
          clinic_id, header.seq_after, header.seq_through,
          static_cast<int>(std::min<int64_t>(header.leaf_count + 1, 1 << 30)));
      if (!events.ok()) {
        return events.status();
      }
      content.append(ExportBatch(format, hasher, header, *events));
      wrote_batch = true;
      events_this_page += static_cast<int64_t>(events->size());
      cursor.events += static_cast<int64_t>(events->size());
      ++cursor.batches;
      cursor.next_batch = header.batch_no + 1;
    }
    if (full) {
      break;
    }
  }
  // Then the chain of headers up to the checkpoint.
  int chain_this_page = 0;
  const bool scope_done = cursor.first_batch == 0 || cursor.next_batch > cursor.last_batch;
  while (scope_done && cursor.next_batch <= cursor.checkpoint_batch &&
         chain_this_page < kMaxChainHeadersPerPage) {
    absl::StatusOr<std::vector<AuditBatchHeader>> headers =
        trail.ListBatches(clinic_id, cursor.next_batch, 200);
    if (!headers.ok()) {
      return headers.status();
    }
    if (headers->empty()) {
      return absl::InternalError("a sealed audit batch is missing");
    }
    for (const AuditBatchHeader& header : *headers) {
      if (header.batch_no > cursor.checkpoint_batch || chain_this_page >= kMaxChainHeadersPerPage) {
        break;
      }
      content.append(ExportChainHeader(format, header));
      ++cursor.chain_headers;
      ++chain_this_page;
      cursor.next_batch = header.batch_no + 1;
    }
  }
  if (scope_done && cursor.next_batch > cursor.checkpoint_batch) {
    content.append(
        ExportClosing(format, AuditExportSummary{.batches = cursor.batches,
                                                 .events = cursor.events,
                                                 .chain_headers = cursor.chain_headers}));
  } else {
    response.set_next_page_token(EncodeCursor(cursor));
  }
  response.set_content_type(std::string(AuditExportContentType(format)));
  *response.mutable_checkpoint() = CheckpointToProto(checkpoint);
  scope.audit.resource = "auditEvents:export";
  std::string format_name =
      v1::AuditExportFormat_Name(static_cast<v1::AuditExportFormat>(cursor.format));
  format_name.erase(0, sizeof("AUDIT_EXPORT_FORMAT_") - 1);
  scope.audit.detail = absl::StrCat("format=", format_name, " page=", cursor.page);
  return response;
}

}  // namespace confide
