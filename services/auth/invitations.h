#pragma once

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "confide/v1/access.pb.h"
#include "services/auth/ports/one_time_token_repository.h"
#include "services/auth/ports/secret_generator.h"
#include "services/common/id_generator.h"
#include "services/storage/ports/unit_of_work.h"

namespace confide {

inline constexpr absl::Duration kInvitationLifetime = absl::Hours(72);
inline constexpr absl::Duration kPasswordResetLifetime = absl::Hours(1);

// Stores `record` (id, token digest and times filled in here) with a fresh 256-bit token,
// after revoking older unused tokens of the same purpose for the same email or user, and
// returns the token to hand over. Only the token's digest is stored.
absl::StatusOr<v1::Invitation> IssueOneTimeToken(UnitOfWork& uow, SecretGenerator& secrets,
                                                 IdGenerator& ids, OneTimeTokenRecord record,
                                                 absl::Time now, absl::Duration lifetime);

}  // namespace confide
