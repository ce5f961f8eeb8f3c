-- Groups of identities a function may be shared with (Globus Compute's `group`): made by an identity, which
-- manages its members and is one itself. A function with a group_id may be seen and run by the group's members.
CREATE TABLE sharing_groups (
    id         UUID PRIMARY KEY,
    name       VARCHAR(128) NOT NULL,
    owner_id   UUID NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE TABLE group_members (
    group_id    UUID NOT NULL,
    identity_id UUID NOT NULL,
    PRIMARY KEY (group_id, identity_id)
);
CREATE INDEX group_members_identity ON group_members (identity_id);
ALTER TABLE functions ADD COLUMN group_id UUID;
