-- One structured intake per client (proto/confide/v1/intake.proto). Only the lifecycle is
-- plain; the patient's answers and the clinician's summary are sealed separately under the
-- client's data key (ClientDataCipher), so no answer text is stored in the clear.
CREATE TABLE intakes (
  client_id TEXT PRIMARY KEY REFERENCES clients(id),
  clinic_id TEXT NOT NULL REFERENCES clinics(id),
  status INTEGER NOT NULL,
  version BIGINT NOT NULL,
  create_time BIGINT NOT NULL,
  update_time BIGINT NOT NULL,
  -- status is the IntakeStatus enum number; submit and review times are 0 until then.
  submit_time BIGINT NOT NULL DEFAULT 0,
  review_time BIGINT NOT NULL DEFAULT 0,
  reviewed_by_user_id TEXT NOT NULL DEFAULT '',
  answers_sealed TEXT NOT NULL,
  clinician_summary_sealed TEXT NOT NULL DEFAULT ''
);
