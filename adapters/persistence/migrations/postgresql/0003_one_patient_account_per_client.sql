-- A client record has at most one patient (portal) account, even when two invitations are
-- accepted at the same moment (role 3 is ROLE_PATIENT).
CREATE UNIQUE INDEX users_one_patient_per_client ON users (client_id)
  WHERE role = 3 AND client_id <> '';
