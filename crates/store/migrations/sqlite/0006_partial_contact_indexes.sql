-- Email, phone and date of birth are optional, and many people have none of one of them. Indexes
-- of only the people who have each keep the planner's statistics honest: an index whose every
-- entry is empty looks useless to it, and it would read every person to find a likely duplicate.

DROP INDEX people_email;
CREATE INDEX people_email ON people (email) WHERE email IS NOT NULL;
DROP INDEX people_phone;
CREATE INDEX people_phone ON people (phone) WHERE phone IS NOT NULL;
DROP INDEX people_date_of_birth;
CREATE INDEX people_date_of_birth ON people (date_of_birth) WHERE date_of_birth IS NOT NULL;
