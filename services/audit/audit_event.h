#pragma once

#include <cstdint>
#include <string>

#include "absl/time/time.h"

namespace confide {

// One row of the audit trail. Holds who did what to which record and how it ended — never
// clinical content, names or tokens.
struct AuditEvent {
  // Position in the trail, assigned by storage on append (increasing, with gaps); 0 before.
  int64_t seq = 0;
  std::string id;
  absl::Time time;
  std::string actor_user_id;
  std::string actor_role;
  std::string clinic_id;
  // The RPC's full name, e.g. "confide.v1.ClientService.GetClient".
  std::string action;
  // Resource path, e.g. "clients/0193...".
  std::string resource;
  // The client (patient) whose record was touched, when there is one.
  std::string client_id;
  // "success", "denied" or "failure".
  std::string outcome;
  // Canonical status code name of the answer, e.g. "NOT_FOUND".
  std::string status_code;
  std::string request_id;
  std::string source_address;
  // Served under a break-glass grant (a clinician outside the care team): flagged for review.
  bool break_glass = false;
  // Facts of the request an auditor needs beyond the resource, as space-separated key=value
  // pairs of enum names and flags (e.g. "purpose=TRANSFER_OF_CARE psychotherapy_notes=excluded"
  // for a record export). Never free text, names or clinical content.
  std::string detail;
};

}  // namespace confide
