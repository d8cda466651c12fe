#pragma once

#include "absl/status/status.h"
#include "services/audit/audit_event.h"

namespace confide {

// The append-only audit trail, bound to the current unit of work so an event commits with the
// work it describes.
class AuditLog {
 public:
  virtual ~AuditLog() = default;
  // Appends `event`; fails with UNAVAILABLE/INTERNAL when storage fails. There is no update or
  // delete.
  virtual absl::Status Append(const AuditEvent& event) = 0;
};

}  // namespace confide
