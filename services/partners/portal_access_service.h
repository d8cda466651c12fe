#pragma once

#include "absl/status/statusor.h"
#include "confide/v1/access.pb.h"
#include "services/api/method_table.h"
#include "services/auth/ports/secret_generator.h"
#include "services/common/id_generator.h"
#include "services/crypto/ports/secret_box.h"

namespace confide {

// Portal accounts: clinicians invite their clients; a patient invites a partner, chooses what the
// partner sees and may revoke it at any time; the partner reads only that.
class PortalAccessService {
 public:
  PortalAccessService(SecretGenerator& secrets, IdGenerator& ids, const SecretBox& box)
      : secrets_(secrets), ids_(ids), box_(box) {}

  absl::StatusOr<v1::Invitation> InviteClient(const v1::InviteClientToPortalRequest& request,
                                              RequestScope& scope);
  absl::StatusOr<v1::Invitation> InvitePartner(const v1::InvitePartnerRequest& request,
                                               RequestScope& scope);
  absl::StatusOr<v1::ListPartnersResponse> ListPartners(RequestScope& scope);
  absl::StatusOr<v1::PartnerLink> UpdateShares(const v1::UpdatePartnerSharesRequest& request,
                                               RequestScope& scope);
  absl::StatusOr<v1::PartnerLink> Revoke(const v1::RevokePartnerRequest& request,
                                         RequestScope& scope);
  absl::StatusOr<v1::PartnerView> GetPartnerView(RequestScope& scope);

  void Register(MethodTable& table);

 private:
  SecretGenerator& secrets_;
  IdGenerator& ids_;
  const SecretBox& box_;
};

// The PartnerShare values as a bit set, and back (in enum order).
uint32_t SharesToBits(const google::protobuf::RepeatedField<int>& shares);
std::vector<v1::PartnerShare> BitsToShares(uint32_t bits);

}  // namespace confide
