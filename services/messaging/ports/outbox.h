#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace confide {

// What an outbound message is for; the mail relay picks the template by it.
enum class MessageKind : int {
  kStaffInvitation = 1,
  kPatientInvitation = 2,
  kPartnerInvitation = 3,
  kPasswordReset = 4,
};

// A message waiting for the mail relay: an invitation or reset link for one address. The token
// it carries is sealed (SecretBox), so the outbox table is no more useful than the tokens table
// to someone holding only the database.
struct OutboundMessage {
  std::string id;
  std::string clinic_id;
  MessageKind kind = MessageKind::kStaffInvitation;
  std::string recipient_email;
  // SecretBox text of the one-time token, bound to "outbound_messages.token_sealed:<id>".
  std::string token_sealed;
  absl::Time create_time;
  std::optional<absl::Time> sent_time;
};

// Messages the server has to send. Written in the transaction that issues the token, so a
// message exists exactly when its token does.
class Outbox {
 public:
  virtual ~Outbox() = default;
  virtual absl::Status Enqueue(const OutboundMessage& message) = 0;
  // Unsent messages, oldest first (at most `limit`).
  virtual absl::StatusOr<std::vector<OutboundMessage>> ListPending(int limit) = 0;
  // Marks a message sent; false when there is no such unsent message.
  virtual absl::StatusOr<bool> MarkSent(std::string_view id, absl::Time when) = 0;
};

}  // namespace confide
