-- Opening coproduce to the people themselves: opportunities (roles to fill), enquiries from the
-- public, and the people's own portal (sign-in codes and sessions, Easy Read mode).

CREATE TABLE opportunities (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('training_delivery', 'recruitment_panel', 'environment_review',
        'reading_panel', 'focus_group', 'co_design_workshop', 'other')),
    service_id INTEGER NOT NULL REFERENCES services (id),
    -- The UK date and time it starts and ends, and any further dates in words.
    starts_on TEXT NOT NULL,
    start_time TEXT NOT NULL DEFAULT '',
    end_time TEXT NOT NULL DEFAULT '',
    dates_note TEXT NOT NULL DEFAULT '',
    place TEXT NOT NULL CHECK (place IN ('online', 'phone', 'venue')),
    venue TEXT NOT NULL DEFAULT '',
    access_info TEXT NOT NULL DEFAULT '',
    places INTEGER NOT NULL CHECK (places BETWEEN 1 AND 500),
    asked TEXT NOT NULL DEFAULT '',
    -- Codes, comma separated: training, buddy, pre_meeting; and training_done, dbs, adult.
    support TEXT NOT NULL DEFAULT '',
    support_notes TEXT NOT NULL DEFAULT '',
    requirements TEXT NOT NULL DEFAULT '',
    payment TEXT NOT NULL DEFAULT '',
    closes_on TEXT NOT NULL,
    description TEXT NOT NULL,
    -- One line a sentence: a picture's name, a tab, then the sentence.
    easy_read TEXT NOT NULL DEFAULT '',
    visibility TEXT NOT NULL CHECK (visibility IN ('draft', 'involved', 'public')),
    minutes INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX opportunities_open ON opportunities (visibility, closes_on);

-- Pictures staff uploaded for Easy Read summaries.
CREATE TABLE easy_read_pictures (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    alt TEXT NOT NULL,
    content_type TEXT NOT NULL,
    bytes BLOB NOT NULL,
    uploaded_by INTEGER REFERENCES staff (id),
    created_at INTEGER NOT NULL
);

-- Who was invited, expressed interest, was selected, confirmed or put on the waiting list.
CREATE TABLE opportunity_people (
    id INTEGER PRIMARY KEY,
    opportunity_id INTEGER NOT NULL REFERENCES opportunities (id) ON DELETE CASCADE,
    person_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    status TEXT NOT NULL CHECK (status IN ('invited', 'interested', 'selected', 'waiting',
        'confirmed', 'declined', 'withdrawn')),
    note TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (opportunity_id, person_id)
);
CREATE INDEX opportunity_people_person ON opportunity_people (person_id);

ALTER TABLE involvements ADD COLUMN opportunity_id INTEGER REFERENCES opportunities (id) ON DELETE SET NULL;
CREATE UNIQUE INDEX involvements_opportunity ON involvements (opportunity_id, person_id) WHERE opportunity_id IS NOT NULL;

-- A member of the public asking to get involved. Every enquiry ends converted into a person or
-- closed with a reason; none is ever deleted.
CREATE TABLE enquiries (
    id INTEGER PRIMARY KEY,
    submission_key TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    email TEXT,
    phone TEXT,
    channels TEXT NOT NULL DEFAULT '',
    best_times TEXT NOT NULL DEFAULT '',
    needs TEXT NOT NULL DEFAULT '',
    needs_notes TEXT NOT NULL DEFAULT '',
    interests TEXT NOT NULL DEFAULT '',
    opportunity_id INTEGER REFERENCES opportunities (id) ON DELETE SET NULL,
    community_group TEXT NOT NULL DEFAULT '',
    client_key TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('new', 'converted', 'closed')),
    assigned_to INTEGER REFERENCES staff (id),
    welcome_call_at INTEGER,
    welcome_call_by INTEGER REFERENCES staff (id),
    welcome_call_notes TEXT NOT NULL DEFAULT '',
    person_id INTEGER REFERENCES people (id) ON DELETE SET NULL,
    closed_reason TEXT NOT NULL DEFAULT '',
    respond_by TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    CHECK (status <> 'closed' OR closed_reason <> '')
);
CREATE INDEX enquiries_open ON enquiries (status, respond_by);
CREATE INDEX enquiries_client ON enquiries (client_key, created_at);

-- The people's portal: one-time sign-in codes and links, and sessions. A request for a code
-- always makes a row, with no person when the address is unknown, so the answer never says
-- whether an address is known.
CREATE TABLE portal_codes (
    id INTEGER PRIMARY KEY,
    request_hash TEXT NOT NULL UNIQUE,
    link_hash TEXT NOT NULL UNIQUE,
    code_hash TEXT NOT NULL,
    person_id INTEGER REFERENCES people (id) ON DELETE CASCADE,
    address_key TEXT NOT NULL,
    client_key TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at INTEGER
);
CREATE INDEX portal_codes_address ON portal_codes (address_key, created_at);
CREATE INDEX portal_codes_client ON portal_codes (client_key, created_at);

CREATE TABLE portal_sessions (
    id INTEGER PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    person_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    -- The staff member who signed the person in on their behalf, if one did.
    on_behalf_of INTEGER REFERENCES staff (id),
    created_at INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    revoked_at INTEGER
);
CREATE INDEX portal_sessions_person ON portal_sessions (person_id);

ALTER TABLE people ADD COLUMN easy_read_mode INTEGER NOT NULL DEFAULT 0;
