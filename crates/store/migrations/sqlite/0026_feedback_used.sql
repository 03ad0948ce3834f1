-- A feedback link, once used, is remembered by a second hash of its token, which names no
-- request and no person: the database then tells that a link was used, not whose, so an
-- anonymous answer cannot be worked out from who answered. (Staff recording someone's answers
-- still mark that person's request answered: they know whose they are.)
CREATE TABLE feedback_used (
    used_hash TEXT PRIMARY KEY
) WITHOUT ROWID;
