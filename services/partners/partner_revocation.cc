#include "services/partners/partner_revocation.h"

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/auth/ports/one_time_token_repository.h"
#include "services/auth/ports/session_repository.h"
#include "services/auth/ports/user_repository.h"

namespace confide {

absl::Status RevokePartnerLink(UnitOfWork& uow, PartnerLinkRecord& link, absl::Time now) {
  if (link.revoke_time.has_value()) {
    return absl::OkStatus();
  }
  if (absl::Status s = uow.partner_links().Revoke(link.id, now); !s.ok()) {
    return s;
  }
  link.revoke_time = now;
  // The partner account exists only for this link: it cannot sign in any more.
  if (absl::Status s = uow.users().SetActive(link.partner_user_id, false, now); !s.ok()) {
    return s;
  }
  // Immediate effect: the partner's open sessions end now, not at their next request.
  absl::StatusOr<int> ended = uow.sessions().RevokeAllOfUser(link.partner_user_id, "", now);
  return ended.ok() ? absl::OkStatus() : ended.status();
}

absl::Status RevokeAllPartnersOfClient(UnitOfWork& uow, std::string_view clinic_id,
                                       std::string_view client_id, absl::Time now) {
  absl::StatusOr<std::vector<PartnerLinkRecord>> links =
      uow.partner_links().ListOfClient(clinic_id, client_id);
  if (!links.ok()) {
    return links.status();
  }
  for (PartnerLinkRecord& link : *links) {
    if (absl::Status s = RevokePartnerLink(uow, link, now); !s.ok()) {
      return s;
    }
  }
  // An invitation not yet accepted would otherwise open a new link later.
  OneTimeTokenRecord pending;
  pending.purpose = TokenPurpose::kPartnerInvitation;
  pending.clinic_id = std::string(clinic_id);
  pending.client_id = std::string(client_id);
  return uow.one_time_tokens().RevokeOutstanding(pending, now);
}

}  // namespace confide
