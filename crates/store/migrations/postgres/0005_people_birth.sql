-- Spotting two records of the same person by name and date of birth uses an index.

CREATE INDEX people_date_of_birth ON people (date_of_birth);
