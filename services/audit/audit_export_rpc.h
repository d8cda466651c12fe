#pragma once

#include "absl/status/statusor.h"
#include "confide/v1/audit.pb.h"
#include "services/api/method_table.h"
#include "services/audit/ports/sha256_hasher.h"

namespace confide {

// One page of AuditService.ExportAuditEvents for the caller's clinic (scope.principal). The
// first page fixes the checkpoint and scope; its opaque token carries them, the next batch and
// the running counts, so the pages' content concatenated is one export file (audit_export.h).
// Whole batches per page (at least one). Sets scope.audit.resource ("auditEvents:export") and
// detail ("format=NDJSON page=N"). INVALID_ARGUMENT naming the field (format, page_size,
// page_token, end_time); FAILED_PRECONDITION when nothing is sealed yet.
absl::StatusOr<v1::ExportAuditEventsResponse> ExportAuditPage(
    const v1::ExportAuditEventsRequest& request, RequestScope& scope, const Sha256Hasher& hasher);

// Events per page when page_size is 0, and the most allowed.
inline constexpr int kDefaultExportPageSize = 5000;
inline constexpr int kMaxExportPageSize = 50000;

}  // namespace confide
