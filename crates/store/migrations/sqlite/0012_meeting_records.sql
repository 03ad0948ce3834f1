-- What happens at a meeting: projects (time-bound work with its own meetings and its place on
-- the ladder of co-production), one-off meetings, per-meeting joining details, minutes, papers,
-- invitees with their replies, the attendance register, the involvement it records, and actions
-- that carry forward.

CREATE TABLE projects (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    aims TEXT NOT NULL DEFAULT '',
    service_id INTEGER NOT NULL REFERENCES services (id),
    starts_on TEXT NOT NULL,
    ends_on TEXT,
    stage TEXT NOT NULL CHECK (stage IN ('planning', 'under_way', 'reviewing', 'finished')),
    ladder TEXT NOT NULL CHECK (ladder IN ('coercion', 'educating', 'informing', 'consultation',
        'engagement', 'co_design', 'co_production')),
    outputs TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    CHECK (ends_on IS NULL OR ends_on >= starts_on)
);
CREATE UNIQUE INDEX projects_name ON projects (lower(name));

CREATE TABLE project_members (
    id INTEGER PRIMARY KEY,
    project_id INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    person_id INTEGER REFERENCES people (id) ON DELETE CASCADE,
    staff_id INTEGER REFERENCES staff (id),
    role TEXT NOT NULL CHECK (role IN ('chair', 'member', 'staff_lead', 'supporter')),
    joined_on TEXT NOT NULL,
    left_on TEXT,
    CHECK ((person_id IS NULL) <> (staff_id IS NULL))
);
CREATE UNIQUE INDEX project_members_person ON project_members (project_id, person_id)
    WHERE person_id IS NOT NULL AND left_on IS NULL;
CREATE UNIQUE INDEX project_members_staff ON project_members (project_id, staff_id)
    WHERE staff_id IS NOT NULL AND left_on IS NULL;
CREATE INDEX project_members_of_person ON project_members (person_id) WHERE person_id IS NOT NULL;
CREATE INDEX project_members_of_staff ON project_members (staff_id) WHERE staff_id IS NOT NULL;
-- A staff member's calendar starts from their memberships.
CREATE INDEX group_members_of_staff ON group_members (staff_id) WHERE staff_id IS NOT NULL;

-- Each change of a project's level on the ladder, dated.
CREATE TABLE project_ladder (
    id INTEGER PRIMARY KEY,
    project_id INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    ladder TEXT NOT NULL,
    recorded_on TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX project_ladder_project ON project_ladder (project_id, id);

-- Meetings belong to a group or a project; one-offs have a title; joining details left null
-- are the group's.
CREATE TABLE meetings_v2 (
    id INTEGER PRIMARY KEY,
    group_id INTEGER REFERENCES groups (id) ON DELETE CASCADE,
    project_id INTEGER REFERENCES projects (id) ON DELETE CASCADE,
    occurrence TEXT,
    title TEXT NOT NULL DEFAULT '',
    -- The UK date it starts on, for who was a member that day.
    starts_on TEXT NOT NULL,
    starts_at INTEGER NOT NULL,
    ends_at INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('scheduled', 'cancelled')),
    changed_at INTEGER,
    sequence INTEGER NOT NULL DEFAULT 0,
    agenda TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    video_link TEXT,
    phone_dial_in TEXT,
    venue TEXT,
    venue_access TEXT,
    register_version INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    CHECK (ends_at > starts_at),
    CHECK ((group_id IS NULL) <> (project_id IS NULL))
);
-- SQLite has no time zones: a meeting still where its pattern put it starts on its key's date;
-- one moved by hand takes its UTC date (the UK date but for a start between midnight and 1am in
-- summer).
INSERT INTO meetings_v2 (id, group_id, occurrence, starts_on, starts_at, ends_at, status, changed_at,
    sequence, agenda, created_at, updated_at, version)
SELECT id, group_id, occurrence, CASE WHEN changed_at IS NULL AND occurrence IS NOT NULL THEN substr(occurrence, 1, 10)
        ELSE date(starts_at / 1000, 'unixepoch') END,
    starts_at, ends_at, status, changed_at, sequence, agenda, created_at, updated_at, version
