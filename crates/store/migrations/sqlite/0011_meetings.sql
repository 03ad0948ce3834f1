-- Meetings as records: each occurrence of a group's pattern is materialised for a rolling year
-- ahead, so one can be moved or cancelled without touching the series, and calendars can say
-- what changed (SEQUENCE) and what was cancelled.

CREATE TABLE meetings (
    id INTEGER PRIMARY KEY,
    group_id INTEGER NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    -- The pattern's London wall-clock start this meeting came from (YYYY-MM-DDTHH:MM); null for
    -- a one-off meeting.
    occurrence TEXT,
    starts_at INTEGER NOT NULL,
    ends_at INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('scheduled', 'cancelled')),
    -- When staff changed this one meeting (moved it, say): the series then leaves it alone.
    changed_at INTEGER,
    sequence INTEGER NOT NULL DEFAULT 0,
    agenda TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    CHECK (ends_at > starts_at)
);
CREATE UNIQUE INDEX meetings_occurrence ON meetings (group_id, occurrence) WHERE occurrence IS NOT NULL;
CREATE INDEX meetings_group_start ON meetings (group_id, starts_at);
CREATE INDEX meetings_start ON meetings (starts_at);
