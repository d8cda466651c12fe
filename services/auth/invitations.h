#pragma once

#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "confide/v1/access.pb.h"
#include "services/auth/ports/one_time_token_repository.h"
#include "services/auth/ports/secret_generator.h"
#include "services/common/id_generator.h"
#include "services/crypto/ports/secret_box.h"
#include "services/storage/ports/unit_of_work.h"

namespace confide {

inline constexpr absl::Duration kInvitationLifetime = absl::Hours(72);
inline constexpr absl::Duration kPasswordResetLifetime = absl::Hours(1);

// The SecretBox context of a queued message's token.
std::string OutboundTokenContext(std::string_view message_id);

// Stores `record` (id, token digest and times filled in here) with a fresh 256-bit token (after
// revoking older unused tokens for the same person, unless `replace_outstanding` is false), and
// queues the token, sealed, in the outbox for `recipient_email`. Only the token's digest is stored
// in the tokens table; the caller gets the invitation's id, expiry and address, never the token.
absl::StatusOr<v1::Invitation> IssueOneTimeToken(UnitOfWork& uow, SecretGenerator& secrets,
                                                 IdGenerator& ids, const SecretBox& box,
                                                 OneTimeTokenRecord record,
                                                 std::string_view recipient_email, absl::Time now,
                                                 absl::Duration lifetime,
                                                 bool replace_outstanding = true);

}  // namespace confide
