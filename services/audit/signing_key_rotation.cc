#include "services/audit/signing_key_rotation.h"

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "services/audit/audit_event.h"
#include "services/audit/ports/audit_log.h"
#include "services/audit/ports/audit_signing_key_repository.h"

namespace confide {

absl::StatusOr<std::string> RetireAuditSigningKey(UnitOfWork& uow, IdGenerator& ids,
                                                  std::string_view clinic_id, absl::Time now) {
  absl::StatusOr<std::optional<AuditSigningKeyRecord>> active =
      uow.audit_signing_keys().FindActive(clinic_id);
  if (!active.ok()) {
    return active.status();
  }
  if (!active->has_value()) {
    return absl::NotFoundError(
        "this clinic has no active audit signing key yet (one is made when its first batch is "
        "sealed)");
  }
  const std::string key_id = (*active)->key_id;
  if (absl::Status retired = uow.audit_signing_keys().Retire(key_id, now); !retired.ok()) {
    return retired;
  }
  AuditEvent event;
  event.id = ids.NewId();
  event.time = now;
  event.actor_role = "operator";
  event.clinic_id = std::string(clinic_id);
  event.action = "confidectl.RotateAuditSigningKey";
  event.resource = absl::StrCat("auditKeys/", key_id);
  event.outcome = "success";
  event.status_code = "OK";
  event.request_id = absl::StrCat("confidectl-", event.id);
  if (absl::Status appended = uow.audit().Append(event); !appended.ok()) {
    return appended;
  }
  return key_id;
}

}  // namespace confide
