-- Identities that may see, watch and lock an endpoint besides its owner (its admins), replaced at each
-- registration.
CREATE TABLE endpoint_admins (
    endpoint_id UUID NOT NULL REFERENCES endpoints (id) ON DELETE CASCADE,
    identity_id UUID NOT NULL REFERENCES identities (id),
    PRIMARY KEY (endpoint_id, identity_id)
);
CREATE INDEX endpoint_admins_identity ON endpoint_admins (identity_id);

-- Who may submit (SubmitPolicy as JSON: allowed and excluded domains, maximum login age); null: no more than
-- ownership or the identity mapping.
ALTER TABLE endpoints ADD COLUMN submit_policy TEXT;
