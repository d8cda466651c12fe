-- Sealing the audit trail (docs/audit.md): per-clinic chains of signed batch headers over RFC 6962
-- Merkle trees of the events, the clinics' Ed25519 signing keys, and the record of pruned ranges.

-- One Ed25519 key signs a clinic's checkpoints at a time; retired keys still verify old ones.
-- clinic_id '' is the deployment's own trail (events that name no clinic).
CREATE TABLE audit_signing_keys (
  key_id TEXT PRIMARY KEY,
  clinic_id TEXT NOT NULL,
  public_key TEXT NOT NULL,
  sealed_private_key TEXT NOT NULL,
  create_time BIGINT NOT NULL,
  retire_time BIGINT
);
CREATE UNIQUE INDEX audit_signing_keys_one_active ON audit_signing_keys (clinic_id)
  WHERE retire_time IS NULL;

-- A sealed batch of one clinic's events: those with seq in (seq_after, seq_through]. Hashes are
-- lowercase hex, the signature base64 (over the canonical header bytes, services/audit/audit_batch.h).
CREATE TABLE audit_batches (
  clinic_id TEXT NOT NULL,
  batch_no BIGINT NOT NULL,
  seq_after BIGINT NOT NULL,
  seq_through BIGINT NOT NULL,
  leaf_count BIGINT NOT NULL,
  tree_size BIGINT NOT NULL,
  root_hash TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  header_hash TEXT NOT NULL,
  seal_time BIGINT NOT NULL,
  key_id TEXT NOT NULL,
  signature TEXT NOT NULL,
  first_event_time BIGINT NOT NULL,
  last_event_time BIGINT NOT NULL,
  sealed_by TEXT NOT NULL,
  PRIMARY KEY (clinic_id, batch_no)
);
CREATE INDEX audit_batches_by_time ON audit_batches (clinic_id, last_event_time);

-- How far the sealer has looked, across all clinics: every event with seq <= this is in a batch.
CREATE TABLE audit_seal_state (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  sealed_through_seq BIGINT NOT NULL
);
INSERT INTO audit_seal_state (id, sealed_through_seq) VALUES (1, 0);

-- Archive-then-prune: the events of a clinic's batches up to through_batch_no were archived (the
-- archive's SHA-256 kept here) and deleted; their signed headers stay in audit_batches.
CREATE TABLE audit_prunes (
  clinic_id TEXT NOT NULL,
  through_batch_no BIGINT NOT NULL,
  through_seq BIGINT NOT NULL,
  archive_sha256 TEXT NOT NULL,
  prune_time BIGINT NOT NULL,
  PRIMARY KEY (clinic_id, through_batch_no)
);

-- Queries: keyset order is (time DESC, seq DESC) within the clinic.
CREATE INDEX audit_by_clinic_time ON audit_events (clinic_id, time, seq);
CREATE INDEX audit_by_actor_time ON audit_events (clinic_id, actor_user_id, time, seq);
CREATE INDEX audit_by_client_time ON audit_events (clinic_id, client_id, time, seq);
-- Verification and export walk a clinic's events in seq order.
CREATE INDEX audit_by_clinic_seq ON audit_events (clinic_id, seq);

-- Events stay append-only; the only DELETE allowed is of events in a recorded pruned range.
CREATE OR REPLACE FUNCTION audit_events_refuse_change() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' AND OLD.seq <= COALESCE(
      (SELECT max(through_seq) FROM audit_prunes WHERE clinic_id = OLD.clinic_id), 0) THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'audit events are append-only';
END;
$$ LANGUAGE plpgsql;

CREATE FUNCTION audit_seal_refuse_change() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'sealed audit batches, keys and prune records are append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_batches_no_change BEFORE UPDATE OR DELETE ON audit_batches
  FOR EACH ROW EXECUTE FUNCTION audit_seal_refuse_change();
CREATE TRIGGER audit_batches_no_truncate BEFORE TRUNCATE ON audit_batches
  FOR EACH STATEMENT EXECUTE FUNCTION audit_seal_refuse_change();
CREATE TRIGGER audit_prunes_no_change BEFORE UPDATE OR DELETE ON audit_prunes
  FOR EACH ROW EXECUTE FUNCTION audit_seal_refuse_change();

-- Which batch sealed an event: the clinic's first batch whose range ends at or after its seq.
CREATE INDEX audit_batches_by_seq ON audit_batches (clinic_id, seq_through);
