-- Concerns people raise, through raised -> escalated -> responded -> fed back -> closed, each
-- raised by exactly one person, group or meeting, about one service. None is ever deleted: one
-- redirected (safeguarding, a complaint) keeps only that it was, and where, not its words.
CREATE TABLE concerns (
    id INTEGER PRIMARY KEY,
    service_id INTEGER NOT NULL REFERENCES services (id),
    person_id INTEGER REFERENCES people (id),
    group_id INTEGER REFERENCES groups (id),
    meeting_id INTEGER REFERENCES meetings (id),
    words TEXT NOT NULL,
    severity TEXT NOT NULL CHECK (severity IN ('low', 'medium', 'high')),
    status TEXT NOT NULL CHECK (status IN ('raised', 'escalated', 'responded', 'fed_back', 'closed', 'redirected')),
    status_since INTEGER NOT NULL,
    owner_id INTEGER REFERENCES staff (id),
    response TEXT NOT NULL DEFAULT '',
    fed_back_way TEXT CHECK (fed_back_way IN ('meeting', 'phone', 'email', 'letter', 'in_person')),
    fed_back_on TEXT NOT NULL DEFAULT '',
    fed_back_by TEXT NOT NULL DEFAULT '',
    not_changed_because TEXT NOT NULL DEFAULT '',
    redirected_to TEXT CHECK (redirected_to IN ('safeguarding', 'complaint')),
    raised_at INTEGER NOT NULL,
    recorded_by INTEGER REFERENCES staff (id),
    version INTEGER NOT NULL DEFAULT 1,
    CHECK ((person_id IS NOT NULL) + (group_id IS NOT NULL) + (meeting_id IS NOT NULL) = 1),
    CHECK (status = 'raised' OR status = 'redirected' OR owner_id IS NOT NULL)
);
CREATE INDEX concerns_log ON concerns (status, status_since);
CREATE INDEX concerns_service ON concerns (service_id, status);
CREATE INDEX concerns_owner ON concerns (owner_id, status);
CREATE INDEX concerns_meeting ON concerns (meeting_id);

-- Each step taken, with who took it and what they wrote (never the words of a redirected one).
CREATE TABLE concern_events (
    id INTEGER PRIMARY KEY,
    concern_id INTEGER NOT NULL REFERENCES concerns (id),
    at INTEGER NOT NULL,
    by_name TEXT NOT NULL,
    step TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX concern_events_concern ON concern_events (concern_id, id);
