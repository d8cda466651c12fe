-- Clinics, accounts, sessions, client records and the audit trail.
-- Times are microseconds since the Unix epoch (UTC); enums are the proto enum numbers.
CREATE TABLE clinics (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  is_demo INTEGER NOT NULL DEFAULT 0,
  create_time BIGINT NOT NULL
);

CREATE TABLE users (
  id TEXT PRIMARY KEY,
  clinic_id TEXT NOT NULL REFERENCES clinics(id),
  email TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL,
  role INTEGER NOT NULL,
  discipline INTEGER NOT NULL DEFAULT 0,
  client_id TEXT NOT NULL DEFAULT '',
  password_hash TEXT NOT NULL,
  active INTEGER NOT NULL DEFAULT 1,
  create_time BIGINT NOT NULL
);

CREATE TABLE sessions (
  id TEXT PRIMARY KEY,
  token_digest TEXT NOT NULL UNIQUE,
  user_id TEXT NOT NULL REFERENCES users(id),
  clinic_id TEXT NOT NULL REFERENCES clinics(id),
  create_time BIGINT NOT NULL,
  expire_time BIGINT NOT NULL,
  revoke_time BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE clients (
  id TEXT PRIMARY KEY,
  clinic_id TEXT NOT NULL REFERENCES clinics(id),
  legal_given_name TEXT NOT NULL,
  legal_family_name TEXT NOT NULL,
  preferred_name TEXT NOT NULL DEFAULT '',
  pronouns TEXT NOT NULL DEFAULT '',
  date_of_birth TEXT NOT NULL DEFAULT '',
  email TEXT NOT NULL DEFAULT '',
  phone TEXT NOT NULL DEFAULT '',
  no_clinic_name_in_messages INTEGER NOT NULL DEFAULT 0,
  voicemail_ok INTEGER NOT NULL DEFAULT 0,
  safe_times_to_call TEXT NOT NULL DEFAULT '',
  preferred_channel INTEGER NOT NULL DEFAULT 0,
  emergency_name TEXT NOT NULL DEFAULT '',
  emergency_relationship TEXT NOT NULL DEFAULT '',
  emergency_phone TEXT NOT NULL DEFAULT '',
  referral_source TEXT NOT NULL DEFAULT '',
  presenting_concern INTEGER NOT NULL DEFAULT 0,
  presenting_concern_other TEXT NOT NULL DEFAULT '',
  status INTEGER NOT NULL,
  create_request_id TEXT NOT NULL DEFAULT '',
  version BIGINT NOT NULL,
  create_time BIGINT NOT NULL,
  update_time BIGINT NOT NULL
);
CREATE INDEX clients_by_clinic ON clients (clinic_id, id);
-- A retried create (same request id) finds the first result instead of inserting twice.
CREATE UNIQUE INDEX clients_by_create_request ON clients (clinic_id, create_request_id)
  WHERE create_request_id <> '';

CREATE TABLE care_team_members (
  client_id TEXT NOT NULL REFERENCES clients(id),
  user_id TEXT NOT NULL REFERENCES users(id),
  added_time BIGINT NOT NULL,
  PRIMARY KEY (client_id, user_id)
);
CREATE INDEX care_team_by_user ON care_team_members (user_id, client_id);

-- Append-only: no code path updates or deletes rows (the audit issue adds sealing on top).
CREATE TABLE audit_events (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  time BIGINT NOT NULL,
  actor_user_id TEXT NOT NULL,
  actor_role TEXT NOT NULL,
  clinic_id TEXT NOT NULL,
  action TEXT NOT NULL,
  resource TEXT NOT NULL,
  client_id TEXT NOT NULL,
  outcome TEXT NOT NULL,
  status_code TEXT NOT NULL,
  request_id TEXT NOT NULL,
  source_address TEXT NOT NULL
);
CREATE INDEX audit_by_client ON audit_events (clinic_id, client_id, seq);
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
