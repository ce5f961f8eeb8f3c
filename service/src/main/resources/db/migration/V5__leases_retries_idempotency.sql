-- Retries on system failure: a task's own limit (null: its endpoint's), and whether its user errors retry too.
ALTER TABLE tasks ADD COLUMN max_retries INT;
ALTER TABLE tasks ADD COLUMN retry_user_errors BOOLEAN NOT NULL DEFAULT FALSE;
-- The endpoint's limit (max_retries_on_system_failure in its config), sent when it connects.
ALTER TABLE endpoints ADD COLUMN max_retries INT NOT NULL DEFAULT 2;

-- Every attempt that ended without ending its task, and the last one of a task that failed after retries.
CREATE TABLE task_attempts (
    task_id    UUID NOT NULL,
    attempt    INT NOT NULL,
    error_code VARCHAR(64) NOT NULL,
    reason     TEXT,
    started_at BIGINT,
    ended_at   BIGINT NOT NULL,
    PRIMARY KEY (task_id, attempt)
);

-- Idempotent submit: a retried request with the same key gets the first one's answer.
CREATE TABLE submit_keys (
    owner_id        UUID NOT NULL,
    idempotency_key VARCHAR(128) NOT NULL,
    request_hash    VARCHAR(64) NOT NULL,
    response        TEXT NOT NULL,
    created_at      BIGINT NOT NULL,
    PRIMARY KEY (owner_id, idempotency_key)
);
CREATE INDEX submit_keys_created ON submit_keys (created_at);
