-- Session notes (NoteService). The session's facts are plain columns so lists can be ordered
-- and the patient's summaries listed without opening notes; everything written about the
-- session is sealed under the client's data key. Times are unix micros; 0 means "not yet".
CREATE TABLE notes (
  id TEXT PRIMARY KEY,
  clinic_id TEXT NOT NULL REFERENCES clinics(id),
  client_id TEXT NOT NULL REFERENCES clients(id),
  -- v1::NoteKind, v1::NoteState.
  kind INTEGER NOT NULL,
  state INTEGER NOT NULL,
  author_user_id TEXT NOT NULL REFERENCES users(id),
  session_start_time BIGINT NOT NULL,
  duration_minutes INTEGER NOT NULL,
  -- v1::SessionModality, v1::SessionType.
  modality INTEGER NOT NULL,
  session_type INTEGER NOT NULL,
  -- ClientDataCipher text of the serialized content; '' once the draft was discarded.
  content_sealed TEXT NOT NULL,
  -- ClientDataCipher text of the serialized v1::SessionSummary; '' when there is none.
  patient_summary_sealed TEXT NOT NULL DEFAULT '',
  version INTEGER NOT NULL,
  create_time BIGINT NOT NULL,
  update_time BIGINT NOT NULL,
  signed_by_user_id TEXT NOT NULL DEFAULT '',
  sign_time BIGINT NOT NULL DEFAULT 0,
  -- Lowercase hex SHA-256 of the signed content's canonical form.
  content_hash TEXT NOT NULL DEFAULT '',
  cosigner_user_id TEXT NOT NULL DEFAULT '',
  cosign_time BIGINT NOT NULL DEFAULT 0,
  discarded_by_user_id TEXT NOT NULL DEFAULT '',
  discard_time BIGINT NOT NULL DEFAULT 0,
  create_request_id TEXT NOT NULL DEFAULT ''
);
-- ListNotes and ListSessionSummaries: newest session first, then newest id.
CREATE INDEX notes_by_client ON notes (clinic_id, client_id, session_start_time DESC, id DESC);
-- A retried create (same request id) finds the first note instead of inserting a second.
CREATE UNIQUE INDEX notes_by_create_request ON notes (clinic_id, create_request_id)
  WHERE create_request_id <> '';

-- A signed note is the legal record of its session: it is never deleted, and once signed only
-- its co-signature (once), version, update time and readers may change. Corrections are
-- addenda. The co-signer is named when signing; they co-sign once, and nobody else ever can.
-- (No comments inside trigger bodies: tests re-create a trigger from its one-line text.)
CREATE TRIGGER notes_signed_no_delete BEFORE DELETE ON notes WHEN OLD.state = 2
BEGIN SELECT RAISE(ABORT, 'a signed note is never deleted'); END;
CREATE TRIGGER notes_signed_no_change BEFORE UPDATE ON notes
WHEN OLD.state = 2 AND (
  NEW.id IS NOT OLD.id OR NEW.clinic_id IS NOT OLD.clinic_id
  OR NEW.client_id IS NOT OLD.client_id OR NEW.kind IS NOT OLD.kind
  OR NEW.state IS NOT OLD.state OR NEW.author_user_id IS NOT OLD.author_user_id
  OR NEW.session_start_time IS NOT OLD.session_start_time
  OR NEW.duration_minutes IS NOT OLD.duration_minutes OR NEW.modality IS NOT OLD.modality
  OR NEW.session_type IS NOT OLD.session_type OR NEW.content_sealed IS NOT OLD.content_sealed
  OR NEW.patient_summary_sealed IS NOT OLD.patient_summary_sealed
  OR NEW.create_time IS NOT OLD.create_time
  OR NEW.signed_by_user_id IS NOT OLD.signed_by_user_id OR NEW.sign_time IS NOT OLD.sign_time
  OR NEW.content_hash IS NOT OLD.content_hash
  OR NEW.discarded_by_user_id IS NOT OLD.discarded_by_user_id
  OR NEW.discard_time IS NOT OLD.discard_time
  OR NEW.create_request_id IS NOT OLD.create_request_id
  OR NEW.cosigner_user_id IS NOT OLD.cosigner_user_id
  OR (OLD.cosign_time <> 0 AND NEW.cosign_time IS NOT OLD.cosign_time)
  OR (OLD.cosigner_user_id = '' AND NEW.cosign_time <> 0))
