//! Relationships: a person's link with a service, its named contact and keep-in-touch cadence.

use crate::scope::Scope;
use crate::{on, select_list, unique_as, Field, JsonRows, Result, Tx};
use coproduce_domain::relationships::{QueueEntry, Relationship, RelationshipStatus, DAY_MS};
use coproduce_domain::{GroupId, PersonId, RelationshipId, ServiceId, StaffId, Timestamp};

const FIELDS: &[Field] = &[
    ("id", "r.id"),
    ("person_id", "r.person_id"),
    ("service_id", "r.service_id"),
    ("service_name", "sv.name"),
    ("group_id", "r.group_id"),
    ("group_name", "gr.name"),
    ("staff_contact_id", "r.staff_contact_id"),
    ("staff_contact_name", "st.name"),
    ("started_on", "r.started_on"),
    ("status", "r.status"),
    ("cadence_days", "r.cadence_days"),
    ("next_review_on", "r.next_review_on"),
    ("last_contact_at", "r.last_contact_at"),
    ("due_at", "r.due_at"),
    ("version", "r.version"),
];
macro_rules! relationships_from {
    () => {
        "relationships r JOIN services sv ON sv.id = r.service_id LEFT JOIN groups gr ON gr.id = r.group_id
         LEFT JOIN staff st ON st.id = r.staff_contact_id"
    };
}
const FROM: &str = relationships_from!();

/// A person's relationships (the person bound as `$1`), by service name.
pub(crate) const FOR_PERSON: JsonRows = JsonRows {
    fields: FIELDS,
    from: concat!("FROM ", relationships_from!(), " WHERE r.person_id = $1"),
    order: "service_name, id",
};

/// What is needed to start a relationship.
#[derive(Clone, Debug)]
pub struct NewRelationship<'a> {
    /// The person.
    pub person_id: PersonId,
    /// The service.
    pub service_id: ServiceId,
    /// The group, for a relationship with one of the service's groups.
    pub group_id: Option<GroupId>,
    /// The named contact.
    pub staff_contact_id: Option<StaffId>,
    /// When it started.
    pub started_on: &'a str,
    /// Cadence in days.
    pub cadence_days: i64,
    /// Next review date.
    pub next_review_on: Option<String>,
    /// When the first contact is due.
    pub due_at: Timestamp,
}

/// Starts a relationship; a second one with the same service is a duplicate.
pub async fn insert(
    tx: &mut Tx,
    r: &NewRelationship<'_>,
    now: Timestamp,
) -> Result<RelationshipId> {
    insert_then(tx, r, now, "").await
}

/// Starts a person's relationship with a group on `r`'s terms, or makes an ended one active
/// again (someone rejoining keeps their history). Returns its id.
pub async fn start_with_group(
    tx: &mut Tx,
    r: &NewRelationship<'_>,
    now: Timestamp,
) -> Result<RelationshipId> {
    let rejoin = "ON CONFLICT (person_id, group_id) WHERE group_id IS NOT NULL
         DO UPDATE SET status = 'active', version = relationships.version + 1";
    insert_then(tx, r, now, rejoin).await
}

/// Inserts `r`, with what to do when it is already there (`conflict`, or nothing: a duplicate).
async fn insert_then(
    tx: &mut Tx,
    r: &NewRelationship<'_>,
    now: Timestamp,
    conflict: &str,
) -> Result<RelationshipId> {
    let sql = format!(
        "INSERT INTO relationships (person_id, service_id, group_id, staff_contact_id, started_on, status,
            cadence_days, next_review_on, due_at, created_at)
         VALUES ($1, $2, $3, $4, $5, 'active', $6, $7, $8, $9) {conflict} RETURNING id"
    );
    Ok(on!(tx, c => sqlx::query_scalar(&sql)
    .bind(r.person_id).bind(r.service_id).bind(r.group_id).bind(r.staff_contact_id).bind(r.started_on)
    .bind(r.cadence_days).bind(&r.next_review_on).bind(r.due_at.millis()).bind(now.millis())
    .fetch_one(c)
    .await
    .map_err(unique_as(if r.group_id.is_some() { "group" } else { "service" }))?))
}

