-- Hardening: server secrets (form keys are signed with one every server shares), a hash of what
-- each enquiry's form carried (a used form key sent again with other answers is refused), and
-- the API's idempotency keys.

CREATE TABLE server_secrets (
    id INTEGER PRIMARY KEY,
    purpose TEXT NOT NULL CHECK (purpose IN ('form_keys')),
    -- 32 random bytes, hex.
    secret TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX server_secrets_newest ON server_secrets (purpose, id);

ALTER TABLE enquiries ADD COLUMN submission_hash TEXT;

-- One row per API token and key: in flight until the response is stored (status set).
CREATE TABLE idempotency_keys (
    token_id INTEGER NOT NULL REFERENCES api_tokens (id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    -- SHA-256 of the method, path and body, hex.
    request_hash TEXT NOT NULL,
    status INTEGER,
    content_type TEXT,
    location TEXT,
    body TEXT,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (token_id, key)
);
CREATE INDEX idempotency_keys_age ON idempotency_keys (created_at);

-- Where the audit chain is keyed from: the entry that names the key. Entries before it were
-- written before the chain was keyed.
ALTER TABLE audit_head ADD COLUMN keyed_from INTEGER;

-- A staged import's rows as one text (cells apart by U+001F, rows by U+001E), not a JSON list of
-- lists: a fifth of the memory for a large file. Staged imports are moments old, so any left
-- from before are done with.
ALTER TABLE imports RENAME COLUMN rows_json TO rows_text;
UPDATE imports SET rows_text = '', status = 'done' WHERE status = 'staged';
