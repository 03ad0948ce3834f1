-- Reviews ("never done"): a periodic look at a group, project or relationship against the 4Pi
-- National Involvement Standards, with what was agreed to adjust and when to look again.
CREATE TABLE reviews (
    id INTEGER PRIMARY KEY,
    group_id INTEGER REFERENCES groups (id),
    project_id INTEGER REFERENCES projects (id),
    relationship_id INTEGER REFERENCES relationships (id),
    service_id INTEGER NOT NULL REFERENCES services (id),
    held_on TEXT NOT NULL,
    principles TEXT NOT NULL,
    principles_notes TEXT NOT NULL DEFAULT '',
    purpose TEXT NOT NULL,
    purpose_notes TEXT NOT NULL DEFAULT '',
    presence TEXT NOT NULL,
    presence_notes TEXT NOT NULL DEFAULT '',
    process TEXT NOT NULL,
    process_notes TEXT NOT NULL DEFAULT '',
    impact TEXT NOT NULL,
    impact_notes TEXT NOT NULL DEFAULT '',
    views TEXT NOT NULL DEFAULT '',
    next_review_on TEXT NOT NULL,
    ladder_from TEXT,
    ladder_to TEXT,
    ladder_reason TEXT NOT NULL DEFAULT '',
    recorded_by TEXT NOT NULL,
    submission_key TEXT UNIQUE,
    created_at INTEGER NOT NULL,
    CHECK ((group_id IS NOT NULL) + (project_id IS NOT NULL) + (relationship_id IS NOT NULL) = 1)
);
CREATE INDEX reviews_group ON reviews (group_id, held_on) WHERE group_id IS NOT NULL;
CREATE INDEX reviews_project ON reviews (project_id, held_on) WHERE project_id IS NOT NULL;
CREATE INDEX reviews_relationship ON reviews (relationship_id, held_on) WHERE relationship_id IS NOT NULL;

-- What a review agreed to adjust is an action like a meeting's, carried forward to the group's
-- or project's next meetings: an action is agreed at a meeting or at a review.
CREATE TABLE actions_v2 (
    id INTEGER PRIMARY KEY,
    meeting_id INTEGER REFERENCES meetings (id) ON DELETE CASCADE,
    review_id INTEGER REFERENCES reviews (id) ON DELETE CASCADE,
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
    version INTEGER NOT NULL DEFAULT 1,
    CHECK ((meeting_id IS NULL) <> (review_id IS NULL))
);
INSERT INTO actions_v2 (id, meeting_id, group_id, project_id, raised_at, description, owner_person_id,
    owner_staff_id, due_on, status, closed_at, submission_key, created_at, updated_at, version)
SELECT id, meeting_id, group_id, project_id, raised_at, description, owner_person_id,
    owner_staff_id, due_on, status, closed_at, submission_key, created_at, updated_at, version
FROM actions;
DROP TABLE actions;
ALTER TABLE actions_v2 RENAME TO actions;
CREATE INDEX actions_meeting ON actions (meeting_id) WHERE meeting_id IS NOT NULL;
CREATE INDEX actions_review ON actions (review_id) WHERE review_id IS NOT NULL;
CREATE INDEX actions_group ON actions (group_id, raised_at) WHERE group_id IS NOT NULL;
CREATE INDEX actions_project ON actions (project_id, raised_at) WHERE project_id IS NOT NULL;
CREATE INDEX actions_owner_staff ON actions (owner_staff_id, status) WHERE owner_staff_id IS NOT NULL;

-- A change of a project's level on the ladder says why, and which review made it.
ALTER TABLE project_ladder ADD COLUMN reason TEXT NOT NULL DEFAULT '';
ALTER TABLE project_ladder ADD COLUMN review_id INTEGER REFERENCES reviews (id);

-- Every group, project and relationship is due a review: the dates already recorded are the
-- first, and the rest are due a cadence (six months for groups and projects, twelve for
-- relationships) after they started. Months add as PostgreSQL adds them: the 31st of August
-- and six months is the 28th of February.
ALTER TABLE projects ADD COLUMN next_review_on TEXT;
UPDATE projects SET next_review_on = min(date(starts_on, '+6 months'),
    date(starts_on, 'start of month', '+7 months', '-1 day'));
UPDATE groups SET next_review_on = min(date(created_at / 1000, 'unixepoch', '+6 months'),
    date(created_at / 1000, 'unixepoch', 'start of month', '+7 months', '-1 day'))
WHERE next_review_on IS NULL;
UPDATE relationships SET next_review_on = min(date(started_on, '+12 months'),
    date(started_on, 'start of month', '+13 months', '-1 day'))
WHERE next_review_on IS NULL;
CREATE INDEX groups_review ON groups (next_review_on, service_id);
CREATE INDEX projects_review ON projects (next_review_on, service_id);
CREATE INDEX relationships_review ON relationships (next_review_on, service_id) WHERE status = 'active';
