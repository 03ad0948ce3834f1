-- Standing co-production groups: their purpose, service, partner, meeting pattern and default
-- joining details, and their members with a role each.

CREATE TABLE groups (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    purpose TEXT NOT NULL DEFAULT '',
    terms_of_reference TEXT NOT NULL DEFAULT '',
    service_id INTEGER NOT NULL REFERENCES services (id),
    partner_id INTEGER REFERENCES partners (id),
    -- An RFC 5545 rule in canonical form, and the first meeting's London wall-clock start.
    meeting_rrule TEXT,
    first_meeting TEXT,
    meeting_minutes INTEGER NOT NULL DEFAULT 60,
    video_link TEXT,
    phone_dial_in TEXT NOT NULL DEFAULT '',
    venue TEXT NOT NULL DEFAULT '',
    venue_access TEXT NOT NULL DEFAULT '',
    reminder_lead_hours INTEGER NOT NULL DEFAULT 24,
    next_review_on TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    archived_at INTEGER,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX groups_name ON groups (lower(name));
CREATE INDEX groups_service ON groups (service_id);

CREATE TABLE group_members (
    id INTEGER PRIMARY KEY,
    group_id INTEGER NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    person_id INTEGER REFERENCES people (id) ON DELETE CASCADE,
    staff_id INTEGER REFERENCES staff (id),
    role TEXT NOT NULL CHECK (role IN ('chair', 'member', 'staff_lead', 'supporter')),
    joined_on TEXT NOT NULL,
    left_on TEXT,
    CHECK ((person_id IS NULL) <> (staff_id IS NULL))
);
-- One current membership each.
CREATE UNIQUE INDEX group_members_person ON group_members (group_id, person_id)
    WHERE person_id IS NOT NULL AND left_on IS NULL;
CREATE UNIQUE INDEX group_members_staff ON group_members (group_id, staff_id)
    WHERE staff_id IS NOT NULL AND left_on IS NULL;
CREATE INDEX group_members_of_person ON group_members (person_id) WHERE person_id IS NOT NULL;
