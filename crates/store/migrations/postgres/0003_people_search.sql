-- Finding people among many. PostgreSQL searches search_text with LIKE; a trigram index would
-- need the pg_trgm extension, which not every host allows, so it is left to the deployment.

CREATE INDEX people_status ON people (status, name, id);
