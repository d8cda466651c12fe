-- Administrations of validated measures (AssessmentService). The answers and the score are
-- clinical content: one sealed column (per-client data key, AES-256-GCM, bound to this row).
CREATE TABLE assessments (
  id TEXT PRIMARY KEY,
  clinic_id TEXT NOT NULL REFERENCES clinics(id),
  client_id TEXT NOT NULL REFERENCES clients(id),
  instrument_id TEXT NOT NULL,
  instrument_version TEXT NOT NULL,
  mode INTEGER NOT NULL,
  administered_by TEXT NOT NULL REFERENCES users(id),
  role INTEGER NOT NULL,
  complete_time BIGINT NOT NULL,
  request_id TEXT NOT NULL DEFAULT '',
  content_sealed TEXT NOT NULL
);
-- History per client, newest first, optionally by instrument.
CREATE INDEX assessments_by_client ON assessments (clinic_id, client_id, id);
CREATE INDEX assessments_by_instrument ON assessments (clinic_id, client_id, instrument_id, id);
-- Request ids are unique in the clinic (as for clients); the service replays only a retry by the
-- same submitter for the same client and instrument, and refuses any other reuse.
CREATE UNIQUE INDEX assessments_by_request ON assessments (clinic_id, request_id)
  WHERE request_id <> '';
