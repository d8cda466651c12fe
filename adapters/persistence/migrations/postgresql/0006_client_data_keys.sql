-- Per-client data keys of envelope encryption (DESIGN.md "Sensitive data"). Each key is
-- sealed (AES-256-GCM) under the master key; erasing a client's clinical content empties
-- wrapped_key and sets erase_time, after which nothing sealed under it can be opened.
CREATE TABLE client_data_keys (
  clinic_id TEXT NOT NULL REFERENCES clinics(id),
  client_id TEXT NOT NULL REFERENCES clients(id),
  wrapped_key TEXT NOT NULL,
  create_time BIGINT NOT NULL,
  erase_time BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (clinic_id, client_id)
);
