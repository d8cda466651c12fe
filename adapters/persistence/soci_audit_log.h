#pragma once

#include "services/audit/ports/audit_log.h"

namespace soci {
class session;
}

namespace confide::persistence {

// Appends to the `audit_events` table inside the caller's transaction.
class SociAuditLog final : public AuditLog {
 public:
  explicit SociAuditLog(soci::session& sql) : sql_(sql) {}
  absl::Status Append(const AuditEvent& event) override;

 private:
  soci::session& sql_;
};

}  // namespace confide::persistence
