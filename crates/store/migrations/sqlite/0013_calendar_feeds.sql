-- Secret calendar links: one current link per person or staff member, stored as its token's
-- hash. Revoking a link (or making a new one) stops the old address working at once.

CREATE TABLE calendar_feeds (
    id INTEGER PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    person_id INTEGER REFERENCES people (id) ON DELETE CASCADE,
    staff_id INTEGER REFERENCES staff (id),
    created_by TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER,
    last_used_at INTEGER,
    CHECK ((person_id IS NULL) <> (staff_id IS NULL))
);
CREATE UNIQUE INDEX calendar_feeds_person ON calendar_feeds (person_id) WHERE person_id IS NOT NULL AND revoked_at IS NULL;
CREATE UNIQUE INDEX calendar_feeds_staff ON calendar_feeds (staff_id) WHERE staff_id IS NOT NULL AND revoked_at IS NULL;
