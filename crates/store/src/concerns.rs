//! Concerns and each step taken on them. The scope is in the SQL: service staff see their own
//! services' concerns, the participation team every one.

use crate::{on, Result, Tx};
use coproduce_domain::concerns::{
    Concern, ConcernEvent, ConcernStatus, FeedbackWay, Raiser, RedirectTo, Severity,
};
use coproduce_domain::{
    ConcernId, GroupId, ImprovementId, MeetingId, PersonId, ServiceId, StaffId, Timestamp,
};

/// A concern as it is first recorded.
#[derive(Clone, Debug)]
pub struct NewConcern {
    /// The service it is about.
    pub service_id: ServiceId,
    /// Who raised it.
    pub raiser: Raiser,
    /// What was said.
    pub words: String,
    /// How serious it is.
    pub severity: Severity,
    /// The staff member who recorded it, if one did.
    pub recorded_by: Option<StaffId>,
}

/// What a step changes on a concern, beside its status.
#[derive(Clone, Debug, Default)]
pub struct StepFields {
    /// The new owner (escalating).
    pub owner: Option<StaffId>,
    /// The response (responding).
    pub response: Option<String>,
    /// How, when and by whom it was fed back.
    pub fed_back: Option<(FeedbackWay, String, String)>,
    /// Why nothing changed (closing without an improvement).
    pub not_changed_because: Option<String>,
    /// The improvement it led to (closing with one).
    pub improvement: Option<ImprovementId>,
    /// Where it was sent (redirecting): its words are then cleared.
    pub redirected_to: Option<RedirectTo>,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: ConcernId,
    service_id: ServiceId,
    service_name: String,
    person_id: Option<PersonId>,
    group_id: Option<GroupId>,
    meeting_id: Option<MeetingId>,
    raiser_name: String,
    words: String,
    severity: Severity,
    status: ConcernStatus,
    status_since: i64,
    owner_id: Option<StaffId>,
    owner_name: Option<String>,
    response: String,
    fed_back_way: Option<FeedbackWay>,
    fed_back_on: String,
    fed_back_by: String,
    not_changed_because: String,
    improvement_id: Option<ImprovementId>,
    redirected_to: Option<RedirectTo>,
    raised_at: i64,
    recorded_by: String,
    version: i64,
}

impl From<Row> for Concern {
    fn from(r: Row) -> Concern {
        let raiser = match (r.person_id, r.group_id, r.meeting_id) {
            (Some(p), _, _) => Raiser::Person(p),
            (None, Some(g), _) => Raiser::Group(g),
            // The table's check makes exactly one of the three set.
            (None, None, m) => Raiser::Meeting(m.unwrap_or_default()),
        };
        Concern {
            id: r.id,
            service_id: r.service_id,
            service_name: r.service_name,
            raiser,
            raiser_name: r.raiser_name,
            words: r.words,
            severity: r.severity,
            status: r.status,
            status_since: r.status_since,
            owner: r.owner_id,
            owner_name: r.owner_name,
            response: r.response,
            fed_back_way: r.fed_back_way,
            fed_back_on: r.fed_back_on,
            fed_back_by: r.fed_back_by,
            not_changed_because: r.not_changed_because,
            improvement: r.improvement_id,
            redirected_to: r.redirected_to,
            raised_at: r.raised_at,
            recorded_by: r.recorded_by,
            version: r.version,
        }
    }
}

/// The columns of a concern, with the names its page shows (see [`select_scoped`] for its
/// scope).
const SELECT: &str = "SELECT c.id, c.service_id, sv.name AS service_name, c.person_id, c.group_id,
        c.meeting_id,
        COALESCE(p.name, g.name, mg.name, mp.name, '') AS raiser_name,
        c.words, c.severity, c.status, c.status_since, c.owner_id, o.name AS owner_name,
        c.response, c.fed_back_way, c.fed_back_on, c.fed_back_by, c.not_changed_because,
        c.improvement_id, c.redirected_to, c.raised_at, COALESCE(r.name, '') AS recorded_by, c.version
    FROM concerns c
    JOIN services sv ON sv.id = c.service_id
    LEFT JOIN people p ON p.id = c.person_id
    LEFT JOIN groups g ON g.id = c.group_id
    LEFT JOIN meetings m ON m.id = c.meeting_id
    LEFT JOIN groups mg ON mg.id = m.group_id
    LEFT JOIN projects mp ON mp.id = m.project_id
    LEFT JOIN staff o ON o.id = c.owner_id
    LEFT JOIN staff r ON r.id = c.recorded_by";

/// [`SELECT`] within the scope bound as `$1`, written for the scope it is, so that the planner
/// can use an index on the service (`$1 IS NULL OR …` would hide it).
fn select_scoped(scope: Option<StaffId>) -> String {
    match scope {
        None => format!("{SELECT} WHERE $1 IS NULL"),
        Some(_) => format!(
            "{SELECT} WHERE c.service_id IN (SELECT service_id FROM staff_services WHERE staff_id = $1)"
        ),
    }
}

