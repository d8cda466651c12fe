#pragma once

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "confide/v1/consents.pb.h"
#include "services/storage/ports/unit_of_work.h"

namespace confide {

// The ErrorInfo reason of a refusal for want of consent; its metadata "consent" holds the
// ConsentKind enum name (e.g. CONSENT_KIND_PARTNER_INVOLVEMENT), so a client can offer to
// record exactly that consent.
inline constexpr char kConsentRequiredReason[] = "CONSENT_REQUIRED";

// OK when the client has a grant of `kind` in force; otherwise FAILED_PRECONDITION naming the
// consent (e.g. "partner involvement consent (CONSENT_KIND_PARTNER_INVOLVEMENT) is not in force
// for this client; record it first") with a google.rpc.ErrorInfo of reason CONSENT_REQUIRED
// and metadata consent=<enum name>. Call it inside the request's write transaction, before
// writing anything that depends on the consent: the grant found stays in force until that
// transaction ends (ConsentRepository::LockInForce), so a concurrent withdrawal waits and then
// ends what this request created.
//
// Who calls it:
// - PortalAccessService::InvitePartner, UpdatePartnerShares when it adds shares, and
//   AcceptInvitation of a partner invitation: CONSENT_KIND_PARTNER_INVOLVEMENT. (Withdrawing
//   that consent revokes the client's partner links and her pending partner invitations.)
// - CONSENT_KIND_INTERNAL_EXAMINATION: CreateNote, UpdateNote and SignNote of a note whose
//   pelvic-floor findings record an internal examination (services/notes/note_service.cc).
absl::Status RequireConsent(UnitOfWork& uow, std::string_view clinic_id, std::string_view client_id,
                            v1::ConsentKind kind);

// The consent as people read it: "partner involvement consent".
std::string ConsentDisplayName(v1::ConsentKind kind);

}  // namespace confide
