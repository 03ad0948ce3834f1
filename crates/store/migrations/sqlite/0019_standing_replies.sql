-- A member of a group can answer all its meetings at once ("I'll come to all of them"): the
-- answer stands for every meeting they have not answered on its own. NULL is "tell me each time".
ALTER TABLE group_members ADD COLUMN standing_rsvp TEXT CHECK (standing_rsvp IS NULL OR standing_rsvp = 'yes');
