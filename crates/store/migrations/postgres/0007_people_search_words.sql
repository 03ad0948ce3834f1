-- Search finds people by the words of their names, each from its start. Email addresses and
-- phone numbers are found from their start through their own columns, so search_text now holds
-- only the names' words, lower case and separated by single spaces (SQLite's full-text index
-- changes with it).

UPDATE people SET search_text = trim(lower(regexp_replace(name || ' ' || preferred_name, '[^[:alnum:]]+', ' ', 'g')));
