#pragma once

#include "services/messaging/ports/outbox.h"

namespace soci {
class session;
}

namespace confide::persistence {

// Outbound invitation and reset messages in the `outbound_messages` table.
class SociOutbox final : public Outbox {
 public:
  explicit SociOutbox(soci::session& sql) : sql_(sql) {}

  absl::Status Enqueue(const OutboundMessage& message) override;
  absl::StatusOr<std::vector<OutboundMessage>> ListPending(int limit) override;
  absl::StatusOr<bool> MarkSent(std::string_view id, absl::Time when) override;

 private:
  soci::session& sql_;
};

}  // namespace confide::persistence
