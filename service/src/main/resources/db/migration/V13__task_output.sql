-- What tasks wrote (live task output): chunks of each task's latest attempt, by byte offset; the service keeps the
-- newest output_kept_bytes of each task and deletes older chunks as newer ones arrive.
CREATE TABLE task_output (
    task_id   UUID   NOT NULL,
    attempt   INT    NOT NULL,
    start_at  BIGINT NOT NULL,
    end_at    BIGINT NOT NULL,
    text      TEXT   NOT NULL,
    PRIMARY KEY (task_id, attempt, start_at)
);
