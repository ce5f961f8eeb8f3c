-- Several service instances share the database: an endpoint's channel is held by one instance at a time.
ALTER TABLE endpoints ADD COLUMN connected_instance UUID;

-- FALSE while a stored task could not be handed to the broker; the requeuer publishes such tasks later.
ALTER TABLE tasks ADD COLUMN queued BOOLEAN NOT NULL DEFAULT TRUE;
CREATE INDEX tasks_queued ON tasks (queued, seq);

-- Retention: tasks expire a configurable time after they were submitted.
CREATE INDEX tasks_created ON tasks (created_at);
