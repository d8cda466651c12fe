#include "services/auth/invitations.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "services/common/timestamps.h"
#include "services/messaging/ports/outbox.h"

namespace confide {

std::string OutboundTokenContext(std::string_view message_id) {
  return absl::StrCat("outbound_messages.token_sealed:", std::string(message_id));
}

absl::StatusOr<v1::Invitation> IssueOneTimeToken(UnitOfWork& uow, SecretGenerator& secrets,
                                                 IdGenerator& ids, const SecretBox& box,
                                                 OneTimeTokenRecord record,
                                                 std::string_view recipient_email, absl::Time now,
                                                 absl::Duration lifetime,
                                                 bool replace_outstanding) {
  // A new invitation or reset replaces older ones: only the latest link works.
  if (replace_outstanding) {
    if (absl::Status revoked = uow.one_time_tokens().RevokeOutstanding(record, now);
        !revoked.ok()) {
      return revoked;
    }
  }
  const std::string token = secrets.NewSessionToken();
  record.id = ids.NewId();
  record.token_digest = secrets.Digest(token);
  record.create_time = now;
  record.expire_time = now + lifetime;
  if (absl::Status stored = uow.one_time_tokens().Insert(record); !stored.ok()) {
    return stored;
  }
  OutboundMessage message;
  message.id = ids.NewId();
  message.clinic_id = record.clinic_id;
  // The purposes and message kinds share their numbers.
  message.kind = static_cast<MessageKind>(static_cast<int>(record.purpose));
  message.recipient_email = absl::AsciiStrToLower(std::string(recipient_email));
  message.create_time = now;
  absl::StatusOr<std::string> sealed = box.Seal(token, OutboundTokenContext(message.id));
  if (!sealed.ok()) {
    return sealed.status();
  }
  message.token_sealed = *std::move(sealed);
  if (absl::Status queued = uow.outbox().Enqueue(message); !queued.ok()) {
    return queued;
  }
  v1::Invitation invitation;
  invitation.set_id(record.id);
  *invitation.mutable_expire_time() = ToTimestamp(record.expire_time);
  invitation.set_sent_to(message.recipient_email);
  return invitation;
}

}  // namespace confide
