#pragma once

#include "absl/status/status.h"
#include "confide/v1/records.pb.h"

namespace confide {

// EraseClientData's fields: client_id as every client request has it, and confirm_client_id
// repeating it exactly (erasure cannot be undone, so a slip of the caller must not do it).
// INVALID_ARGUMENT naming each wrong field.
absl::Status ValidateEraseClientData(const v1::EraseClientDataRequest& request);

}  // namespace confide