/// Ends a person's relationship with a group (when they leave it).
pub async fn end_with_group(tx: &mut Tx, person: PersonId, group: GroupId) -> Result<()> {
    on!(tx, c => sqlx::query(
        "UPDATE relationships SET status = 'ended', version = version + 1
         WHERE person_id = $1 AND group_id = $2 AND status <> 'ended'",
    )
    .bind(person).bind(group)
    .execute(c)
    .await
    .map(|r| r.rows_affected())?);
    Ok(())
}

/// Starts a relationship on `r`'s terms for everyone an import added (`r.person_id` is not
/// used).
pub async fn insert_for_import(
    tx: &mut Tx,
    import: i64,
    r: &NewRelationship<'_>,
    now: Timestamp,
) -> Result<()> {
    on!(tx, c => sqlx::query(
        "INSERT INTO relationships (person_id, service_id, staff_contact_id, started_on, status, cadence_days,
            next_review_on, due_at, created_at)
         SELECT id, $2, $3, $4, 'active', $5, $6, $7, $8 FROM people WHERE import_id = $1 ORDER BY id",
    )
    .bind(import).bind(r.service_id).bind(r.staff_contact_id).bind(r.started_on).bind(r.cadence_days)
    .bind(&r.next_review_on).bind(r.due_at.millis()).bind(now.millis())
    .execute(c)
    .await
    .map(|r| r.rows_affected())?);
    Ok(())
}

/// A person's relationships, by service name.
pub async fn for_person(tx: &mut Tx, person: PersonId) -> Result<Vec<Relationship>> {
    Ok(crate::json_rows!(tx, FOR_PERSON, |q| q.bind(person)))
}

/// Counts a contact towards a relationship: the next one falls due a cadence after it. An older
/// contact logged late changes nothing.
pub async fn count_contact(tx: &mut Tx, id: RelationshipId, occurred_at: Timestamp) -> Result<()> {
    on!(tx, c => sqlx::query(
        "UPDATE relationships SET last_contact_at = $2, due_at = $2 + cadence_days * $3
         WHERE id = $1 AND (last_contact_at IS NULL OR last_contact_at < $2)",
    )
    .bind(id)
    .bind(occurred_at.millis())
    .bind(DAY_MS)
    .execute(c)
    .await
    .map(|r| r.rows_affected())?);
    Ok(())
}

/// What the queue is narrowed to.
#[derive(Clone, Copy, Debug, Default)]
pub struct QueueFilter {
    /// One service.
    pub service_id: Option<ServiceId>,
    /// One named contact.
    pub staff_contact_id: Option<StaffId>,
}

const QUEUE_WHERE: &str = "r.status = 'active' AND r.due_at < $1
           AND ($2 IS NULL OR r.service_id IN (SELECT service_id FROM staff_services WHERE staff_id = $2))
           AND ($3 IS NULL OR r.service_id = $3)
           AND ($4 IS NULL OR r.staff_contact_id = $4)";

/// Active relationships due before `due_before`, most overdue first, within the scope: `limit`
/// of them, skipping the first `offset`.
pub async fn queue(
    tx: &mut Tx,
    f: QueueFilter,
    scope: Scope,
    due_before: Timestamp,
    limit: i64,
    offset: i64,
) -> Result<Vec<QueueEntry>> {
    let from = format!(
        "FROM relationships r
         JOIN people p ON p.id = r.person_id
         JOIN services sv ON sv.id = r.service_id
         LEFT JOIN groups gr ON gr.id = r.group_id
         LEFT JOIN staff st ON st.id = r.staff_contact_id
         WHERE {QUEUE_WHERE}
         ORDER BY r.due_at, r.id
         LIMIT $5 OFFSET $6"
    );
    let rows = JsonRows {
        fields: QUEUE_FIELDS,
        from: &from,
        order: "due_at, relationship_id",
    };
    Ok(crate::json_rows!(tx, rows, |q| q
        .bind(due_before.millis())
        .bind(scope.bind())
        .bind(f.service_id)
        .bind(f.staff_contact_id)
        .bind(limit)
        .bind(offset)))
}

