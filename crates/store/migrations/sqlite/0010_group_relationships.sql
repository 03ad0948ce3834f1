-- A relationship is with a service or with one of its groups (group_id set, service_id the
-- group's service, so the service's staff keep seeing the person). A person has one relationship
-- per service and one per group.
--
-- SQLite cannot drop a table's UNIQUE constraint, so the table is rebuilt. Migrations run in a
-- transaction with foreign keys enforced, and dropping the old table would null every contact's
-- relationship (ON DELETE SET NULL); so the old table is renamed (contacts then point at it),
-- contacts are rebuilt pointing at the new table, and only then is the old one dropped.

ALTER TABLE relationships RENAME TO relationships_v1;

CREATE TABLE relationships (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    service_id INTEGER NOT NULL REFERENCES services (id),
    group_id INTEGER REFERENCES groups (id),
    staff_contact_id INTEGER REFERENCES staff (id),
    started_on TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('active', 'paused', 'ended')),
    cadence_days INTEGER NOT NULL CHECK (cadence_days BETWEEN 1 AND 365),
    next_review_on TEXT,
    last_contact_at INTEGER,
    due_at INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
INSERT INTO relationships (id, person_id, service_id, staff_contact_id, started_on, status, cadence_days,
    next_review_on, last_contact_at, due_at, created_at, version)
SELECT id, person_id, service_id, staff_contact_id, started_on, status, cadence_days,
    next_review_on, last_contact_at, due_at, created_at, version
FROM relationships_v1;

CREATE TABLE contacts_v2 (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    relationship_id INTEGER REFERENCES relationships (id) ON DELETE SET NULL,
    occurred_at INTEGER NOT NULL,
    channel TEXT NOT NULL,
    direction TEXT NOT NULL CHECK (direction IN ('outbound', 'inbound', 'meeting', 'message')),
    staff_id INTEGER REFERENCES staff (id),
    summary TEXT NOT NULL,
    follow_up_on TEXT,
    submission_key TEXT UNIQUE,
    created_at INTEGER NOT NULL
);
INSERT INTO contacts_v2 SELECT id, person_id, relationship_id, occurred_at, channel, direction, staff_id,
    summary, follow_up_on, submission_key, created_at FROM contacts;
DROP TABLE contacts;
ALTER TABLE contacts_v2 RENAME TO contacts;
CREATE INDEX contacts_person ON contacts (person_id, occurred_at);

DROP TABLE relationships_v1;

CREATE UNIQUE INDEX relationships_person_service ON relationships (person_id, service_id) WHERE group_id IS NULL;
CREATE UNIQUE INDEX relationships_person_group ON relationships (person_id, group_id) WHERE group_id IS NOT NULL;
CREATE INDEX relationships_person ON relationships (person_id, service_id);
CREATE INDEX relationships_due ON relationships (status, due_at, service_id, staff_contact_id);
CREATE INDEX relationships_service_due ON relationships (service_id, status, due_at);
CREATE INDEX relationships_contact_due ON relationships (staff_contact_id, status, due_at);
