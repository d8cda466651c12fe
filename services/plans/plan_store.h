#pragma once

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "confide/v1/plans.pb.h"
#include "services/api/method_table.h"
#include "services/crypto/ports/client_data_cipher.h"
#include "services/plans/ports/plan_repository.h"

namespace confide {

// Plans and their versions as stored: a plan row with the version numbers, and each version's
// content sealed as one column under the client's data key. Everything that reads or writes a
// version goes through here, so the sealing location is decided in one place.

// The audit resource of a plan: ids only, never plan text.
std::string PlanResource(std::string_view client_id, std::string_view plan_id);

// The client's (scope.client_id's) plan `plan_id` in the caller's clinic; NOT_FOUND for any
// other, so a plan of another client or clinic is indistinguishable from none.
absl::StatusOr<PlanRecord> LoadPlan(RequestScope& scope, std::string_view plan_id);

// Seals and stores the content of `version` (a full TherapyPlan with its output-only fields).
// ALREADY_EXISTS when the plan already has a version of that number.
absl::Status StoreVersion(ClientDataCipher& cipher, RequestScope& scope,
                          const v1::TherapyPlan& version);

// A stored version as the care team reads it: its content plus the plan's and version's facts.
absl::StatusOr<v1::TherapyPlan> OpenVersion(ClientDataCipher& cipher, RequestScope& scope,
                                            const PlanRecord& plan, const PlanVersionRecord& row);

// Version `number` of `plan`; NOT_FOUND when it has no such version.
absl::StatusOr<v1::TherapyPlan> LoadVersion(ClientDataCipher& cipher, RequestScope& scope,
                                            const PlanRecord& plan, int number);

// ListPlanVersions' page token after `last_version` of `plan_id`; it works only for that plan.
std::string EncodeVersionPageToken(std::string_view plan_id, int last_version);
// The last version shown before `token`; INVALID_ARGUMENT naming page_token for a token that
// is not from EncodeVersionPageToken for `plan_id`.
absl::StatusOr<int> DecodeVersionPageToken(std::string_view plan_id, std::string_view token);

}  // namespace confide
