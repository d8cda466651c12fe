#include "services/records/client_data_erasure_validation.h"

#include "services/api/field_checker.h"
#include "services/api/request_fields.h"

namespace confide {

absl::Status ValidateEraseClientData(const v1::EraseClientDataRequest& request) {
  FieldChecker check;
  check.Add(CheckClientId("client_id", request.client_id()));
  if (request.confirm_client_id().empty()) {
    check.Fail("confirm_client_id", "is required: repeat client_id to confirm the erasure");
  } else if (request.confirm_client_id() != request.client_id()) {
    check.Fail("confirm_client_id", "must repeat client_id exactly: erasure cannot be undone");
  }
  return check.Result();
}

}  // namespace confide
