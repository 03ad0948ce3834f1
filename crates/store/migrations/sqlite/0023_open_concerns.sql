-- The open concerns, for the log's first page and the overdue lists: a few among many closed.
-- Partial, on exactly the condition the queries write (`c.status IN (…)`), so both planners
-- use them.
CREATE INDEX concerns_open ON concerns (service_id, status_since)
    WHERE status IN ('raised', 'escalated', 'responded', 'fed_back');
CREATE INDEX concerns_open_owner ON concerns (owner_id, status_since)
    WHERE status IN ('raised', 'escalated', 'responded', 'fed_back');
CREATE INDEX concerns_open_since ON concerns (status_since)
    WHERE status IN ('raised', 'escalated', 'responded', 'fed_back');