const QUEUE_FIELDS: &[Field] = &[
    ("relationship_id", "r.id"),
    ("person_id", "p.id"),
    ("name", "p.name"),
    ("preferred_name", "p.preferred_name"),
    ("phone", "p.phone"),
    ("email", "p.email"),
    ("channels", "p.channels"),
    ("best_times", "p.best_times"),
    ("needs", "p.needs"),
    ("interpreter_language", "p.interpreter_language"),
    ("service_name", "sv.name"),
    ("group_name", "gr.name"),
    ("staff_contact_id", "r.staff_contact_id"),
    ("staff_contact_name", "st.name"),
    ("last_contact_at", "r.last_contact_at"),
    ("due_at", "r.due_at"),
];

/// One relationship of a person.
pub async fn find(
    tx: &mut Tx,
    person: PersonId,
    id: RelationshipId,
) -> Result<Option<Relationship>> {
    let sql = format!(
        "SELECT {} FROM {FROM} WHERE r.person_id = $1 AND r.id = $2",
        select_list(FIELDS)
    );
    Ok(on!(tx, c => sqlx::query_as(&sql).bind(person).bind(id).fetch_optional(c).await?))
}

/// What can change about a relationship.
#[derive(Clone, Debug)]
pub struct RelationshipChange<'a> {
    /// Active, paused or ended.
    pub status: RelationshipStatus,
    /// The named contact.
    pub staff_contact_id: Option<StaffId>,
    /// Keep in touch every this many days.
    pub cadence_days: i64,
    /// When to review it next.
    pub next_review_on: Option<&'a str>,
}

/// Saves a change if the relationship is still at `version`; the next contact falls due a
/// cadence after the last one. False when someone else saved first.
pub async fn update(
    tx: &mut Tx,
    id: RelationshipId,
    version: i64,
    change: &RelationshipChange<'_>,
) -> Result<bool> {
    let n = on!(tx, c => sqlx::query(
        "UPDATE relationships SET status = $3, staff_contact_id = $4, cadence_days = $5, next_review_on = $6,
            due_at = CASE WHEN last_contact_at IS NULL THEN due_at ELSE last_contact_at + $5 * $7 END,
            version = version + 1
         WHERE id = $1 AND version = $2",
    )
    .bind(id)
    .bind(version)
    .bind(change.status)
    .bind(change.staff_contact_id)
    .bind(change.cadence_days)
    .bind(change.next_review_on)
    .bind(DAY_MS)
    .execute(c)
    .await
    .map(|r| r.rows_affected())?);
    Ok(n == 1)
}

/// Staff who can be a service's named contact: its own staff and the participation team, by name.
pub async fn possible_contacts(tx: &mut Tx, service: ServiceId) -> Result<Vec<(StaffId, String)>> {
    Ok(on!(tx, c => sqlx::query_as(
        "SELECT s.id, s.name FROM staff s
         WHERE s.disabled_at IS NULL
           AND (s.role = 'admin' OR EXISTS (SELECT 1 FROM staff_services ss WHERE ss.staff_id = s.id AND ss.service_id = $1))
         ORDER BY s.name, s.id",
    )
    .bind(service)
    .fetch_all(c)
    .await?))
}

/// The relationship a meeting's attendance counts towards: the person's with the group, or for
/// a project's meeting (no group), theirs with its service. None if they have none open.
pub async fn for_meeting(
    tx: &mut Tx,
    person: PersonId,
    group: Option<GroupId>,
    service: ServiceId,
) -> Result<Option<RelationshipId>> {
    Ok(on!(tx, c => sqlx::query_scalar(
        "SELECT id FROM relationships WHERE person_id = $1 AND status <> 'ended'
             AND ((group_id = $2) OR ($2 IS NULL AND group_id IS NULL AND service_id = $3))
         ORDER BY id LIMIT 1",
    )
    .bind(person).bind(group).bind(service)
    .fetch_optional(c)
    .await?))
}
