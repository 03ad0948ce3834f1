//! Reviews of groups, projects and relationships, and what is due one. The scope is in the SQL:
//! service staff see their own services' reviews, the participation team every one.

use crate::{on, Result, Tx};
use coproduce_domain::groups::Ladder;
use coproduce_domain::reviews::{Assessment, DueReview, LadderChange, Rating, Review, ReviewOf};
use coproduce_domain::{PersonId, ProjectId, ReviewId, ServiceId, StaffId, Timestamp};

/// A review as it is recorded.
#[derive(Clone, Debug)]
pub struct NewReview<'a> {
    /// What it looked at.
    pub of: ReviewOf,
    /// Its service.
    pub service_id: ServiceId,
    /// The UK day it was held.
    pub held_on: &'a str,
    /// What it found for each standard, in the standards' order.
    pub assessments: &'a [Assessment],
    /// The views gathered from members.
    pub views: &'a str,
    /// When to look again.
    pub next_review_on: &'a str,
    /// A project's change of level on the ladder.
    pub ladder: Option<&'a LadderChange>,
    /// Who recorded it.
    pub recorded_by: &'a str,
    /// The form's one-time key: the same key twice records one review.
    pub submission_key: Option<&'a str>,
}

/// What a review may look at, as its form needs it.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Subject {
    /// Its name.
    pub name: String,
    /// Its service.
    pub service_id: ServiceId,
    /// The person, for a relationship.
    pub person_id: Option<PersonId>,
    /// When it is due a review.
    pub next_review_on: Option<String>,
    /// A project's level on the ladder.
    pub ladder: Option<String>,
}

/// The scope test: `$1` is null for every service, else the staff member whose services bound it.
const IN_SCOPE: &str =
    "($1 IS NULL OR d.service_id IN (SELECT service_id FROM staff_services WHERE staff_id = $1))";

/// Every group, project (not finished) and active relationship with its name and review date,
/// each part also meeting `and(alias)`: a test written into each part, so that each uses its own
/// table's indexes (the same test outside the `UNION ALL` read every row of all three).
fn subjects(and: impl Fn(&str) -> String) -> String {
    format!(
        "(
    SELECT 'group' AS kind, g.id, g.name, CAST(NULL AS BIGINT) AS person_id, g.service_id,
        g.next_review_on, CAST(NULL AS TEXT) AS ladder
    FROM groups g WHERE g.archived_at IS NULL AND {}
    UNION ALL
    SELECT 'project', pr.id, pr.name, NULL, pr.service_id, pr.next_review_on, pr.ladder
    FROM projects pr WHERE pr.stage <> 'finished' AND {}
    UNION ALL
    SELECT 'relationship', r.id, p.name || ' with ' || coalesce(rg.name, rs.name), r.person_id,
        r.service_id, r.next_review_on, NULL
    FROM relationships r JOIN people p ON p.id = r.person_id
    JOIN services rs ON rs.id = r.service_id LEFT JOIN groups rg ON rg.id = r.group_id
    WHERE r.status = 'active' AND p.status <> 'left' AND {}
) d",
        and("g"),
        and("pr"),
        and("r")
    )
}

/// A group, project or relationship a review may look at, if the scope shows it.
pub async fn subject(tx: &mut Tx, of: ReviewOf, scope: Option<StaffId>) -> Result<Option<Subject>> {
    let sql = format!(
        "SELECT d.name, d.service_id, d.person_id, d.next_review_on, d.ladder FROM {}
         WHERE {IN_SCOPE} AND d.kind = $2 AND d.id = $3",
        subjects(|t| format!("{t}.id = $3"))
    );
    Ok(on!(tx, c => sqlx::query_as(&sql)
        .bind(scope).bind(of.kind()).bind(of.id())
        .fetch_optional(c).await?))
}