/// Where a concern waits for a step (the open concerns' indexes are partial on just this).
const OPEN: &str = "c.status IN ('raised', 'escalated', 'responded', 'fed_back')";

/// Records a concern, raised now.
pub async fn insert(tx: &mut Tx, c: &NewConcern, now: Timestamp) -> Result<ConcernId> {
    let (person, group, meeting) = match c.raiser {
        Raiser::Person(p) => (Some(p), None, None),
        Raiser::Group(g) => (None, Some(g), None),
        Raiser::Meeting(m) => (None, None, Some(m)),
    };
    Ok(on!(tx, conn => sqlx::query_scalar(
        "INSERT INTO concerns (service_id, person_id, group_id, meeting_id, words, severity,
             status, status_since, raised_at, recorded_by)
         VALUES ($1, $2, $3, $4, $5, $6, 'raised', $7, $7, $8) RETURNING id",
    )
    .bind(c.service_id).bind(person).bind(group).bind(meeting).bind(&c.words)
    .bind(c.severity).bind(now.millis()).bind(c.recorded_by)
    .fetch_one(conn).await?))
}

/// One concern, if the scope shows it.
pub async fn find(tx: &mut Tx, id: ConcernId, scope: Option<StaffId>) -> Result<Option<Concern>> {
    let sql = format!("{} AND c.id = $2", select_scoped(scope));
    let row: Option<Row> =
        on!(tx, conn => sqlx::query_as(&sql).bind(scope).bind(id).fetch_optional(conn).await?);
    Ok(row.map(Concern::from))
}

/// The concerns in the log (not redirected): open ones first, longest in their step first,
/// then closed ones newest first; at most `limit`, from `offset`.
///
/// The open ones and the closed ones are read apart, each as a page of ids first (from the
/// concern rows alone, the open ones by their partial index) and only then with the names the
/// page shows: joining the names of every concern in the scope to sort them cost most of the
/// page's time.
pub async fn log(
    tx: &mut Tx,
    scope: Option<StaffId>,
    open_only: bool,
    limit: i64,
    offset: i64,
) -> Result<Vec<Concern>> {
    let in_scope = match scope {
        None => "$1 IS NULL",
        Some(_) => "c.service_id IN (SELECT service_id FROM staff_services WHERE staff_id = $1)",
    };
    let open_order = "c.status_since, c.id";
    let mut rows = page_of(
        tx,
        scope,
        &format!("{in_scope} AND {OPEN}"),
        open_order,
        limit,
        offset,
    )
    .await?;
    let wanted = usize::try_from(limit).unwrap_or(0);
    if open_only || rows.len() >= wanted {
        return Ok(rows);
    }
    // The page runs past the open ones: the closed ones follow, newest first.
    let count = format!("SELECT COUNT(*) FROM concerns c WHERE {in_scope} AND {OPEN}");
    let open: i64 = on!(tx, conn => sqlx::query_scalar(&count).bind(scope).fetch_one(conn).await?);
    let closed_offset = (offset - open).max(0);
    let more = limit - i64::try_from(rows.len()).unwrap_or(limit);
    let closed = format!("{in_scope} AND c.status = 'closed'");
    let order = "c.status_since DESC, c.id";
    rows.extend(page_of(tx, scope, &closed, order, more, closed_offset).await?);
    Ok(rows)
}

/// The concerns matching `filter` (with the scope bound as `$1`) in `order`, `limit` from
/// `offset`: their ids first, then those rows with their names.
async fn page_of(
    tx: &mut Tx,
    scope: Option<StaffId>,
    filter: &str,
    order: &str,
    limit: i64,
    offset: i64,
) -> Result<Vec<Concern>> {
    let sql = format!(
        "{SELECT} WHERE c.id IN (SELECT c.id FROM concerns c WHERE {filter}
             ORDER BY {order} LIMIT $2 OFFSET $3)
         ORDER BY {order}"
    );
    let rows: Vec<Row> = on!(tx, conn => sqlx::query_as(&sql)
        .bind(scope).bind(limit).bind(offset)
        .fetch_all(conn).await?);
    Ok(rows.into_iter().map(Concern::from).collect())
}

/// The concerns raised at one meeting, oldest first.
pub async fn of_meeting(
    tx: &mut Tx,
    meeting: MeetingId,
    scope: Option<StaffId>,
) -> Result<Vec<Concern>> {
    let sql = format!(
        "{} AND c.meeting_id = $2 AND c.status <> 'redirected' ORDER BY c.id",
        select_scoped(scope)
    );
    let rows: Vec<Row> =
        on!(tx, conn => sqlx::query_as(&sql).bind(scope).bind(meeting).fetch_all(conn).await?);
    Ok(rows.into_iter().map(Concern::from).collect())
}

