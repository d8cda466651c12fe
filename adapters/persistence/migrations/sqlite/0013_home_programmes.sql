-- Home programmes: the clinic's exercise library, programmes and their versions, practice logs,
-- dilator progression suggestions and the patient's journal.

-- The exercise library holds no client data: its content is plain protobuf JSON.
CREATE TABLE exercises (
  id TEXT PRIMARY KEY,
  clinic_id TEXT NOT NULL REFERENCES clinics(id),
  latest_version INTEGER NOT NULL,
  -- The latest version's title, category and archived flag, for listing and filtering.
  title TEXT NOT NULL,
  category INTEGER NOT NULL,
  archived INTEGER NOT NULL DEFAULT 0,
  -- The starter set's key (e.g. 'kegels-gentle'); '' for the clinic's own. Seeding twice is a no-op.
  starter_key TEXT NOT NULL DEFAULT '',
  create_time BIGINT NOT NULL,
  -- '' for the starter set.
  created_by TEXT NOT NULL DEFAULT '',
  create_request_id TEXT NOT NULL DEFAULT ''
);
CREATE INDEX exercises_by_title ON exercises (clinic_id, title, id);
CREATE UNIQUE INDEX exercises_by_starter_key ON exercises (clinic_id, starter_key)
  WHERE starter_key <> '';
CREATE UNIQUE INDEX exercises_by_create_request ON exercises (clinic_id, create_request_id)
  WHERE create_request_id <> '';

-- A prescribed version stays exactly as it was: rows are only ever inserted.
CREATE TABLE exercise_versions (
  exercise_id TEXT NOT NULL REFERENCES exercises(id),
  version INTEGER NOT NULL,
  clinic_id TEXT NOT NULL REFERENCES clinics(id),
  author_user_id TEXT NOT NULL DEFAULT '',
  create_time BIGINT NOT NULL,
  content_json TEXT NOT NULL,
  PRIMARY KEY (exercise_id, version)
);
CREATE TRIGGER exercise_versions_no_update BEFORE UPDATE ON exercise_versions
BEGIN SELECT RAISE(ABORT, 'exercise versions are never changed'); END;
CREATE TRIGGER exercise_versions_no_delete BEFORE DELETE ON exercise_versions
BEGIN SELECT RAISE(ABORT, 'exercise versions are never changed'); END;

-- A programme row holds what changes (latest version, status); each version's content is one
-- sealed Programme in programme_versions, written once.
CREATE TABLE programmes (
  id TEXT PRIMARY KEY,
  clinic_id TEXT NOT NULL REFERENCES clinics(id),
  client_id TEXT NOT NULL REFERENCES clients(id),
  latest_version INTEGER NOT NULL,
  status INTEGER NOT NULL,
  -- +1 on every change (a version or a status change): the etag is made from it.
  revision INTEGER NOT NULL DEFAULT 1,
  -- IANA name; the latest version's, for computing days without opening the content.
  time_zone TEXT NOT NULL,
  -- 0 until first activated.
  activate_time BIGINT NOT NULL DEFAULT 0,
  create_time BIGINT NOT NULL,
  created_by TEXT NOT NULL REFERENCES users(id),
  create_request_id TEXT NOT NULL DEFAULT ''
);
CREATE INDEX programmes_by_client ON programmes (clinic_id, client_id, id);
CREATE UNIQUE INDEX programmes_by_create_request ON programmes (clinic_id, create_request_id)
  WHERE create_request_id <> '';

CREATE TABLE programme_versions (
  programme_id TEXT NOT NULL REFERENCES programmes(id),
  version INTEGER NOT NULL,
  clinic_id TEXT NOT NULL REFERENCES clinics(id),
  client_id TEXT NOT NULL REFERENCES clients(id),
  author_user_id TEXT NOT NULL REFERENCES users(id),
  create_time BIGINT NOT NULL,
  -- ClientDataCipher text of the serialized Programme content (title, message, plan, items).
  content_sealed TEXT NOT NULL,
  PRIMARY KEY (programme_id, version)
);
CREATE TRIGGER programme_versions_no_update BEFORE UPDATE ON programme_versions
BEGIN SELECT RAISE(ABORT, 'programme versions are never changed'); END;
CREATE TRIGGER programme_versions_no_delete BEFORE DELETE ON programme_versions
BEGIN SELECT RAISE(ABORT, 'programme versions are never changed'); END;

