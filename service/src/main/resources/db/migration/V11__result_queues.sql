-- Task groups whose results are also published to a Globus Compute result queue (a submit said create_queue).
ALTER TABLE task_groups ADD COLUMN result_queue BOOLEAN NOT NULL DEFAULT FALSE;
