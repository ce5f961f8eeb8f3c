-- API tokens get a name (what the admin called them) so they can be listed; each is known by the first 16 hex
-- digits of its hash, which says nothing of the token itself.
ALTER TABLE api_tokens ADD COLUMN name VARCHAR(128);

-- Which process of an endpoint holds its channel (the instance id its hello names): another one is refused
-- while that one is heard from.
ALTER TABLE endpoints ADD COLUMN channel_instance UUID;

-- Logins from OIDC providers linked to identities: one identity may have several (provider, subject) pairs.
CREATE TABLE identity_links (
    issuer      VARCHAR(512) NOT NULL,
    subject     VARCHAR(256) NOT NULL,
    identity_id UUID NOT NULL REFERENCES identities (id),
    username    VARCHAR(256) NOT NULL,
    linked_at   BIGINT NOT NULL,
    PRIMARY KEY (issuer, subject)
);
CREATE INDEX identity_links_identity ON identity_links (identity_id);
