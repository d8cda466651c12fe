#include "services/auth/invitations.h"

#include <utility>

#include "services/common/timestamps.h"

namespace confide {

absl::StatusOr<v1::Invitation> IssueOneTimeToken(UnitOfWork& uow, SecretGenerator& secrets,
                                                 IdGenerator& ids, OneTimeTokenRecord record,
                                                 absl::Time now, absl::Duration lifetime) {
  // A new invitation or reset replaces older ones: only the latest link works.
  if (absl::Status revoked = uow.one_time_tokens().RevokeOutstanding(record, now); !revoked.ok()) {
    return revoked;
  }
  const std::string token = secrets.NewSessionToken();
  record.id = ids.NewId();
  record.token_digest = secrets.Digest(token);
  record.create_time = now;
  record.expire_time = now + lifetime;
  if (absl::Status stored = uow.one_time_tokens().Insert(record); !stored.ok()) {
    return stored;
  }
  v1::Invitation invitation;
  invitation.set_id(record.id);
  invitation.set_token(token);
  *invitation.mutable_expire_time() = ToTimestamp(record.expire_time);
  return invitation;
}

}  // namespace confide
