-- An MPI task's resource specification (JSON); null for other tasks.
ALTER TABLE tasks ADD COLUMN resources TEXT;

-- Content-addressed bytes (base64), stored once however many functions ship them: Java functions' class files.
CREATE TABLE blobs (
    sha256     VARCHAR(64) PRIMARY KEY,
    content    TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