BEGIN SELECT RAISE(ABORT, 'a signed note is never changed'); END;
-- SQLite's REPLACE conflict resolution (INSERT OR REPLACE, UPDATE OR REPLACE, REPLACE INTO)
-- deletes the conflicting row without firing DELETE triggers (recursive_triggers is off), so
-- the trigger above alone would let a signed note be swapped for a forged one. A note's row is
-- therefore never replaced and its identity never changes. The message keeps SQLite's wording
-- for a duplicate key so that a plain INSERT of a used id still reads as ALREADY_EXISTS.
CREATE TRIGGER notes_never_replaced BEFORE INSERT ON notes
WHEN EXISTS (SELECT 1 FROM notes WHERE id = NEW.id)
  OR (NEW.create_request_id <> '' AND EXISTS (
        SELECT 1 FROM notes
        WHERE clinic_id = NEW.clinic_id AND create_request_id = NEW.create_request_id))
BEGIN SELECT RAISE(ABORT, 'UNIQUE constraint failed: a note is never replaced'); END;
CREATE TRIGGER notes_identity_never_changes BEFORE UPDATE OF id, clinic_id, create_request_id
ON notes
WHEN NEW.id IS NOT OLD.id OR NEW.clinic_id IS NOT OLD.clinic_id
  OR NEW.create_request_id IS NOT OLD.create_request_id
BEGIN SELECT RAISE(ABORT, 'a note''s identity is never changed'); END;

-- Who besides the author may read a psychotherapy note.
CREATE TABLE note_readers (
  note_id TEXT NOT NULL REFERENCES notes(id),
  user_id TEXT NOT NULL REFERENCES users(id),
  PRIMARY KEY (note_id, user_id)
);
CREATE INDEX note_readers_by_user ON note_readers (user_id);

-- Addenda to signed notes: written once, never changed or deleted (updates, deletes and, on
-- PostgreSQL, TRUNCATE are refused).
CREATE TABLE note_addenda (
  id TEXT PRIMARY KEY,
  note_id TEXT NOT NULL REFERENCES notes(id),
  clinic_id TEXT NOT NULL REFERENCES clinics(id),
  client_id TEXT NOT NULL REFERENCES clients(id),
  author_user_id TEXT NOT NULL REFERENCES users(id),
  create_time BIGINT NOT NULL,
  -- ClientDataCipher text of the addendum's text.
  text_sealed TEXT NOT NULL,
  -- Lowercase hex SHA-256 of the addendum's canonical form.
  content_hash TEXT NOT NULL,
  request_id TEXT NOT NULL DEFAULT ''
);
CREATE INDEX note_addenda_by_note ON note_addenda (note_id, create_time);
CREATE UNIQUE INDEX note_addenda_by_request ON note_addenda (clinic_id, request_id)
  WHERE request_id <> '';
CREATE TRIGGER note_addenda_no_update BEFORE UPDATE ON note_addenda
BEGIN SELECT RAISE(ABORT, 'note addenda are never changed'); END;
CREATE TRIGGER note_addenda_no_delete BEFORE DELETE ON note_addenda
BEGIN SELECT RAISE(ABORT, 'note addenda are never changed'); END;
-- An addendum corrects a signed note of the same clinic and client (never a draft, never one
-- filed under another client, whose record it would then join).
CREATE TRIGGER note_addenda_only_on_signed BEFORE INSERT ON note_addenda
WHEN NOT EXISTS (SELECT 1 FROM notes WHERE id = NEW.note_id AND state = 2
                 AND clinic_id = NEW.clinic_id AND client_id = NEW.client_id)
BEGIN SELECT RAISE(ABORT, 'an addendum is added only to a signed note of its client'); END;
-- REPLACE would delete an addendum without firing the DELETE trigger (see notes above).
CREATE TRIGGER note_addenda_never_replaced BEFORE INSERT ON note_addenda
WHEN EXISTS (SELECT 1 FROM note_addenda WHERE id = NEW.id)
  OR (NEW.request_id <> '' AND EXISTS (
        SELECT 1 FROM note_addenda
        WHERE clinic_id = NEW.clinic_id AND request_id = NEW.request_id))
BEGIN SELECT RAISE(ABORT, 'UNIQUE constraint failed: note addenda are never replaced'); END;
