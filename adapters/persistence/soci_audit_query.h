#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/audit/ports/audit_trail_repository.h"

namespace soci {
class session;
}

namespace confide::persistence {

// AuditTrailRepository::Query: one clinic's events newest first by (time, seq), each with the
// batch that sealed it (0 while unsealed). Only the filters that are set appear in the SQL, so
// each filter shape is planned on its own index: audit_by_clinic_time (time range),
// audit_by_actor_time (actor), audit_by_client_time (client); the batch number comes from
// audit_batches_by_seq.
absl::StatusOr<std::vector<AuditEventRow>> QueryAuditEvents(soci::session& sql,
                                                            const AuditEventFilter& filter);

// The database's plan for QueryAuditEvents(filter): EXPLAIN QUERY PLAN on SQLite, EXPLAIN on
// PostgreSQL, one line per row. For tests and operators checking the indexes are used.
absl::StatusOr<std::vector<std::string>> ExplainAuditQuery(soci::session& sql,
                                                           const AuditEventFilter& filter);

}  // namespace confide::persistence