/// What is due a review before `before` (`YYYY-MM-DD`), the longest overdue first.
pub async fn due(
    tx: &mut Tx,
    scope: Option<StaffId>,
    before: &str,
    limit: i64,
    from: i64,
) -> Result<Vec<DueReview>> {
    // Written for the scope it is: `$1 IS NULL OR …` would keep the planner from the indexes.
    let in_scope = |t: &str| match scope {
        None => format!("{t}.next_review_on < $2 AND $1 IS NULL"),
        Some(_) => format!(
            "{t}.next_review_on < $2
             AND {t}.service_id IN (SELECT service_id FROM staff_services WHERE staff_id = $1)"
        ),
    };
    let sql = format!(
        "SELECT d.kind, d.id, d.name, d.person_id, d.service_id, sv.name, d.next_review_on
         FROM {} JOIN services sv ON sv.id = d.service_id
         ORDER BY d.next_review_on, d.kind, d.id LIMIT $3 OFFSET $4",
        subjects(in_scope)
    );
    type DueRow = (
        String,
        i64,
        String,
        Option<PersonId>,
        ServiceId,
        String,
        String,
    );
    let rows: Vec<DueRow> = on!(tx, c => sqlx::query_as(&sql)
        .bind(scope).bind(before).bind(limit).bind(from)
        .fetch_all(c).await?);
    Ok(rows
        .into_iter()
        .filter_map(
            |(kind, id, name, person_id, service_id, service_name, due_on)| {
                Some(DueReview {
                    of: ReviewOf::of(&kind, id)?,
                    name,
                    person_id,
                    service_id,
                    service_name,
                    due_on,
                })
            },
        )
        .collect())
}

/// Records a review. Returns its id and whether it is new: the same submission twice records
/// one.
pub async fn insert(tx: &mut Tx, r: &NewReview<'_>, now: Timestamp) -> Result<(ReviewId, bool)> {
    let column = |of: ReviewOf, kind: &str| (of.kind() == kind).then_some(of.id());
    let rating = |i: usize| r.assessments.get(i).map(|a| a.rating.code());
    let notes = |i: usize| r.assessments.get(i).map_or("", |a| a.notes.as_str());
    let id: Option<ReviewId> = on!(tx, c => sqlx::query_scalar(
        "INSERT INTO reviews (group_id, project_id, relationship_id, service_id, held_on,
             principles, principles_notes, purpose, purpose_notes, presence, presence_notes,
             process, process_notes, impact, impact_notes, views, next_review_on,
             ladder_from, ladder_to, ladder_reason, recorded_by, submission_key, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17,
             $18, $19, $20, $21, $22, $23)
         ON CONFLICT (submission_key) DO NOTHING RETURNING id",
    )
    .bind(column(r.of, "group")).bind(column(r.of, "project")).bind(column(r.of, "relationship"))
    .bind(r.service_id).bind(r.held_on)
    .bind(rating(0)).bind(notes(0)).bind(rating(1)).bind(notes(1)).bind(rating(2)).bind(notes(2))
    .bind(rating(3)).bind(notes(3)).bind(rating(4)).bind(notes(4))
    .bind(r.views).bind(r.next_review_on)
    .bind(r.ladder.map(|l| l.from.code())).bind(r.ladder.map(|l| l.to.code()))
    .bind(r.ladder.map_or("", |l| l.reason.as_str()))
    .bind(r.recorded_by).bind(r.submission_key).bind(now.millis())
    .fetch_optional(c).await?);
    if let Some(id) = id {
        return Ok((id, true));
    }
    let existing = on!(tx, c => sqlx::query_scalar("SELECT id FROM reviews WHERE submission_key = $1")
        .bind(r.submission_key)
        .fetch_one(c).await?);
    Ok((existing, false))
}

/// Sets when a group, project or relationship is next due a review.
pub async fn set_next_review(tx: &mut Tx, of: ReviewOf, on_day: &str) -> Result<()> {
    let table = match of {
        ReviewOf::Group(_) => "groups",
        ReviewOf::Project(_) => "projects",
        ReviewOf::Relationship(_) => "relationships",
    };
    let sql = format!("UPDATE {table} SET next_review_on = $1 WHERE id = $2");
    on!(tx, c => sqlx::query(&sql).bind(on_day).bind(of.id())
        .execute(c).await.map(|_| ())?);
    Ok(())
}

