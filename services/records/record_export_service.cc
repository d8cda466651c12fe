#include "services/records/record_export_service.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "services/api/field_checker.h"
#include "services/api/request_fields.h"
#include "services/common/timestamps.h"
#include "services/records/client_record_reader.h"
#include "services/records/record_html.h"

namespace confide {

RecordExportService::RecordExportService(ClientDataCipher& cipher, SecretGenerator& digests)
    : cipher_(cipher), digests_(digests), catalogue_(InstrumentCatalogue::Standard()) {}

absl::Status ValidateExportClientRecord(const v1::ExportClientRecordRequest& request) {
  FieldChecker check("");
  check.Add(CheckClientId("client_id", request.client_id()));
  if (request.purpose() == v1::EXPORT_PURPOSE_UNSPECIFIED) {
    check.Fail("purpose", "is required: say why the record is exported (it is audited)");
  } else if (!v1::ExportPurpose_IsValid(request.purpose())) {
    check.Fail("purpose", "is not a known export purpose");
  }
  return check.Result();
}

absl::StatusOr<v1::ClientRecordExport> RecordExportService::Export(
    const v1::ExportClientRecordRequest& request, RequestScope& scope) {
  // Ids only in the resource; why the record left the clinic, and whether psychotherapy notes
  // were asked for, go in the event's detail (enum names and a flag, never free text).
  scope.audit.resource = absl::StrCat("clients/", scope.client_id, "/record");
  scope.audit.detail = absl::StrCat(
      "purpose=", absl::StripPrefix(v1::ExportPurpose_Name(request.purpose()), "EXPORT_PURPOSE_"),
      " psychotherapy_notes=", request.include_psychotherapy_notes() ? "requested" : "excluded");
  absl::StatusOr<v1::ClientRecord> record = ReadClientRecord(
      cipher_, digests_, catalogue_,
      ClientRecordScope{.include_psychotherapy_notes = request.include_psychotherapy_notes()},
      scope);
  if (!record.ok()) {
    return record.status();
  }
  v1::ClientRecordExport record_export;
  *record_export.mutable_record() = *std::move(record);
  *record_export.mutable_export_time() = ToTimestamp(StoredTime(scope.now));
  record_export.set_exported_by_user_id(scope.principal->user_id);
  record_export.set_purpose(request.purpose());
  record_export.set_includes_psychotherapy_notes(request.include_psychotherapy_notes());
  record_export.set_html(RenderRecordHtml(record_export));
  return record_export;
}

void RecordExportService::Register(MethodTable& table) {
  table.Add(MethodDefinition<v1::ExportClientRecordRequest, v1::ClientRecordExport>{
      .full_name = "confide.v1.RecordService.ExportClientRecord",
      .mode = TransactionMode::kRead,
      .action = Action::kExportRecord,
      .target_client = [](const v1::ExportClientRecordRequest& r) { return r.client_id(); },
      .validate = ValidateExportClientRecord,
      .handler = [this](const auto& r, RequestScope& s) { return Export(r, s); }});
}

}  // namespace confide
