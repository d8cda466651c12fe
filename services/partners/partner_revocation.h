#pragma once

#include <string_view>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "services/partners/ports/partner_link_repository.h"
#include "services/storage/ports/unit_of_work.h"

namespace confide {

// Ends a partner's access at once: revokes the link, deactivates the partner account (it exists
// only for this link) and ends its open sessions. Sets link.revoke_time. Revoking a link that is
// already revoked changes nothing. Used by RevokePartner and by withdrawing partner-involvement
// consent, so both end access the same way.
absl::Status RevokePartnerLink(UnitOfWork& uow, PartnerLinkRecord& link, absl::Time now);

// Revokes every live partner link of the client, as RevokePartnerLink does, and her pending
// partner invitations (accepting one is then refused like any revoked invitation).
absl::Status RevokeAllPartnersOfClient(UnitOfWork& uow, std::string_view clinic_id,
                                       std::string_view client_id, absl::Time now);

}  // namespace confide
