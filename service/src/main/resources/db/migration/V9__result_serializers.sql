-- The strategies a task's Python result may be serialized with: Globus Compute class names, comma-separated, in
-- the submitter's order (NULL: Globus Compute's default, dill).
ALTER TABLE tasks ADD COLUMN result_serializers VARCHAR(512);
