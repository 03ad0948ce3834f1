-- An enquiry sent back sooner than a person could type it (autofill does that) is kept and held
-- for the team to review, marked, rather than refused.
ALTER TABLE enquiries ADD COLUMN sent_quickly INTEGER NOT NULL DEFAULT 0 CHECK (sent_quickly IN (0, 1));
