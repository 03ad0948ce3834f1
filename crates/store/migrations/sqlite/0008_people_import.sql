-- Which import brought a person in. It lets an import add everyone's status history,
-- relationship and tags with a few set-based statements instead of several per person, and says
-- where a record came from.

ALTER TABLE people ADD COLUMN import_id INTEGER REFERENCES imports (id);
CREATE INDEX people_import ON people (import_id) WHERE import_id IS NOT NULL;