-- One practised (or skipped) session. The numbers are plain so progress is computed by
-- aggregate queries; her words on how it felt are sealed.
CREATE TABLE practice_logs (
  id TEXT PRIMARY KEY,
  clinic_id TEXT NOT NULL REFERENCES clinics(id),
  client_id TEXT NOT NULL REFERENCES clients(id),
  programme_id TEXT NOT NULL REFERENCES programmes(id),
  programme_version INTEGER NOT NULL,
  item_id TEXT NOT NULL,
  practiced_at BIGINT NOT NULL,
  -- YYYY-MM-DD of practiced_at in the programme's time zone.
  local_date TEXT NOT NULL,
  duration_minutes INTEGER NOT NULL,
  completion INTEGER NOT NULL,
  -- 0 when none.
  dilator_size INTEGER NOT NULL DEFAULT 0,
  -- -1 when none.
  pain INTEGER NOT NULL DEFAULT -1,
  anxiety INTEGER NOT NULL DEFAULT -1,
  -- '' when she wrote nothing.
  feelings_sealed TEXT NOT NULL DEFAULT '',
  suggestion_id TEXT NOT NULL DEFAULT '',
  recorded_by_user_id TEXT NOT NULL REFERENCES users(id),
  create_time BIGINT NOT NULL,
  request_id TEXT NOT NULL
);
CREATE UNIQUE INDEX practice_logs_by_request ON practice_logs (clinic_id, request_id);
CREATE INDEX practice_logs_by_client ON practice_logs (clinic_id, client_id, practiced_at, id);
-- Progress reads one item's days and sizes over its whole history (GROUP BY local_date, GROUP
-- BY dilator_size): each index holds every column its query reads, clinic_id last, so those
-- queries never touch the table rows.
CREATE INDEX practice_logs_by_item_day
  ON practice_logs (programme_id, item_id, local_date, completion, pain, anxiety, clinic_id);
CREATE INDEX practice_logs_by_item_size
  ON practice_logs (programme_id, item_id, dilator_size, practiced_at, completion, local_date,
                    clinic_id);

CREATE TABLE progression_suggestions (
  id TEXT PRIMARY KEY,
  clinic_id TEXT NOT NULL REFERENCES clinics(id),
  client_id TEXT NOT NULL REFERENCES clients(id),
  programme_id TEXT NOT NULL REFERENCES programmes(id),
  programme_version INTEGER NOT NULL,
  item_id TEXT NOT NULL,
  direction INTEGER NOT NULL,
  from_size INTEGER NOT NULL,
  to_size INTEGER NOT NULL,
  sessions_at_size INTEGER NOT NULL,
  window_sessions INTEGER NOT NULL,
  window_max_pain INTEGER NOT NULL,
  window_max_anxiety INTEGER NOT NULL,
  practice_log_id TEXT NOT NULL,
  status INTEGER NOT NULL,
  create_time BIGINT NOT NULL,
  decided_by_user_id TEXT NOT NULL DEFAULT '',
  decide_time BIGINT NOT NULL DEFAULT 0,
  accepted_version INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX progression_suggestions_by_client
  ON progression_suggestions (clinic_id, client_id, id);
-- At most one PENDING suggestion per item.
CREATE UNIQUE INDEX progression_suggestions_one_pending
  ON progression_suggestions (programme_id, item_id) WHERE status = 1;

-- The patient's journal. Text, mood and tags are one sealed JournalEntry; who may see it is
-- plain so lists filter in SQL.
CREATE TABLE journal_entries (
  id TEXT PRIMARY KEY,
  clinic_id TEXT NOT NULL REFERENCES clinics(id),
  client_id TEXT NOT NULL REFERENCES clients(id),
  write_time BIGINT NOT NULL,
  shared_with_care_team INTEGER NOT NULL DEFAULT 0,
  shared_with_partner INTEGER NOT NULL DEFAULT 0,
  content_sealed TEXT NOT NULL,
  revision INTEGER NOT NULL DEFAULT 1,
  create_time BIGINT NOT NULL,
  update_time BIGINT NOT NULL,
  request_id TEXT NOT NULL DEFAULT ''
);
CREATE INDEX journal_entries_by_client ON journal_entries (clinic_id, client_id, write_time, id);
CREATE UNIQUE INDEX journal_entries_by_request ON journal_entries (clinic_id, request_id)
  WHERE request_id <> '';
