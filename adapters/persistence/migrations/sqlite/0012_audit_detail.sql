-- Facts of a request an auditor needs beyond its resource (e.g. why a record was exported):
-- key=value pairs of enum names and flags, never free text or clinical content.
ALTER TABLE audit_events ADD COLUMN detail TEXT NOT NULL DEFAULT '';
