-- A client's consents (proto/confide/v1/consents.proto). Rows are never deleted or overwritten
-- in what they record: a withdrawal or a later grant of the same kind only ends a row (state,
-- end_time, withdrawn_by_user_id, withdrawn_by_role), so the history shows what was agreed, when
-- and by whom. kind, state and the two roles are proto enum numbers; end_time 0 while in force.
CREATE TABLE consents (
  id TEXT PRIMARY KEY,
  clinic_id TEXT NOT NULL REFERENCES clinics(id),
  client_id TEXT NOT NULL REFERENCES clients(id),
  kind INTEGER NOT NULL,
  text_version TEXT NOT NULL,
  state INTEGER NOT NULL,
  give_time BIGINT NOT NULL,
  recorded_by_user_id TEXT NOT NULL REFERENCES users(id),
  recorded_by_role INTEGER NOT NULL,
  end_time BIGINT NOT NULL DEFAULT 0,
  withdrawn_by_user_id TEXT NOT NULL DEFAULT '',
  withdrawn_by_role INTEGER NOT NULL DEFAULT 0,
  record_request_id TEXT NOT NULL DEFAULT ''
);
CREATE INDEX consents_by_client ON consents (clinic_id, client_id, give_time);
-- At most one grant of each kind is in force (state 1 = CONSENT_STATE_GIVEN).
CREATE UNIQUE INDEX consents_one_in_force ON consents (clinic_id, client_id, kind)
  WHERE state = 1;
-- A retried RecordConsent (same request id) finds the first result instead of inserting twice.
CREATE UNIQUE INDEX consents_by_record_request ON consents (clinic_id, record_request_id)
  WHERE record_request_id <> '';
