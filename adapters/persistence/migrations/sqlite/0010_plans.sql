-- Therapy plans (PlanService). A plan row holds what changes (its latest and shared version);
-- each version's whole content is one sealed TherapyPlan in plan_versions, written once.
CREATE TABLE plans (
  id TEXT PRIMARY KEY,
  clinic_id TEXT NOT NULL REFERENCES clinics(id),
  client_id TEXT NOT NULL REFERENCES clients(id),
  latest_version INTEGER NOT NULL,
  -- 0 while no version is shared with the patient.
  shared_version INTEGER NOT NULL DEFAULT 0,
  share_time BIGINT NOT NULL DEFAULT 0,
  create_time BIGINT NOT NULL,
  created_by TEXT NOT NULL REFERENCES users(id),
  create_request_id TEXT NOT NULL DEFAULT ''
);
CREATE INDEX plans_by_client ON plans (clinic_id, client_id, id);
-- A retried create (same request id) finds the first plan instead of inserting a second.
CREATE UNIQUE INDEX plans_by_create_request ON plans (clinic_id, create_request_id)
  WHERE create_request_id <> '';

-- Old versions stay readable exactly as they were: rows are only ever inserted (updates,
-- deletes and, on PostgreSQL, TRUNCATE are refused).
CREATE TABLE plan_versions (
  plan_id TEXT NOT NULL REFERENCES plans(id),
  version INTEGER NOT NULL,
  clinic_id TEXT NOT NULL REFERENCES clinics(id),
  client_id TEXT NOT NULL REFERENCES clients(id),
  author_user_id TEXT NOT NULL REFERENCES users(id),
  create_time BIGINT NOT NULL,
  -- ClientDataCipher text of the serialized TherapyPlan content.
  content_sealed TEXT NOT NULL,
  PRIMARY KEY (plan_id, version)
);
CREATE TRIGGER plan_versions_no_update BEFORE UPDATE ON plan_versions
BEGIN SELECT RAISE(ABORT, 'plan versions are never changed'); END;
CREATE TRIGGER plan_versions_no_delete BEFORE DELETE ON plan_versions
BEGIN SELECT RAISE(ABORT, 'plan versions are never changed'); END;

-- Small victories, recorded by the patient or the care team, or when a version showing a
-- goal ACHIEVED is shared.
CREATE TABLE milestones (
  id TEXT PRIMARY KEY,
  clinic_id TEXT NOT NULL REFERENCES clinics(id),
  client_id TEXT NOT NULL REFERENCES clients(id),
  -- '' when the milestone is not linked to a plan or goal.
  plan_id TEXT NOT NULL DEFAULT '',
  goal_id TEXT NOT NULL DEFAULT '',
  recorded_by_user_id TEXT NOT NULL REFERENCES users(id),
  recorded_by_role INTEGER NOT NULL,
  -- YYYY-MM-DD.
  achieved_date TEXT NOT NULL,
  create_time BIGINT NOT NULL,
  request_id TEXT NOT NULL DEFAULT '',
  title_sealed TEXT NOT NULL
);
CREATE INDEX milestones_by_client ON milestones (clinic_id, client_id, achieved_date);
CREATE UNIQUE INDEX milestones_by_request ON milestones (clinic_id, request_id)
  WHERE request_id <> '';
-- A goal has at most one milestone (made when a version showing it ACHIEVED is shared).
CREATE UNIQUE INDEX milestones_by_goal ON milestones (clinic_id, plan_id, goal_id)
  WHERE goal_id <> '';
