#pragma once

#include "services/clients/ports/client_repository.h"
#include "services/common/principal.h"

namespace confide {

// What a caller wants to do. One value per kind of access, not per RPC, so new RPCs reuse them.
enum class Action {
  kCreateClient,
  kListClients,
  kReadClient,
  kUpdateClient,
  kArchiveClient,
};

enum class Decision {
  kAllow,
  // The caller may not know the record exists: answered exactly as if it did not.
  kNotFound,
  // The caller may see the record but not do this to it.
  kPermissionDenied,
};

// The access policy, a pure function so it can be tested as a table. `client` is null for
// clinic-level actions (create, list). Rules: the record must be in the caller's clinic;
// clinicians act on clients whose care team they are on; a patient reads only her own record;
// admins create, list, read and archive (demographics only, no clinical content); auditors and
// partners see no client record.
Decision Decide(const Principal& who, Action action, const ClientAccessFacts* client);

}  // namespace confide
