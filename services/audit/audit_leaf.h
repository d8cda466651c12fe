#pragma once

#include <string>

#include "services/audit/audit_event.h"

namespace confide {

// The canonical bytes of an event that its Merkle leaf hashes (SHA-256(0x00 || bytes)): the
// ASCII tag "confide-audit-event-v1" followed by each field as a 4-byte big-endian length and
// its bytes, in this order: seq (decimal), id, time (unix micros, decimal), actor_user_id,
// actor_role, clinic_id, action, resource, client_id, outcome, status_code, request_id,
// source_address, break_glass ("0"/"1"), detail. Every export format carries all of these
// fields, so a verifier rebuilds the same bytes from any of them.
std::string AuditLeafBytes(const AuditEvent& event);

}  // namespace confide
