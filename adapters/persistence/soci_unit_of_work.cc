#include "adapters/persistence/soci_unit_of_work.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "adapters/persistence/soci_errors.h"
#include "soci/soci.h"

namespace confide::persistence {

SociUnitOfWork::SociUnitOfWork(soci::session& sql, AuditLog* audit)
    : sql_(sql),
      clinics_(sql),
      clients_(sql),
      consents_(sql),
      users_(sql),
      sessions_(sql),
      sign_in_throttle_(sql),
      one_time_tokens_(sql),
      care_teams_(sql),
      partner_links_(sql),
      break_glass_(sql),
      outbox_(sql),
      client_data_keys_(sql),
      intakes_(sql),
      plans_(sql),
      milestones_(sql),
      assessments_(sql),
      master_sealed_values_(sql),
      notes_(sql),
      exercises_(sql),
      programmes_(sql),
      practice_logs_(sql),
      progression_suggestions_(sql),
      journal_(sql),
      audit_trail_(sql),
      audit_signing_keys_(sql),
      direct_audit_(sql),
      audit_(audit) {}

absl::Status SociUnitOfWork::Atomically(absl::FunctionRef<absl::Status()> work) {
  const std::string name = absl::StrCat("uow_", ++savepoints_);
  try {
    sql_ << "SAVEPOINT " << name;
  } catch (const std::exception& e) {
    return StatusFromException(e, "savepoint");
  }
  absl::Status status;
  try {
    status = work();
  } catch (const std::exception& e) {
    status = StatusFromException(e, "unit of work");
  }
  try {
    if (!status.ok()) {
      sql_ << "ROLLBACK TO SAVEPOINT " << name;
    }
    sql_ << "RELEASE SAVEPOINT " << name;
  } catch (const std::exception& e) {
    return StatusFromException(e, "release savepoint");
  }
  return status;
}

}  // namespace confide::persistence
