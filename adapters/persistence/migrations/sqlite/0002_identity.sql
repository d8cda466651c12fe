-- Identity and access: MFA, lockout, idle sessions, one-time tokens (invitations and password
-- resets), partner links, primary clinicians and break-glass grants.
-- Sealed columns hold AES-256-GCM text (SecretBox) bound to table, column and row.
ALTER TABLE users ADD COLUMN totp_secret_sealed TEXT NOT NULL DEFAULT '';
-- A secret being enrolled: it replaces totp_secret_sealed once a code from it is confirmed.
ALTER TABLE users ADD COLUMN totp_pending_sealed TEXT NOT NULL DEFAULT '';
-- The last RFC 6238 time step accepted: a code is good once (replay refused).
ALTER TABLE users ADD COLUMN totp_last_step BIGINT NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN update_time BIGINT NOT NULL DEFAULT 0;
CREATE INDEX users_by_clinic ON users (clinic_id, id);

-- Only SHA-256 digests of recovery codes are stored.
CREATE TABLE recovery_codes (
  user_id TEXT NOT NULL REFERENCES users(id),
  code_digest TEXT NOT NULL,
  use_time BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (user_id, code_digest)
);

ALTER TABLE sessions ADD COLUMN last_seen_time BIGINT NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN idle_timeout_micros BIGINT NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN mfa_verified INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN source_address TEXT NOT NULL DEFAULT '';
CREATE INDEX sessions_by_user ON sessions (user_id, create_time);

-- Failed sign-ins per key: "email:<sha-256 of the address>" or "address:<client IP>".
CREATE TABLE sign_in_throttle (
  throttle_key TEXT PRIMARY KEY,
  failures INTEGER NOT NULL,
  last_failure_time BIGINT NOT NULL,
  locked_until BIGINT NOT NULL
);

-- Invitations and password resets. Only the token's SHA-256 is stored; a token is used once.
CREATE TABLE one_time_tokens (
  id TEXT PRIMARY KEY,
  token_digest TEXT NOT NULL UNIQUE,
  purpose INTEGER NOT NULL,
  clinic_id TEXT NOT NULL REFERENCES clinics(id),
  email TEXT NOT NULL DEFAULT '',
  display_name TEXT NOT NULL DEFAULT '',
  role INTEGER NOT NULL DEFAULT 0,
  discipline INTEGER NOT NULL DEFAULT 0,
  client_id TEXT NOT NULL DEFAULT '',
  user_id TEXT NOT NULL DEFAULT '',
  partner_shares INTEGER NOT NULL DEFAULT 0,
  created_by TEXT NOT NULL,
  create_time BIGINT NOT NULL,
  expire_time BIGINT NOT NULL,
  use_time BIGINT NOT NULL DEFAULT 0,
  revoke_time BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX one_time_tokens_by_clinic ON one_time_tokens (clinic_id, create_time);

-- What a patient shares with a partner account (a bit set of PartnerShare values).
CREATE TABLE partner_links (
  id TEXT PRIMARY KEY,
  clinic_id TEXT NOT NULL REFERENCES clinics(id),
  client_id TEXT NOT NULL REFERENCES clients(id),
  partner_user_id TEXT NOT NULL REFERENCES users(id),
  shares INTEGER NOT NULL,
  create_time BIGINT NOT NULL,
  update_time BIGINT NOT NULL,
  revoke_time BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX partner_links_by_client ON partner_links (client_id, id);
CREATE INDEX partner_links_by_partner ON partner_links (partner_user_id);

ALTER TABLE care_team_members ADD COLUMN is_primary INTEGER NOT NULL DEFAULT 0;

-- Emergency access by a clinician outside the care team: reason required, time-limited.
CREATE TABLE break_glass_grants (
  id TEXT PRIMARY KEY,
  clinic_id TEXT NOT NULL REFERENCES clinics(id),
  client_id TEXT NOT NULL REFERENCES clients(id),
  user_id TEXT NOT NULL REFERENCES users(id),
  reason_sealed TEXT NOT NULL,
  create_time BIGINT NOT NULL,
  expire_time BIGINT NOT NULL
);
CREATE INDEX break_glass_by_user ON break_glass_grants (user_id, client_id, expire_time);
CREATE INDEX break_glass_by_clinic ON break_glass_grants (clinic_id, create_time);
CREATE INDEX break_glass_by_client ON break_glass_grants (client_id, create_time);

-- Set on every event of a request served under break-glass access.
ALTER TABLE audit_events ADD COLUMN break_glass INTEGER NOT NULL DEFAULT 0;
