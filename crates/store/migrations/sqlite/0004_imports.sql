-- People imports in progress: the uploaded table, its column mapping, and the outcome.

CREATE TABLE imports (
    id INTEGER PRIMARY KEY,
    staff_id INTEGER REFERENCES staff (id),
    service_id INTEGER NOT NULL REFERENCES services (id),
    filename TEXT NOT NULL,
    header TEXT NOT NULL,
    rows_json TEXT NOT NULL,
    mapping TEXT NOT NULL DEFAULT '[]',
    status TEXT NOT NULL CHECK (status IN ('staged', 'done')),
    imported INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
);