FROM meetings;
DROP TABLE meetings;
ALTER TABLE meetings_v2 RENAME TO meetings;
CREATE UNIQUE INDEX meetings_occurrence ON meetings (group_id, occurrence) WHERE occurrence IS NOT NULL;
CREATE INDEX meetings_group_start ON meetings (group_id, starts_at);
CREATE INDEX meetings_project_start ON meetings (project_id, starts_at) WHERE project_id IS NOT NULL;
CREATE INDEX meetings_start ON meetings (starts_at);

-- Who a meeting concerns beyond its group's members at the time (the default invitees): extra
-- invitees, members not invited this time, replies and the register.
CREATE TABLE meeting_people (
    id INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    person_id INTEGER REFERENCES people (id) ON DELETE CASCADE,
    staff_id INTEGER REFERENCES staff (id),
    -- Set only when this meeting differs from the membership: 1 invited to it alone, 0 taken off it.
    invited INTEGER,
    rsvp TEXT CHECK (rsvp IN ('yes', 'no', 'maybe')),
    rsvp_at INTEGER,
    attendance TEXT CHECK (attendance IN ('attended', 'apologies', 'absent')),
    minutes_attended INTEGER,
    role TEXT CHECK (role IN ('member', 'co_chair', 'presenter')),
    updated_at INTEGER NOT NULL,
    CHECK ((person_id IS NULL) <> (staff_id IS NULL))
);
CREATE UNIQUE INDEX meeting_people_person ON meeting_people (meeting_id, person_id) WHERE person_id IS NOT NULL;
CREATE UNIQUE INDEX meeting_people_staff ON meeting_people (meeting_id, staff_id) WHERE staff_id IS NOT NULL;
CREATE INDEX meeting_people_of_person ON meeting_people (person_id) WHERE person_id IS NOT NULL;
CREATE INDEX meeting_people_of_staff ON meeting_people (staff_id) WHERE staff_id IS NOT NULL;

-- A person's involvement: time given, which the payments work turns into claims.
CREATE TABLE involvements (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    meeting_id INTEGER REFERENCES meetings (id) ON DELETE SET NULL,
    kind TEXT NOT NULL,
    occurred_on TEXT NOT NULL,
    minutes INTEGER NOT NULL,
    role TEXT NOT NULL,
    description TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX involvements_meeting ON involvements (meeting_id, person_id) WHERE meeting_id IS NOT NULL;
CREATE INDEX involvements_person ON involvements (person_id, occurred_on);

-- Actions agreed at a meeting; open ones carry forward to the group's or project's next
-- meetings.
CREATE TABLE actions (
    id INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    group_id INTEGER REFERENCES groups (id) ON DELETE CASCADE,
    project_id INTEGER REFERENCES projects (id) ON DELETE CASCADE,
    raised_at INTEGER NOT NULL,
    description TEXT NOT NULL,
    owner_person_id INTEGER REFERENCES people (id) ON DELETE SET NULL,
    owner_staff_id INTEGER REFERENCES staff (id),
    due_on TEXT,
    status TEXT NOT NULL CHECK (status IN ('open', 'done', 'dropped')),
    closed_at INTEGER,
    submission_key TEXT UNIQUE,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX actions_meeting ON actions (meeting_id);
CREATE INDEX actions_group ON actions (group_id, raised_at) WHERE group_id IS NOT NULL;
CREATE INDEX actions_project ON actions (project_id, raised_at) WHERE project_id IS NOT NULL;

-- Papers for a meeting: an uploaded file or a link, Easy Read or standard.
CREATE TABLE meeting_papers (
    id INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    link TEXT,
    file_name TEXT,
    content_type TEXT,
    content BLOB,
    size INTEGER,
    easy_read INTEGER NOT NULL DEFAULT 0,
    added_by TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    CHECK ((link IS NULL) <> (content IS NULL))
);
CREATE INDEX meeting_papers_meeting ON meeting_papers (meeting_id);
