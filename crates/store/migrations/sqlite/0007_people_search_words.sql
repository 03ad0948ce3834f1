-- Search finds people by the words of their names, each from its start ("am ash" finds Amara
-- Ashdown). Email addresses and phone numbers are found from their start through their own
-- indexes, so search_text now holds only the names. Word tokens with a two- and three-letter
-- prefix index read far less than trigrams: a name shared by hundreds of people is one short
-- list per word rather than a dozen long ones per name.

DROP TRIGGER people_search_insert;
DROP TRIGGER people_search_update;
DROP TRIGGER people_search_delete;
DROP TABLE people_search;

UPDATE people SET search_text = lower(name || ' ' || preferred_name);

CREATE VIRTUAL TABLE people_search USING fts5 (
    search_text,
    content = 'people',
    content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3'
);
INSERT INTO people_search (people_search) VALUES ('rebuild');

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
