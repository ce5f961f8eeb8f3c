-- High assurance: an endpoint registered so stays so; its functions are pinned to it, and their results are
-- never pushed (the stream and the result queues get a notice; the result is fetched).
ALTER TABLE endpoints ADD COLUMN high_assurance BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE functions ADD COLUMN ha_endpoint_id UUID;
