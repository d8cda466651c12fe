-- Invitation and password-reset messages waiting for the mail relay. The token is sealed
-- (AES-256-GCM under the master key); the inviter never sees it.
CREATE TABLE outbound_messages (
  id TEXT PRIMARY KEY,
  clinic_id TEXT NOT NULL REFERENCES clinics(id),
  kind INTEGER NOT NULL,
  recipient_email TEXT NOT NULL,
  token_sealed TEXT NOT NULL,
  create_time BIGINT NOT NULL,
  sent_time BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX outbound_messages_pending ON outbound_messages (sent_time, create_time);
