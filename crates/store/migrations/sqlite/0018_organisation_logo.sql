-- The organisation's logo, cleaned when it was uploaded (its other details are settings). One
-- row at most; its tag changes with the file, so pages can ask for it afresh.
CREATE TABLE organisation_logo (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    kind TEXT NOT NULL CHECK (kind IN ('png', 'svg')),
    bytes BLOB NOT NULL,
    tag TEXT NOT NULL,
    updated_at INTEGER NOT NULL
);
