//! Actions agreed at meetings and reviews. Open ones carry forward: each later meeting of the
//! same group or project shows them until they are done or dropped.

use crate::scope::Scope;
use crate::{on, JsonRows, Result, Tx};
use coproduce_domain::groups::{Joiner, Team};
use coproduce_domain::meetings::{ActionItem, AgreedAt};
use coproduce_domain::Timestamp;
use coproduce_domain::{MeetingId, ReviewId, StaffId};

const FIELDS: &[crate::Field] = &[
    ("id", "a.id"),
    ("meeting_id", "a.meeting_id"),
    ("review_id", "a.review_id"),
    ("raised_at", "a.raised_at"),
    ("description", "a.description"),
    ("owner_person_id", "a.owner_person_id"),
    ("owner_staff_id", "a.owner_staff_id"),
    ("owner_name", "coalesce(p.name, s.name)"),
    ("due_on", "a.due_on"),
    ("status", "a.status"),
    ("closed_at", "a.closed_at"),
    ("version", "a.version"),
];

/// An action to add.
#[derive(Clone, Debug)]
pub struct NewAction<'a> {
    /// The meeting or review.
    pub agreed_at: AgreedAt,
    /// Its group or project, whose later meetings it carries forward to.
    pub team: Option<Team>,
    /// The meeting's start, or the start of the review's day.
    pub raised_at: Timestamp,
    /// What is to be done.
    pub description: &'a str,
    /// Who will do it.
    pub owner: Option<Joiner>,
    /// When by, `YYYY-MM-DD`.
    pub due_on: Option<&'a str>,
    /// The form's one-time key: the same key twice adds one action.
    pub submission_key: Option<&'a str>,
}

/// Adds an action. Returns its id and whether it is new.
pub async fn insert(tx: &mut Tx, a: &NewAction<'_>, now: Timestamp) -> Result<(i64, bool)> {
    let (group, project) = match a.team {
        Some(Team::Group(g)) => (Some(g), None),
        Some(Team::Project(p)) => (None, Some(p)),
        None => (None, None),
    };
    let (meeting, review) = match a.agreed_at {
        AgreedAt::Meeting(m) => (Some(m), None),
        AgreedAt::Review(r) => (None, Some(r)),
    };
    let (person, staff) = match a.owner {
        Some(Joiner::Person(p)) => (Some(p), None),
        Some(Joiner::Staff(s)) => (None, Some(s)),
        None => (None, None),
    };
    let id: Option<i64> = on!(tx, c => sqlx::query_scalar(
        "INSERT INTO actions (meeting_id, review_id, group_id, project_id, raised_at, description,
             owner_person_id, owner_staff_id, due_on, status, submission_key, created_at, updated_at)
         VALUES ($1, $11, $2, $3, $4, $5, $6, $7, $8, 'open', $9, $10, $10)
         ON CONFLICT (submission_key) DO NOTHING RETURNING id",
    )
    .bind(meeting).bind(group).bind(project).bind(a.raised_at.millis()).bind(a.description)
    .bind(person).bind(staff).bind(a.due_on).bind(a.submission_key).bind(now.millis())
    .bind(review)
    .fetch_optional(c).await?);
    if let Some(id) = id {
        return Ok((id, true));
    }
    let existing: i64 = on!(tx, c => sqlx::query_scalar("SELECT id FROM actions WHERE submission_key = $1")
        .bind(a.submission_key)
        .fetch_one(c).await?);
    Ok((existing, false))
}

/// The actions a meeting shows: those agreed at it, and those from the team's earlier meetings
/// still open (or closed since it started), oldest first.
pub async fn for_meeting(
    tx: &mut Tx,
    meeting: MeetingId,
    team: Team,
    starts_at: i64,
) -> Result<Vec<ActionItem>> {
    let from = format!(
        "FROM actions a LEFT JOIN people p ON p.id = a.owner_person_id LEFT JOIN staff s ON s.id = a.owner_staff_id
         WHERE a.{} = $2 AND (a.meeting_id = $1
             OR (a.raised_at < $3 AND (a.status = 'open' OR a.closed_at >= $3)))",
        crate::groups::tables(team).1
    );
    let rows = JsonRows {
        fields: FIELDS,
        from: &from,
        order: "raised_at, id",
    };
    Ok(crate::json_rows!(tx, rows, |q| q
        .bind(meeting)
        .bind(team.id())
        .bind(starts_at)))
}

/// The actions a review agreed, oldest first.
pub async fn for_review(tx: &mut Tx, review: ReviewId) -> Result<Vec<ActionItem>> {
    let rows = JsonRows {
        fields: FIELDS,
        from: "FROM actions a LEFT JOIN people p ON p.id = a.owner_person_id LEFT JOIN staff s ON s.id = a.owner_staff_id
               WHERE a.review_id = $1",
        order: "raised_at, id",
    };
    Ok(crate::json_rows!(tx, rows, |q| q.bind(review)))
}

/// A staff member's open actions, from the meetings and reviews of the services they still work
/// in (every service for the participation team), the oldest raised first.
pub async fn open_for_staff(
    tx: &mut Tx,
    staff: StaffId,
    scope: Scope,
    limit: i64,
) -> Result<Vec<ActionItem>> {
    let rows = JsonRows {
        fields: FIELDS,
        from: "FROM actions a LEFT JOIN people p ON p.id = a.owner_person_id LEFT JOIN staff s ON s.id = a.owner_staff_id
               LEFT JOIN meetings m ON m.id = a.meeting_id
               LEFT JOIN groups g ON g.id = m.group_id LEFT JOIN projects pr ON pr.id = m.project_id
               LEFT JOIN reviews rv ON rv.id = a.review_id
               WHERE a.owner_staff_id = $1 AND a.status = 'open'
                 AND ($3 IS NULL OR coalesce(g.service_id, pr.service_id, rv.service_id) IN
                     (SELECT ss.service_id FROM staff_services ss WHERE ss.staff_id = $3))
               ORDER BY a.raised_at, a.id LIMIT $2",
        order: "raised_at, id",
    };
    Ok(crate::json_rows!(tx, rows, |q| q
        .bind(staff)
        .bind(limit)
        .bind(scope.bind())))
}

/// One action.
pub async fn find(tx: &mut Tx, id: i64) -> Result<Option<ActionItem>> {
    let rows = JsonRows {
        fields: FIELDS,
        from: "FROM actions a LEFT JOIN people p ON p.id = a.owner_person_id LEFT JOIN staff s ON s.id = a.owner_staff_id
               WHERE a.id = $1",
        order: "id",
    };
    let mut found: Vec<ActionItem> = crate::json_rows!(tx, rows, |q| q.bind(id));
    Ok(found.pop())
}

/// Sets an action's status if it is still at `version`; false if someone saved first.
pub async fn set_status(
    tx: &mut Tx,
    id: i64,
    version: i64,
    status: &str,
    now: Timestamp,
) -> Result<bool> {
    let n = on!(tx, c => sqlx::query(
        "UPDATE actions SET status = $3, closed_at = CASE WHEN $3 = 'open' THEN NULL ELSE $4 END,
             updated_at = $4, version = version + 1
         WHERE id = $1 AND version = $2",
    )
    .bind(id).bind(version).bind(status).bind(now.millis())
    .execute(c).await.map(|r| r.rows_affected())?);
    Ok(n == 1)
}
