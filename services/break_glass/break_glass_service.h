#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "confide/v1/access.pb.h"
#include "services/api/method_table.h"
#include "services/common/id_generator.h"
#include "services/crypto/ports/secret_box.h"

namespace confide {

// Emergency access: a clinician outside a client's care team gives a reason and gets access for
// a limited time. Grants are flagged in the audit trail and listed to admins and auditors.
class BreakGlassService {
 public:
  BreakGlassService(IdGenerator& ids, const SecretBox& box) : ids_(ids), box_(box) {}

  absl::StatusOr<v1::BreakGlassGrant> BreakGlass(const v1::BreakGlassRequest& request,
                                                 RequestScope& scope);
  absl::StatusOr<v1::ListBreakGlassGrantsResponse> List(
      const v1::ListBreakGlassGrantsRequest& request, RequestScope& scope);

  void Register(MethodTable& table);

 private:
  IdGenerator& ids_;
  const SecretBox& box_;
};

// The SecretBox context of a grant's sealed reason.
std::string BreakGlassReasonContext(std::string_view grant_id);

}  // namespace confide
