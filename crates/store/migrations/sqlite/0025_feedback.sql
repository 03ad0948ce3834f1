-- Feedback after a meeting or an activity (an opportunity). A request is one person asked about
-- one of them, by a link that works once for 14 days; staff recording an answer for someone use
-- the same request, so each person answers each once.
CREATE TABLE feedback_requests (
    id INTEGER PRIMARY KEY,
    meeting_id INTEGER REFERENCES meetings (id) ON DELETE CASCADE,
    opportunity_id INTEGER REFERENCES opportunities (id) ON DELETE CASCADE,
    person_id INTEGER NOT NULL REFERENCES people (id),
    token_hash TEXT UNIQUE,
    expires_at INTEGER NOT NULL,
    -- The day it was answered, not the moment: a time could be matched to an anonymous answer.
    answered_on TEXT,
    created_at INTEGER NOT NULL,
    UNIQUE (meeting_id, person_id),
    UNIQUE (opportunity_id, person_id),
    CHECK ((meeting_id IS NULL) <> (opportunity_id IS NULL))
);

-- The answers, each with its meeting (and the meeting's group or project) or its activity. An
-- anonymous one keeps that and nothing else: no person, no request and
-- no time, and a random id (in a table without SQLite's hidden row numbers), so neither a
-- column nor the order of the rows leads back to who gave it.
CREATE TABLE feedback_answers (
    id TEXT PRIMARY KEY,
    meeting_id INTEGER REFERENCES meetings (id) ON DELETE CASCADE,
    opportunity_id INTEGER REFERENCES opportunities (id) ON DELETE CASCADE,
    group_id INTEGER REFERENCES groups (id),
    project_id INTEGER REFERENCES projects (id),
    held_on TEXT NOT NULL,
    listened INTEGER NOT NULL CHECK (listened BETWEEN 1 AND 5),
    took_part INTEGER NOT NULL CHECK (took_part BETWEEN 1 AND 5),
    belong INTEGER NOT NULL CHECK (belong BETWEEN 1 AND 5),
    to_change TEXT NOT NULL DEFAULT '',
    -- Who answered, unless they chose not to say.
    person_id INTEGER REFERENCES people (id),
    -- Staff who recorded it for them (from a phone call, say), unless it is anonymous.
    recorded_by INTEGER REFERENCES staff (id),
    on_behalf INTEGER NOT NULL DEFAULT 0,
    CHECK ((meeting_id IS NULL) <> (opportunity_id IS NULL)),
    CHECK (opportunity_id IS NOT NULL OR (group_id IS NULL) <> (project_id IS NULL))
) WITHOUT ROWID;
-- The results read the day and the three points of each answer, and nothing else: covering
-- indexes answer them without visiting the rows (most of the results page's time before).
CREATE INDEX feedback_answers_group ON feedback_answers (group_id, held_on, listened, took_part, belong)
    WHERE group_id IS NOT NULL;
CREATE INDEX feedback_answers_project ON feedback_answers (project_id, held_on, listened, took_part, belong)
    WHERE project_id IS NOT NULL;
CREATE INDEX feedback_answers_opportunity ON feedback_answers (opportunity_id, held_on, listened, took_part, belong)
    WHERE opportunity_id IS NOT NULL;

-- Each group's, project's and activity's answers added up by month as they arrive, in the same
-- transaction, so that its results read a row a month rather than every answer.
CREATE TABLE feedback_months (
    of_kind TEXT NOT NULL CHECK (of_kind IN ('group', 'project', 'opportunity')),
    of_id INTEGER NOT NULL,
    month TEXT NOT NULL,
    answers INTEGER NOT NULL,
    listened INTEGER NOT NULL,
    took_part INTEGER NOT NULL,
    belong INTEGER NOT NULL,
    listened_positive INTEGER NOT NULL,
    took_part_positive INTEGER NOT NULL,
    belong_positive INTEGER NOT NULL,
    PRIMARY KEY (of_kind, of_id, month)
);
