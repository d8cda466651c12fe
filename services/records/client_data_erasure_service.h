#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "confide/v1/records.pb.h"
#include "services/api/method_table.h"

namespace confide {

// Crypto-erasure of a client's clinical content (RecordService.EraseClientData): her data key
// is deleted, so every value sealed under it (intake, plans, milestones, measures, notes, home
// programmes, journal), backups included, can no longer be opened; every later sealed read or
// write for her answers FAILED_PRECONDITION. In the same transaction the clinical fields of her
// client row (presenting concern and its text, referral source: plain columns) are cleared and
// her practice logs and progression suggestions (plain pain, anxiety and dilator numbers) are
// deleted. Her demographic record and the audit trail stay.
// The policy has already allowed the caller (clinic admins only); this enforces the record's
// rule: the client must be archived. Erasing again answers the first erasure's time.
class ClientDataErasureService {
 public:
  absl::StatusOr<v1::ClientDataErasure> Erase(const v1::EraseClientDataRequest& request,
                                              RequestScope& scope);

  // Adds EraseClientData of RecordService to `table`.
  void Register(MethodTable& table);
};

// The audit resource of a client's data key: "clients/<id>/dataKey".
std::string DataKeyResource(std::string_view client_id);

}  // namespace confide
