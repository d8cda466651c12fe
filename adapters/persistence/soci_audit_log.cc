#include "adapters/persistence/soci_audit_log.h"

#include <string>

#include "adapters/persistence/soci_errors.h"
#include "soci/soci.h"

namespace confide::persistence {

absl::Status SociAuditLog::Append(const AuditEvent& event) {
  try {
    AuditEvent e = event;  // soci binds by non-const reference
    long long time = absl::ToUnixMicros(event.time);
    int break_glass = event.break_glass ? 1 : 0;
    sql_ << "INSERT INTO audit_events (id, time, actor_user_id, actor_role, clinic_id, action, "
            "resource, client_id, outcome, status_code, request_id, source_address, break_glass, "
            "detail) VALUES (:id, :time, :actor, :role, :clinic, :action, :resource, :client, "
            ":outcome, :status_code, :request_id, :source, :break_glass, :detail)",
        soci::use(e.id), soci::use(time), soci::use(e.actor_user_id), soci::use(e.actor_role),
        soci::use(e.clinic_id), soci::use(e.action), soci::use(e.resource), soci::use(e.client_id),
        soci::use(e.outcome), soci::use(e.status_code), soci::use(e.request_id),
        soci::use(e.source_address), soci::use(break_glass), soci::use(e.detail);
    return absl::OkStatus();
  } catch (const std::exception& e) {
    return StatusFromException(e, "audit.append");
  }
}

}  // namespace confide::persistence
