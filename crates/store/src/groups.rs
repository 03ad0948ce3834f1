//! Standing co-production groups and their members.

use crate::{on, placeholders, select_list, unique_as, Field, JsonRows, Result, Tx};
use coproduce_domain::groups::{Group, Joiner, Member, Team};
use coproduce_domain::PersonId;
use coproduce_domain::Timestamp;
use coproduce_domain::{GroupId, ServiceId};

const FIELDS: &[Field] = &[
    ("id", "g.id"),
    ("name", "g.name"),
    ("purpose", "g.purpose"),
    ("terms_of_reference", "g.terms_of_reference"),
    ("service_id", "g.service_id"),
    ("service_name", "sv.name"),
    ("partner_id", "g.partner_id"),
    ("partner_name", "pa.name"),
    ("meeting_rrule", "g.meeting_rrule"),
    ("first_meeting", "g.first_meeting"),
    ("meeting_minutes", "g.meeting_minutes"),
    ("video_link", "g.video_link"),
    ("phone_dial_in", "g.phone_dial_in"),
    ("venue", "g.venue"),
    ("venue_access", "g.venue_access"),
    ("reminder_lead_hours", "g.reminder_lead_hours"),
    ("next_review_on", "g.next_review_on"),
    ("version", "g.version"),
];

macro_rules! groups_from {
    () => {
        "FROM groups g JOIN services sv ON sv.id = g.service_id LEFT JOIN partners pa ON pa.id = g.partner_id"
    };
}

/// The columns a group's details fill, in the order [`bind_group!`] binds them.
const DETAIL_COLUMNS: [&str; 14] = [
    "name",
    "purpose",
    "terms_of_reference",
    "service_id",
    "partner_id",
    "meeting_rrule",
    "first_meeting",
    "meeting_minutes",
    "video_link",
    "phone_dial_in",
    "venue",
    "venue_access",
    "reminder_lead_hours",
    "next_review_on",
];

macro_rules! bind_group {
    ($q:expr, $g:expr) => {
        $q.bind(&$g.name)
            .bind(&$g.purpose)
            .bind(&$g.terms_of_reference)
            .bind($g.service_id)
            .bind($g.partner_id)
            .bind(&$g.meeting_rrule)
            .bind(&$g.first_meeting)
            .bind($g.meeting_minutes)
            .bind(&$g.video_link)
            .bind(&$g.phone_dial_in)
            .bind(&$g.venue)
            .bind(&$g.venue_access)
            .bind($g.reminder_lead_hours)
            .bind(&$g.next_review_on)
    };
}

/// Adds a group; a name in use is [`crate::StoreError::Duplicate`].
pub async fn insert(tx: &mut Tx, g: &Group, now: Timestamp) -> Result<GroupId> {
    let sql = format!(
        "INSERT INTO groups ({}, created_at, updated_at) VALUES {} RETURNING id",
        DETAIL_COLUMNS.join(", "),
        placeholders(tx.is_sqlite(), 1, DETAIL_COLUMNS.len() + 2)
    );
    Ok(on!(tx, c => bind_group!(sqlx::query_scalar(&sql), g)
        .bind(now.millis())
        .bind(now.millis())
        .fetch_one(c)
        .await
        .map_err(unique_as("group name"))?))
}

/// Saves a group's details if it is still at `g.version`; false when someone saved first.
pub async fn update(tx: &mut Tx, g: &Group, now: Timestamp) -> Result<bool> {
    let sets: Vec<String> = DETAIL_COLUMNS
        .iter()
        .enumerate()
        .map(|(i, c)| format!("{c} = ${}", i + 1))
        .collect();
    let n = DETAIL_COLUMNS.len();
    let sql = format!(
        "UPDATE groups SET {}, updated_at = ${}, version = version + 1
         WHERE id = ${} AND version = ${} AND archived_at IS NULL",
        sets.join(", "),
        n + 1,
        n + 2,
        n + 3
    );
    let changed = on!(tx, c => bind_group!(sqlx::query(&sql), g)
        .bind(now.millis())
        .bind(g.id)
        .bind(g.version)
        .execute(c)
        .await
        .map_err(unique_as("group name"))
        .map(|r| r.rows_affected())?);
    Ok(changed == 1)
}

/// A group, unless archived.
pub async fn find(tx: &mut Tx, id: GroupId) -> Result<Option<Group>> {
    let sql = format!(
        "SELECT {} {} WHERE g.id = $1 AND g.archived_at IS NULL",
        select_list(FIELDS),
        groups_from!()
    );
    Ok(on!(tx, c => sqlx::query_as(&sql).bind(id).fetch_optional(c).await?))
}

