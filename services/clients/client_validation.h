#pragma once

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "confide/v1/clients.pb.h"

namespace confide {

// Checks the fields a caller may set on a client record. `prefix` is the field path of the
// record in the request ("client"), so errors name the field as the caller sent it.
absl::Status ValidateClientFields(const v1::Client& client, std::string_view prefix);

// Refuses a date of birth after `now`'s UTC date (a typo, not a person).
absl::Status ValidateBirthDateNotInFuture(const v1::Client& client, std::string_view prefix,
                                          absl::Time now);

absl::Status ValidateCreateClient(const v1::CreateClientRequest& request);
absl::Status ValidateGetClient(const v1::GetClientRequest& request);
absl::Status ValidateListClients(const v1::ListClientsRequest& request);
absl::Status ValidateUpdateClient(const v1::UpdateClientRequest& request);
absl::Status ValidateArchiveClient(const v1::ArchiveClientRequest& request);

// True when a record may move from `from` to `to` by UpdateClient: care moves forward
// (enquiry → intake → active → discharged), a discharged client may return to active, and
// archiving has its own RPC.
bool IsAllowedStatusChange(v1::ClientStatus from, v1::ClientStatus to);

}  // namespace confide