/// Takes a step: the new status and what the step sets, if the concern is still at `version`.
/// Returns whether it was (a stale page changes nothing).
pub async fn take_step(
    tx: &mut Tx,
    id: ConcernId,
    version: i64,
    status: ConcernStatus,
    fields: &StepFields,
    now: Timestamp,
) -> Result<bool> {
    let (way, on_date, by) = match &fields.fed_back {
        Some((w, d, b)) => (Some(*w), Some(d.as_str()), Some(b.as_str())),
        None => (None, None, None),
    };
    let redirected = fields.redirected_to.is_some();
    let done = on!(tx, conn => sqlx::query(
        "UPDATE concerns SET status = $1, status_since = $2, version = version + 1,
             owner_id = COALESCE($3, owner_id),
             response = CASE WHEN $10 THEN '' ELSE COALESCE($4, response) END,
             fed_back_way = COALESCE($5, fed_back_way),
             fed_back_on = COALESCE($6, fed_back_on),
             fed_back_by = COALESCE($7, fed_back_by),
             not_changed_because = CASE WHEN $1 = 'closed' THEN COALESCE($8, '')
                 ELSE not_changed_because END,
             improvement_id = CASE WHEN $1 = 'closed' THEN $13 ELSE improvement_id END,
             redirected_to = COALESCE($9, redirected_to),
             words = CASE WHEN $10 THEN '' ELSE words END
         WHERE id = $11 AND version = $12",
    )
    .bind(status).bind(now.millis()).bind(fields.owner).bind(fields.response.as_deref())
    .bind(way).bind(on_date).bind(by).bind(fields.not_changed_because.as_deref())
    .bind(fields.redirected_to).bind(redirected).bind(id).bind(version)
    .bind(fields.improvement)
    .execute(conn).await.map(|r| r.rows_affected())?);
    Ok(done == 1)
}

/// Adds a step to a concern's history.
pub async fn record_event(
    tx: &mut Tx,
    id: ConcernId,
    by_name: &str,
    step: &str,
    note: &str,
    now: Timestamp,
) -> Result<()> {
    on!(tx, conn => sqlx::query(
        "INSERT INTO concern_events (concern_id, at, by_name, step, note) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(id).bind(now.millis()).bind(by_name).bind(step).bind(note)
    .execute(conn).await.map(|r| r.rows_affected())?);
    Ok(())
}

/// A concern's history, oldest first.
pub async fn events(tx: &mut Tx, id: ConcernId) -> Result<Vec<ConcernEvent>> {
    Ok(on!(tx, conn => sqlx::query_as(
        "SELECT at, by_name, step, note FROM concern_events WHERE concern_id = $1 ORDER BY id",
    )
    .bind(id)
    .fetch_all(conn)
    .await?))
}

/// Forgets what a redirected concern's history said (its notes may repeat its words), keeping
/// that each step was taken, when and by whom.
pub async fn clear_event_notes(tx: &mut Tx, id: ConcernId) -> Result<()> {
    on!(tx, conn => sqlx::query("UPDATE concern_events SET note = '' WHERE concern_id = $1")
        .bind(id)
        .execute(conn)
        .await
        .map(|r| r.rows_affected())?);
    Ok(())
}

/// Open concerns past their step's target, longest waiting first: those the scope shows, or
/// only one owner's. `before` holds, for raised, escalated, responded and fed back in turn, the
/// moment before which reaching that status makes a concern overdue.
pub async fn overdue(
    tx: &mut Tx,
    scope: Option<StaffId>,
    owner: Option<StaffId>,
    before: [i64; 4],
    limit: i64,
) -> Result<Vec<Concern>> {
    let owned = match owner {
        Some(_) => "c.owner_id = $6",
        None => "$6 IS NULL",
    };
    let sql = format!(
        "{} AND {OPEN} AND {owned}
             AND c.status_since < CASE c.status WHEN 'raised' THEN $2 WHEN 'escalated' THEN $3
                 WHEN 'responded' THEN $4 ELSE $5 END
         ORDER BY c.status_since, c.id LIMIT $7",
        select_scoped(scope)
    );
    let [raised, escalated, responded, fed_back] = before;
    let rows: Vec<Row> = on!(tx, c => sqlx::query_as(&sql)
        .bind(scope).bind(raised).bind(escalated).bind(responded).bind(fed_back)
        .bind(owner).bind(limit)
        .fetch_all(c).await?);
    Ok(rows.into_iter().map(Concern::from).collect())
}

/// Moves a concern's raising, its steps and its history `days` into the past (demo data with a
/// history).
pub async fn backdate(tx: &mut Tx, id: ConcernId, days: i64) -> Result<()> {
    let by = days * 86_400_000;
    on!(tx, c => sqlx::query(
        "UPDATE concerns SET raised_at = raised_at - $2, status_since = status_since - $2
         WHERE id = $1",
    )
    .bind(id).bind(by)
    .execute(c).await.map(|r| r.rows_affected())?);
    on!(tx, c => sqlx::query("UPDATE concern_events SET at = at - $2 WHERE concern_id = $1")
        .bind(id).bind(by)
        .execute(c).await.map(|r| r.rows_affected())?);
    Ok(())
}
