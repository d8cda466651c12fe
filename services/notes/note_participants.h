#pragma once

#include <string_view>

#include "absl/status/statusor.h"
#include "services/api/method_table.h"

namespace confide {

// Whether `user_id` is someone a note may be handed to (its co-signer, its readers): an
// active clinician account of the caller's clinic on the care team of scope.client_id right
// now. False for anyone else, including a clinician with only break-glass access.
absl::StatusOr<bool> IsCareTeamClinician(RequestScope& scope, std::string_view user_id);

}  // namespace confide