/// Every group not archived, by name; only those of one service when given.
pub async fn list(tx: &mut Tx, service: Option<ServiceId>) -> Result<Vec<Group>> {
    let rows = JsonRows {
        fields: FIELDS,
        from: concat!(
            groups_from!(),
            " WHERE g.archived_at IS NULL AND ($1 IS NULL OR g.service_id = $1)"
        ),
        order: "name, id",
    };
    Ok(crate::json_rows!(tx, rows, |q| q.bind(service)))
}

/// A team's members' table and the column naming the team there (and in `meetings`).
pub(crate) fn tables(team: Team) -> (&'static str, &'static str) {
    match team {
        Team::Group(_) => ("group_members", "group_id"),
        Team::Project(_) => ("project_members", "project_id"),
    }
}

/// A group's or project's current members, by role then name.
pub async fn members(tx: &mut Tx, team: Team) -> Result<Vec<Member>> {
    let (table, column) = tables(team);
    let from = format!(
        "FROM {table} m LEFT JOIN people p ON p.id = m.person_id LEFT JOIN staff s ON s.id = m.staff_id
         WHERE m.{column} = $1 AND m.left_on IS NULL"
    );
    let rows = JsonRows {
        fields: &[
            ("id", "m.id"),
            ("person_id", "m.person_id"),
            ("staff_id", "m.staff_id"),
            ("name", "coalesce(p.name, s.name)"),
            ("role", "m.role"),
            ("role_order", "CASE m.role WHEN 'chair' THEN 0 WHEN 'staff_lead' THEN 1 WHEN 'member' THEN 2 ELSE 3 END"),
            ("joined_on", "m.joined_on"),
        ],
        from: &from,
        order: "role_order, name, id",
    };
    Ok(crate::json_rows!(tx, rows, |q| q.bind(team.id())))
}

/// Adds a member; someone already a current member is [`crate::StoreError::Duplicate`].
pub async fn add_member(
    tx: &mut Tx,
    team: Team,
    who: Joiner,
    role: &str,
    joined_on: &str,
) -> Result<i64> {
    let (person, staff) = who.ids();
    let (table, column) = tables(team);
    let sql = format!(
        "INSERT INTO {table} ({column}, person_id, staff_id, role, joined_on)
         VALUES ($1, $2, $3, $4, $5) RETURNING id"
    );
    Ok(on!(tx, c => sqlx::query_scalar(&sql)
    .bind(team.id()).bind(person).bind(staff).bind(role).bind(joined_on)
    .fetch_one(c)
    .await
    .map_err(unique_as("member"))?))
}

/// Ends a current membership of the group or project. `None` if there was none; else who left: the person
/// (`Some(Some(id))`) or a staff member (`Some(None)`).
pub async fn end_membership(
    tx: &mut Tx,
    team: Team,
    member: i64,
    left_on: &str,
) -> Result<Option<Option<PersonId>>> {
    let (table, column) = tables(team);
    let sql = format!(
        "UPDATE {table} SET left_on = $3 WHERE id = $2 AND {column} = $1 AND left_on IS NULL
         RETURNING person_id"
    );
    Ok(on!(tx, c => sqlx::query_scalar(&sql)
    .bind(team.id()).bind(member).bind(left_on)
    .fetch_optional(c)
    .await?))
}

/// How many of a team's meetings still to come (from `now`, not cancelled) a current
/// membership brings its member to: those they have not been taken off one by one.
pub async fn meetings_to_come(tx: &mut Tx, team: Team, member: i64, now: Timestamp) -> Result<i64> {
    let (table, column) = tables(team);
    let sql = format!(
        "SELECT count(*) FROM meetings mt JOIN {table} mb ON mb.id = $2 AND mb.{column} = $1
         WHERE mt.{column} = $1 AND mt.starts_at >= $3 AND mt.status = 'scheduled'
             AND mb.left_on IS NULL AND mt.starts_on >= mb.joined_on
             AND NOT EXISTS (SELECT 1 FROM meeting_people x WHERE x.meeting_id = mt.id AND NOT x.invited
                 AND (x.person_id = mb.person_id OR x.staff_id = mb.staff_id))"
    );
    Ok(on!(tx, c => sqlx::query_scalar(&sql)
        .bind(team.id()).bind(member).bind(now.millis())
        .fetch_one(c)
        .await?))
}

/// Dates every current membership of a team from `joined_on` (demo data with a history).
pub async fn backdate_members(tx: &mut Tx, team: Team, joined_on: &str) -> Result<()> {
    let (table, column) = tables(team);
    let sql = format!("UPDATE {table} SET joined_on = $2 WHERE {column} = $1 AND left_on IS NULL");
    on!(tx, c => sqlx::query(&sql).bind(team.id()).bind(joined_on).execute(c).await.map(|_| ())?);
    Ok(())
}
