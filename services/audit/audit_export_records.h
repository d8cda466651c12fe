#pragma once

// The record layouts shared by the export writers and the verifier (audit_export.h): the
// verifier re-renders every record from what it recovered and compares, so any edit of a
// visible field is caught even where the field is not part of the leaf.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "nlohmann/json.hpp"
#include "services/audit/audit_event.h"
#include "services/audit/audit_export.h"

namespace confide::audit_export {

inline constexpr std::string_view kFormatName = "confide-audit-export";
inline constexpr int kFormatVersion = 1;

// An event as an export carries it.
struct EventRecord {
  int64_t batch_no = 0;
  int64_t leaf_index = 0;
  AuditEvent event;
  // Hex hashes of the inclusion proof.
  std::vector<std::string> proof;
};

// JSON string literal (with quotes) of `text`.
void AppendJsonString(std::string& out, std::string_view text);

// NDJSON lines, without the trailing newline.
std::string NdjsonEventLine(const EventRecord& record);
// The preamble object (NDJSON line, CSV json column, FHIR Binary data).
std::string PreambleJson(const AuditExportPreamble& preamble);
std::string SummaryJson(const AuditExportSummary& summary);
// {"record":"batch"|"header","checkpoint":...}
std::string HeaderRecordJson(const AuditBatchHeader& header, bool with_events);

// CSV: the column names, and one record's fields (unquoted).
const std::vector<std::string>& CsvColumns();
std::vector<std::string> CsvEventFields(const EventRecord& record);
std::vector<std::string> CsvOtherFields(std::string_view kind, int64_t batch_no,
                                        std::string_view json);
std::string CsvLine(const std::vector<std::string>& fields);

// FHIR R4 AuditEvent resource of one event (with the proof as an extension), and back.
nlohmann::ordered_json FhirAuditEvent(const EventRecord& record);
// Recovers what FhirAuditEvent wrote; unknown or missing parts are left at their defaults (the
// verifier then finds the re-rendered resource differs).
EventRecord EventFromFhir(const nlohmann::ordered_json& resource);
// Bundle entries.
nlohmann::ordered_json FhirEventEntry(const EventRecord& record);
nlohmann::ordered_json FhirBinaryEntry(std::string_view full_url, std::string_view id,
                                       std::string_view content_type, std::string_view json);
inline constexpr std::string_view kPreambleContentType =
    "application/vnd.confide.audit-export-preamble+json";
inline constexpr std::string_view kBatchContentType =
    "application/vnd.confide.audit-checkpoint+json";
inline constexpr std::string_view kHeaderContentType =
    "application/vnd.confide.audit-chain-header+json";
inline constexpr std::string_view kEndContentType = "application/vnd.confide.audit-export-end+json";

// FHIR audit-event-action code (C/R/U/D/E) for an RPC full name.
std::string_view FhirActionCode(std::string_view rpc_full_name);

std::vector<std::string> HexProof(const std::vector<std::string>& raw_proof);

}  // namespace confide::audit_export
