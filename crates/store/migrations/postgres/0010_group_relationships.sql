-- A relationship is with a service or with one of its groups (group_id set, service_id the
-- group's service, so the service's staff keep seeing the person). A person has one relationship
-- per service and one per group.

ALTER TABLE relationships ADD COLUMN group_id BIGINT REFERENCES groups (id);
ALTER TABLE relationships DROP CONSTRAINT relationships_person_id_service_id_key;
CREATE UNIQUE INDEX relationships_person_service ON relationships (person_id, service_id) WHERE group_id IS NULL;
CREATE UNIQUE INDEX relationships_person_group ON relationships (person_id, group_id) WHERE group_id IS NOT NULL;
CREATE INDEX relationships_person ON relationships (person_id, service_id);
