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
-- addenda.
CREATE FUNCTION notes_guard_signed() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    RAISE EXCEPTION 'notes are never truncated';
  END IF;
  IF OLD.state <> 2 THEN
    IF TG_OP = 'DELETE' THEN
      RETURN OLD;
    END IF;
    RETURN NEW;
  END IF;
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'a signed note is never deleted';
  END IF;
  IF (NEW.id, NEW.clinic_id, NEW.client_id, NEW.kind, NEW.state, NEW.author_user_id,
      NEW.session_start_time, NEW.duration_minutes, NEW.modality, NEW.session_type,
      NEW.content_sealed, NEW.patient_summary_sealed, NEW.create_time, NEW.signed_by_user_id,
      NEW.sign_time, NEW.content_hash, NEW.discarded_by_user_id, NEW.discard_time,
      NEW.create_request_id)
     IS DISTINCT FROM
     (OLD.id, OLD.clinic_id, OLD.client_id, OLD.kind, OLD.state, OLD.author_user_id,
      OLD.session_start_time, OLD.duration_minutes, OLD.modality, OLD.session_type,
      OLD.content_sealed, OLD.patient_summary_sealed, OLD.create_time, OLD.signed_by_user_id,
      OLD.sign_time, OLD.content_hash, OLD.discarded_by_user_id, OLD.discard_time,
      OLD.create_request_id)
     -- The co-signer is named when signing; they co-sign once, and nobody else ever can.
     OR NEW.cosigner_user_id IS DISTINCT FROM OLD.cosigner_user_id
     OR (OLD.cosign_time <> 0 AND NEW.cosign_time IS DISTINCT FROM OLD.cosign_time)
     OR (OLD.cosigner_user_id = '' AND NEW.cosign_time <> 0) THEN
    RAISE EXCEPTION 'a signed note is never changed';
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER notes_signed_no_change BEFORE UPDATE OR DELETE ON notes
  FOR EACH ROW EXECUTE FUNCTION notes_guard_signed();
CREATE TRIGGER notes_no_truncate BEFORE TRUNCATE ON notes
  FOR EACH STATEMENT EXECUTE FUNCTION notes_guard_signed();

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
CREATE FUNCTION note_addenda_refuse_change() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'note addenda are never changed';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER note_addenda_no_update BEFORE UPDATE OR DELETE ON note_addenda
  FOR EACH ROW EXECUTE FUNCTION note_addenda_refuse_change();
CREATE TRIGGER note_addenda_no_truncate BEFORE TRUNCATE ON note_addenda
  FOR EACH STATEMENT EXECUTE FUNCTION note_addenda_refuse_change();
-- An addendum corrects a signed note of the same clinic and client (never a draft, never one
-- filed under another client, whose record it would then join).
CREATE FUNCTION note_addenda_only_on_signed() RETURNS trigger AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM notes WHERE id = NEW.note_id AND state = 2
                 AND clinic_id = NEW.clinic_id AND client_id = NEW.client_id) THEN
    RAISE EXCEPTION 'an addendum is added only to a signed note of its client';
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER note_addenda_only_on_signed BEFORE INSERT ON note_addenda
  FOR EACH ROW EXECUTE FUNCTION note_addenda_only_on_signed();