/// Moves a project on the ladder at a review, keeping the step with its reason.
pub async fn change_ladder(
    tx: &mut Tx,
    project: ProjectId,
    change: &LadderChange,
    (on_day, by): (&str, &str),
    review: ReviewId,
    now: Timestamp,
) -> Result<()> {
    on!(tx, c => sqlx::query(
        "UPDATE projects SET ladder = $1, updated_at = $2, version = version + 1 WHERE id = $3",
    )
    .bind(change.to.code()).bind(now.millis()).bind(project)
    .execute(c).await.map(|_| ())?);
    on!(tx, c => sqlx::query(
        "INSERT INTO project_ladder (project_id, ladder, recorded_on, recorded_by, reason,
             review_id, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(project).bind(change.to.code()).bind(on_day).bind(by).bind(&change.reason)
    .bind(review).bind(now.millis())
    .execute(c).await.map(|_| ())?);
    Ok(())
}

#[derive(sqlx::FromRow)]
struct Row {
    id: ReviewId,
    kind: String,
    subject_id: i64,
    subject_name: String,
    person_id: Option<PersonId>,
    service_id: ServiceId,
    service_name: String,
    held_on: String,
    principles: String,
    principles_notes: String,
    purpose: String,
    purpose_notes: String,
    presence: String,
    presence_notes: String,
    process: String,
    process_notes: String,
    impact: String,
    impact_notes: String,
    views: String,
    next_review_on: String,
    ladder_from: Option<String>,
    ladder_to: Option<String>,
    ladder_reason: String,
    recorded_by: String,
    created_at: i64,
}

impl Row {
    fn review(self) -> Option<Review> {
        let assess = |rating: &str, notes: String| {
            Some(Assessment {
                rating: Rating::parse(rating)?,
                notes,
            })
        };
        let ladder = match (&self.ladder_from, &self.ladder_to) {
            (Some(from), Some(to)) => Some(LadderChange {
                from: Ladder::parse(from)?,
                to: Ladder::parse(to)?,
                reason: self.ladder_reason.clone(),
            }),
            _ => None,
        };
        Some(Review {
            id: self.id,
            of: ReviewOf::of(&self.kind, self.subject_id)?,
            subject_name: self.subject_name,
            person_id: self.person_id,
            service_id: self.service_id,
            service_name: self.service_name,
            held_on: self.held_on,
            assessments: vec![
                assess(&self.principles, self.principles_notes)?,
                assess(&self.purpose, self.purpose_notes)?,
                assess(&self.presence, self.presence_notes)?,
                assess(&self.process, self.process_notes)?,
                assess(&self.impact, self.impact_notes)?,
            ],
            views: self.views,
            next_review_on: self.next_review_on,
            ladder,
            recorded_by: self.recorded_by,
            created_at: self.created_at,
        })
    }
}

/// The columns of a review, with its subject's name; `$1` is the scope.
const SELECT: &str = "SELECT rv.id,
        CASE WHEN rv.group_id IS NOT NULL THEN 'group'
             WHEN rv.project_id IS NOT NULL THEN 'project' ELSE 'relationship' END AS kind,
        coalesce(rv.group_id, rv.project_id, rv.relationship_id) AS subject_id,
        coalesce(g.name, pr.name, p.name || ' with ' || coalesce(rg.name, sv.name)) AS subject_name,
        r.person_id, rv.service_id, sv.name AS service_name, rv.held_on,
        rv.principles, rv.principles_notes, rv.purpose, rv.purpose_notes, rv.presence,
        rv.presence_notes, rv.process, rv.process_notes, rv.impact, rv.impact_notes, rv.views,
        rv.next_review_on, rv.ladder_from, rv.ladder_to, rv.ladder_reason, rv.recorded_by,
        rv.created_at
    FROM reviews rv JOIN services sv ON sv.id = rv.service_id
    LEFT JOIN groups g ON g.id = rv.group_id
    LEFT JOIN projects pr ON pr.id = rv.project_id
    LEFT JOIN relationships r ON r.id = rv.relationship_id
    LEFT JOIN people p ON p.id = r.person_id
    LEFT JOIN groups rg ON rg.id = r.group_id
    WHERE ($1 IS NULL OR rv.service_id IN (SELECT service_id FROM staff_services WHERE staff_id = $1))";

/// One review, if the scope shows it.
pub async fn find(tx: &mut Tx, id: ReviewId, scope: Option<StaffId>) -> Result<Option<Review>> {
    let sql = format!("{SELECT} AND rv.id = $2");
    let row: Option<Row> =
        on!(tx, c => sqlx::query_as(&sql).bind(scope).bind(id).fetch_optional(c).await?);
    Ok(row.and_then(Row::review))
}

/// The reviews of one group, project or relationship, newest first.
pub async fn history(
    tx: &mut Tx,
    of: ReviewOf,
    scope: Option<StaffId>,
    limit: i64,
) -> Result<Vec<Review>> {
    let column = match of {
        ReviewOf::Group(_) => "rv.group_id",
        ReviewOf::Project(_) => "rv.project_id",
        ReviewOf::Relationship(_) => "rv.relationship_id",
    };
    let sql = format!("{SELECT} AND {column} = $2 ORDER BY rv.held_on DESC, rv.id DESC LIMIT $3");
    let rows: Vec<Row> = on!(tx, c => sqlx::query_as(&sql)
        .bind(scope).bind(of.id()).bind(limit)
        .fetch_all(c).await?);
    Ok(rows.into_iter().filter_map(Row::review).collect())
}
