#include "adapters/persistence/soci_outbox.h"

#include <string>

#include "adapters/persistence/soci_errors.h"
#include "soci/soci.h"

namespace confide::persistence {

absl::Status SociOutbox::Enqueue(const OutboundMessage& message) {
  try {
    std::string id = message.id, clinic_id = message.clinic_id, recipient = message.recipient_email,
                token_sealed = message.token_sealed;
    int kind = static_cast<int>(message.kind);
    long long create_time = absl::ToUnixMicros(message.create_time);
    sql_ << "INSERT INTO outbound_messages (id, clinic_id, kind, recipient_email, token_sealed, "
            "create_time) VALUES (:id, :clinic_id, :kind, :recipient, :token_sealed, :create_time)",
        soci::use(id), soci::use(clinic_id), soci::use(kind), soci::use(recipient),
        soci::use(token_sealed), soci::use(create_time);
    return absl::OkStatus();
  } catch (const std::exception& e) {
    return StatusFromException(e, "outbound_messages.enqueue");
  }
}

absl::StatusOr<std::vector<OutboundMessage>> SociOutbox::ListPending(int limit) {
  try {
    std::vector<OutboundMessage> messages;
    OutboundMessage row;
    int kind = 0;
    long long create_time = 0;
    soci::statement st =
        (sql_.prepare << "SELECT id, clinic_id, kind, recipient_email, token_sealed, create_time "
                         "FROM outbound_messages WHERE sent_time = 0 "
                         "ORDER BY create_time, id LIMIT :limit",
         soci::into(row.id), soci::into(row.clinic_id), soci::into(kind),
         soci::into(row.recipient_email), soci::into(row.token_sealed), soci::into(create_time),
         soci::use(limit));
    st.execute();
    while (st.fetch()) {
      row.kind = static_cast<MessageKind>(kind);
      row.create_time = absl::FromUnixMicros(create_time);
      messages.push_back(row);
    }
    return messages;
  } catch (const std::exception& e) {
    return StatusFromException(e, "outbound_messages.list_pending");
  }
}

absl::StatusOr<bool> SociOutbox::MarkSent(std::string_view id, absl::Time when) {
  try {
    std::string message_id(id);
    long long sent_time = absl::ToUnixMicros(when);
    soci::statement st = (sql_.prepare << "UPDATE outbound_messages SET sent_time = :when "
                                          "WHERE id = :id AND sent_time = 0",
                          soci::use(sent_time), soci::use(message_id));
    st.execute(true);
    return st.get_affected_rows() == 1;
  } catch (const std::exception& e) {
    return StatusFromException(e, "outbound_messages.mark_sent");
  }
}

}  // namespace confide::persistence
