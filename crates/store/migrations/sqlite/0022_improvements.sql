-- Improvements: what changed in a service because people spoke up, what led to it (concerns,
-- groups, projects, meetings) and the evidence. A published one is on "You said, we did"; its
-- quote shows only while the quoted person's latest consent to be quoted is given.
CREATE TABLE improvements (
    id INTEGER PRIMARY KEY,
    service_id INTEGER NOT NULL REFERENCES services (id),
    you_said TEXT NOT NULL,
    we_did TEXT NOT NULL,
    evidence TEXT NOT NULL DEFAULT '',
    changed_on TEXT NOT NULL,
    quote TEXT NOT NULL DEFAULT '',
    quote_person_id INTEGER REFERENCES people (id),
    you_said_easy TEXT NOT NULL DEFAULT '',
    we_did_easy TEXT NOT NULL DEFAULT '',
    published INTEGER NOT NULL DEFAULT 0,
    created_by INTEGER REFERENCES staff (id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX improvements_service ON improvements (service_id, changed_on);
CREATE INDEX improvements_published ON improvements (published, changed_on);

-- What led to each: one concern, group, project or meeting a row.
CREATE TABLE improvement_links (
    improvement_id INTEGER NOT NULL REFERENCES improvements (id),
    kind TEXT NOT NULL CHECK (kind IN ('concern', 'group', 'project', 'meeting')),
    target_id INTEGER NOT NULL,
    PRIMARY KEY (improvement_id, kind, target_id)
);
CREATE INDEX improvement_links_target ON improvement_links (kind, target_id);

-- A concern closed with the improvement that answered it.
ALTER TABLE concerns ADD COLUMN improvement_id INTEGER REFERENCES improvements (id);

-- Evidence an improvement happened: a photo of the new room, the leaflet as rewritten. Its type
-- is told from its content when it is uploaded.
CREATE TABLE improvement_files (
    id INTEGER PRIMARY KEY,
    improvement_id INTEGER NOT NULL REFERENCES improvements (id),
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    content BLOB NOT NULL,
    size INTEGER NOT NULL,
    added_by TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX improvement_files_improvement ON improvement_files (improvement_id, id);
