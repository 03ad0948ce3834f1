-- Every lookup of a meeting's people by the meeting alone (its register taken, who is invited)
-- can use an index: the two on (meeting_id, person_id) and (meeting_id, staff_id) are partial,
-- one for people and one for staff, so such a lookup scanned the whole table once a meeting
-- (a group's page listing ten held meetings took 48 ms on the bench's data).
CREATE INDEX meeting_people_meeting ON meeting_people (meeting_id);
