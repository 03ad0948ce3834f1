-- Finding people among many. PostgreSQL searches search_text with LIKE; a trigram index would
-- need the pg_trgm extension, which not every host allows, so it is left to the deployment.

CREATE INDEX people_status ON people (status, name, id);

-- The keep-in-touch queue walks due relationships in order and filters by service or named
-- contact: with those in the index it never has to read the table rows it skips.
DROP INDEX relationships_due;
CREATE INDEX relationships_due ON relationships (status, due_at, service_id, staff_contact_id);
