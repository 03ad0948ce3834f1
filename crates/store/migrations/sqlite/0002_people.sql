-- People, their needs and consents, relationships with services, and contacts.
-- Dates (no time of day) are TEXT 'YYYY-MM-DD'; moments are UTC milliseconds.

ALTER TABLE services ADD COLUMN default_cadence_days INTEGER NOT NULL DEFAULT 28;

CREATE TABLE people (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    preferred_name TEXT NOT NULL DEFAULT '',
    pronouns TEXT NOT NULL DEFAULT '',
    date_of_birth TEXT,
    email TEXT,
    phone TEXT,
    address TEXT NOT NULL DEFAULT '',
    postcode TEXT,
    partner_id INTEGER REFERENCES partners (id),
    status TEXT NOT NULL CHECK (status IN ('enquiry', 'onboarding', 'active', 'paused', 'left')),
    channels TEXT NOT NULL DEFAULT '',
    best_times TEXT NOT NULL DEFAULT '',
    needs TEXT NOT NULL DEFAULT '',
    interpreter_language TEXT NOT NULL DEFAULT '',
    needs_notes TEXT NOT NULL DEFAULT '',
    search_text TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX people_name ON people (name, id);
CREATE INDEX people_email ON people (email);
CREATE INDEX people_phone ON people (phone);

CREATE TABLE person_status_changes (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    status TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    changed_on TEXT NOT NULL,
    recorded_by INTEGER REFERENCES staff (id),
    recorded_at INTEGER NOT NULL
);
CREATE INDEX person_status_changes_person ON person_status_changes (person_id);

CREATE TABLE consents (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('contact', 'hold_data', 'photos', 'quotes')),
    given INTEGER NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    recorded_by INTEGER REFERENCES staff (id),
    recorded_at INTEGER NOT NULL
);
CREATE INDEX consents_person ON consents (person_id);

CREATE TABLE tags (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('interest', 'lived_experience')),
    name TEXT NOT NULL,
    UNIQUE (kind, name)
);

CREATE TABLE person_tags (
    person_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    tag_id INTEGER NOT NULL REFERENCES tags (id),
    restricted INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (person_id, tag_id)
);
CREATE INDEX person_tags_tag ON person_tags (tag_id);

CREATE TABLE relationships (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    service_id INTEGER NOT NULL REFERENCES services (id),
    staff_contact_id INTEGER REFERENCES staff (id),
    started_on TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('active', 'paused', 'ended')),
    cadence_days INTEGER NOT NULL CHECK (cadence_days BETWEEN 1 AND 365),
    next_review_on TEXT,
    last_contact_at INTEGER,
    due_at INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    UNIQUE (person_id, service_id)
);
CREATE INDEX relationships_due ON relationships (status, due_at);
CREATE INDEX relationships_service_due ON relationships (service_id, status, due_at);
CREATE INDEX relationships_contact_due ON relationships (staff_contact_id, status, due_at);

CREATE TABLE contacts (
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
CREATE INDEX contacts_person ON contacts (person_id, occurred_at);
