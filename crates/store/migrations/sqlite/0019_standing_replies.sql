-- A member of a group can answer all its meetings at once ("I'll come to all of them"): from the
-- moment they say so, it is their answer to every meeting they are invited to and have not
-- answered on its own. NULL is "tell me each time".
ALTER TABLE group_members ADD COLUMN coming_to_all_since INTEGER;
