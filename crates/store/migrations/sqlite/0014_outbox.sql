-- The outbox: messages (reminders, notices of a changed or cancelled meeting) written in the same
-- transaction as what causes them, then sent by a worker with retries and backoff. A worker
-- claims a batch for a lease; a message is sent only by the worker holding it, so two servers on
-- one database never send the same message twice.

CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    -- What caused it: the same key is never queued twice.
    dedupe_key TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    channel TEXT NOT NULL CHECK (channel IN ('email', 'sms', 'letter')),
    person_id INTEGER REFERENCES people (id) ON DELETE CASCADE,
    meeting_id INTEGER REFERENCES meetings (id) ON DELETE CASCADE,
    recipient TEXT NOT NULL,
    recipient_name TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    easy_read INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'delivered', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    claimed_by TEXT,
    claimed_until INTEGER,
    provider_id TEXT,
    last_error TEXT,
    created_at INTEGER NOT NULL,
    sent_at INTEGER,
    updated_at INTEGER NOT NULL
);
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE status IN ('pending', 'sending');
CREATE INDEX outbox_meeting ON outbox (meeting_id) WHERE meeting_id IS NOT NULL;
CREATE INDEX outbox_awaiting ON outbox (sent_at) WHERE status = 'sent' AND provider_id IS NOT NULL;
