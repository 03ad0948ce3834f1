-- Finding people fast among many: a trigram full-text index over names, email and phone, so a
-- search for any three or more characters uses the index instead of reading every row.

CREATE VIRTUAL TABLE people_search USING fts5 (
    search_text,
    content = 'people',
    content_rowid = 'id',
    tokenize = 'trigram'
);
INSERT INTO people_search (rowid, search_text) SELECT id, search_text FROM people;

CREATE TRIGGER people_search_insert AFTER INSERT ON people
BEGIN
    INSERT INTO people_search (rowid, search_text) VALUES (new.id, new.search_text);
END;

CREATE TRIGGER people_search_update AFTER UPDATE OF search_text ON people
BEGIN
    INSERT INTO people_search (people_search, rowid, search_text) VALUES ('delete', old.id, old.search_text);
    INSERT INTO people_search (rowid, search_text) VALUES (new.id, new.search_text);
END;

CREATE TRIGGER people_search_delete AFTER DELETE ON people
BEGIN
    INSERT INTO people_search (people_search, rowid, search_text) VALUES ('delete', old.id, old.search_text);
END;

CREATE INDEX people_status ON people (status, name, id);

-- The keep-in-touch queue walks due relationships in order and filters by service or named
-- contact: with those in the index it never has to read the table rows it skips.
DROP INDEX relationships_due;
CREATE INDEX relationships_due ON relationships (status, due_at, service_id, staff_contact_id);
