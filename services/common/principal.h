#pragma once

#include <string>

#include "confide/v1/auth.pb.h"

namespace confide {

// Who is calling, as established from a session. The clinic always comes from here, never from a
// path or body field, so one clinic's caller cannot name another clinic's records.
struct Principal {
  std::string user_id;
  std::string clinic_id;
  v1::Role role = v1::ROLE_UNSPECIFIED;
  // Patients: the client record the account belongs to. Partners: the client whose partner
  // they are.
  std::string client_id;
  std::string session_id;
  // Staff: the session passed the second factor (TOTP or a recovery code).
  bool mfa_verified = false;
};

inline bool IsStaffRole(v1::Role role) {
  return role == v1::ROLE_ADMIN || role == v1::ROLE_CLINICIAN || role == v1::ROLE_AUDITOR;
}

// The role as the audit trail and logs name it: "clinician", "patient", ...
inline std::string RoleName(v1::Role role) {
  switch (role) {
    case v1::ROLE_ADMIN:
      return "admin";
    case v1::ROLE_CLINICIAN:
      return "clinician";
    case v1::ROLE_PATIENT:
      return "patient";
    case v1::ROLE_PARTNER:
      return "partner";
    case v1::ROLE_AUDITOR:
      return "auditor";
    case v1::ROLE_SERVICE:
      return "service";
    default:
      return "unknown";
  }
}

}  // namespace confide
