-- Endpoint managers start a user endpoint per submitter (identity, user config, runtime). A user endpoint is an
-- endpoint row of its own, owned by the manager's owner, naming its manager, the identity it serves and the
-- values and runtime it was started for (so the service can have it started again).
ALTER TABLE endpoints ADD COLUMN is_manager BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE endpoints ADD COLUMN manager_id UUID;
ALTER TABLE endpoints ADD COLUMN user_identity_id UUID;
ALTER TABLE endpoints ADD COLUMN user_config TEXT;
ALTER TABLE endpoints ADD COLUMN user_runtime TEXT;
CREATE INDEX endpoints_manager ON endpoints (manager_id);

-- A token that opens one endpoint's channel and nothing else (given to a user endpoint).
ALTER TABLE api_tokens ADD COLUMN endpoint_scope UUID;

-- Each start request sent to a manager, and its answer (error null: started); the submit waits for the answer.
CREATE TABLE user_endpoint_starts (
    request_id       UUID PRIMARY KEY,
    user_endpoint_id UUID NOT NULL,
    manager_id       UUID NOT NULL,
    identity_id      UUID NOT NULL,
    user_config      TEXT,
    user_runtime     TEXT,
    requested_at     BIGINT NOT NULL,
    answered_at      BIGINT,
    error            TEXT
);
CREATE INDEX user_endpoint_starts_requested ON user_endpoint_starts (requested_at);
