#pragma once

#include <vector>

#include "absl/status/statusor.h"
#include "confide/v1/consents.pb.h"
#include "services/api/method_table.h"
#include "services/common/id_generator.h"

namespace confide {

// A client's consents: recorded by the patient herself (`me`) or a care-team clinician,
// withdrawn at any time, never overwritten (a withdrawal or a newer grant only ends a row).
// Access has been decided by the pipeline when these run.
class ConsentService {
 public:
  explicit ConsentService(IdGenerator& ids) : ids_(ids) {}

  // Records a grant; a grant of the same kind still in force becomes SUPERSEDED in the same
  // transaction. A retry with the same request_id returns the first result; the same
  // request_id with another client, kind or text version is ALREADY_EXISTS.
  absl::StatusOr<v1::Consent> Record(const v1::RecordConsentRequest& request, RequestScope& scope);
  // Withdraws a grant in force (also for an archived client: consent can always be taken
  // back). Withdrawing partner involvement revokes every live partner link of the client and
  // her pending partner invitations in the same transaction.
  absl::StatusOr<v1::Consent> Withdraw(const v1::WithdrawConsentRequest& request,
                                       RequestScope& scope);
  absl::StatusOr<v1::ListConsentsResponse> List(const v1::ListConsentsRequest& request,
                                                RequestScope& scope);

  // Adds the three ConsentService RPCs to `table`.
  void Register(MethodTable& table);

 private:
  IdGenerator& ids_;
};

// The client's (scope.client_id's) consents as ListConsents answers them, newest grant first;
// only those in force when `in_force_only`. Names no audit resource.
absl::StatusOr<std::vector<v1::Consent>> ReadConsents(RequestScope& scope, bool in_force_only);

}  // namespace confide
