-- A deleted function is gone from the API, but tasks submitted before the deletion still run: its code stays.
ALTER TABLE functions ADD COLUMN deleted_at BIGINT;
