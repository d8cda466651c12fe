#pragma once

#include "absl/status/status.h"
#include "confide/v1/consents.pb.h"

namespace confide {

// Field checks of the ConsentService requests; errors name the field (google.rpc.BadRequest).
absl::Status ValidateRecordConsent(const v1::RecordConsentRequest& request);
absl::Status ValidateWithdrawConsent(const v1::WithdrawConsentRequest& request);
absl::Status ValidateListConsents(const v1::ListConsentsRequest& request);

}  // namespace confide
