-- When a function pinned to a high-assurance endpoint was last submitted (null: never since it was registered):
-- such functions idle 90 days are purged, as Globus Compute's are.
ALTER TABLE functions ADD COLUMN last_used_at BIGINT;
