//! Feedback after meetings and activities: who was asked (a request, answered once) and what they
//! said. An anonymous answer is written with its meeting or activity and nothing that leads back
//! to the request.

use crate::{on, Result, Tx};
use coproduce_domain::feedback::{Answers, Asked, MonthTotals, ResultsOf};
use coproduce_domain::groups::Team;
use coproduce_domain::{MeetingId, OpportunityId, PersonId, StaffId, Timestamp};

/// One person asked about one meeting.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Request {
    /// Its id.
    pub id: i64,
    /// The meeting, if it asks about one.
    pub meeting_id: Option<MeetingId>,
    /// The activity, if it asks about one.
    pub opportunity_id: Option<OpportunityId>,
    /// Who was asked.
    pub person_id: PersonId,
    /// When its link stops working, in milliseconds.
    pub expires_at: i64,
    /// The day it was answered, once it has been.
    pub answered_on: Option<String>,
}

/// An answer as it is written.
#[derive(Clone, Debug)]
pub struct NewAnswer<'a> {
    /// A random id: nothing about it says when it was written.
    pub id: &'a str,
    /// The meeting or activity it is about.
    pub asked: Asked,
    /// The meeting's group or project; none for an activity.
    pub team: Option<Team>,
    /// The meeting's or activity's day, `YYYY-MM-DD`.
    pub held_on: &'a str,
    /// What they said.
    pub answers: &'a Answers,
    /// Who said it; none when anonymous.
    pub person_id: Option<PersonId>,
    /// Staff who recorded it for them; none when anonymous.
    pub recorded_by: Option<StaffId>,
    /// Whether staff recorded it on their behalf.
    pub on_behalf: bool,
}

const REQUEST: &str =
    "SELECT id, meeting_id, opportunity_id, person_id, expires_at, answered_on FROM feedback_requests";

/// The request's column naming what it asks about, and its id.
fn asked_column(asked: Asked) -> (&'static str, i64) {
    match asked {
        Asked::Meeting(m) => ("meeting_id", m.0),
        Asked::Opportunity(o) => ("opportunity_id", o.0),
    }
}

/// Asks a person about a meeting or activity, with a link whose token hashes to `token_hash`
/// (none when staff record an answer for someone never sent one). False when they were asked
/// already.
pub async fn add_request(
    tx: &mut Tx,
    asked: Asked,
    person: PersonId,
    token_hash: Option<&str>,
    expires_at: Timestamp,
    now: Timestamp,
) -> Result<bool> {
    let (column, id) = asked_column(asked);
    let sql = format!(
        "INSERT INTO feedback_requests ({column}, person_id, token_hash, expires_at, created_at)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT ({column}, person_id) DO NOTHING"
    );
    let done = on!(tx, c => sqlx::query(&sql)
        .bind(id).bind(person).bind(token_hash).bind(expires_at.millis()).bind(now.millis())
        .execute(c).await?.rows_affected());
    Ok(done == 1)
}

/// The request a link's token hashes to.
pub async fn find_by_token(tx: &mut Tx, token_hash: &str) -> Result<Option<Request>> {
    let sql = format!("{REQUEST} WHERE token_hash = $1");
    Ok(on!(tx, c => sqlx::query_as(&sql).bind(token_hash).fetch_optional(c).await?))
}

/// The request asking this person about this meeting or activity.
pub async fn find(tx: &mut Tx, asked: Asked, person: PersonId) -> Result<Option<Request>> {
    let (column, id) = asked_column(asked);
    let sql = format!("{REQUEST} WHERE {column} = $1 AND person_id = $2");
    Ok(on!(tx, c => sqlx::query_as(&sql).bind(id).bind(person).fetch_optional(c).await?))
}

/// Who is known to have given feedback on a meeting or activity: those staff recorded it for,
/// and those who gave their names (an anonymous answer through a link says nobody).
pub async fn answered(tx: &mut Tx, asked: Asked) -> Result<Vec<PersonId>> {
    let (column, id) = asked_column(asked);
    let sql = format!(
        "SELECT person_id FROM feedback_requests WHERE {column} = $1 AND answered_on IS NOT NULL
         UNION SELECT person_id FROM feedback_answers WHERE {column} = $1 AND person_id IS NOT NULL"
    );
    Ok(on!(tx, c => sqlx::query_scalar(&sql).bind(id).fetch_all(c).await?))
}

/// Takes back an unanswered request: its link stops working. False when there was none (or it
/// was answered: an answer given stays).
pub async fn withdraw(tx: &mut Tx, asked: Asked, person: PersonId) -> Result<bool> {
    let (column, id) = asked_column(asked);
    let sql = format!(
        "DELETE FROM feedback_requests WHERE {column} = $1 AND person_id = $2 AND answered_on IS NULL"
    );
    let done =
        on!(tx, c => sqlx::query(&sql).bind(id).bind(person).execute(c).await?.rows_affected());
    Ok(done == 1)
}

/// Remembers a link as used by `used_hash` (a second hash of its token). False when it was
/// already: the same link used twice.
pub async fn mark_used(tx: &mut Tx, used_hash: &str) -> Result<bool> {
    let done = on!(tx, c => sqlx::query(
        "INSERT INTO feedback_used (used_hash) VALUES ($1) ON CONFLICT (used_hash) DO NOTHING")
        .bind(used_hash).execute(c).await?.rows_affected());
    Ok(done == 1)
}

/// Whether the link with this second hash was used.
pub async fn is_used(tx: &mut Tx, used_hash: &str) -> Result<bool> {
    let found: Option<String> = on!(tx, c => sqlx::query_scalar(
        "SELECT used_hash FROM feedback_used WHERE used_hash = $1")
        .bind(used_hash).fetch_optional(c).await?);
    Ok(found.is_some())
}

/// How many answers a meeting or activity has.
pub async fn count_answers(tx: &mut Tx, asked: Asked) -> Result<i64> {
    let (column, id) = asked_column(asked);
    let sql = format!("SELECT COUNT(*) FROM feedback_answers WHERE {column} = $1");
    Ok(on!(tx, c => sqlx::query_scalar(&sql).bind(id).fetch_one(c).await?))
}

/// Marks a request answered on `day`. False when it already was: the same link used twice.
pub async fn mark_answered(tx: &mut Tx, request: i64, day: &str) -> Result<bool> {
    let done = on!(tx, c => sqlx::query(
        "UPDATE feedback_requests SET answered_on = $2 WHERE id = $1 AND answered_on IS NULL")
        .bind(request).bind(day).execute(c).await?.rows_affected());
    Ok(done == 1)
}

/// Writes an answer.
pub async fn insert_answer(tx: &mut Tx, a: &NewAnswer<'_>) -> Result<()> {
    let (group, project) = match a.team {
        Some(Team::Group(g)) => (Some(g.0), None),
        Some(Team::Project(p)) => (None, Some(p.0)),
        None => (None, None),
    };
    let (meeting, opportunity) = match a.asked {
        Asked::Meeting(m) => (Some(m.0), None),
        Asked::Opportunity(o) => (None, Some(o.0)),
    };
    let [listened, took_part, belong] = a.answers.scores.map(|s| s.value());
    on!(tx, c => sqlx::query(
        "INSERT INTO feedback_answers (id, meeting_id, opportunity_id, group_id, project_id,
             held_on, listened, took_part, belong, to_change, person_id, recorded_by, on_behalf)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)")
        .bind(a.id).bind(meeting).bind(opportunity).bind(group).bind(project).bind(a.held_on)
        .bind(listened).bind(took_part).bind(belong).bind(&a.answers.to_change)
        .bind(a.person_id).bind(a.recorded_by).bind(a.on_behalf)
        .execute(c).await.map(|_| ())?);
    let of = match (a.asked, a.team) {
        (Asked::Opportunity(o), _) => ResultsOf::Opportunity(o),
        (Asked::Meeting(_), Some(team)) => ResultsOf::Team(team),
        (Asked::Meeting(_), None) => return Ok(()),
    };
    let positive = |v: i64| i64::from(v >= 4);
    let month = a.held_on.get(..7).unwrap_or(a.held_on);
    on!(tx, c => sqlx::query(
        "INSERT INTO feedback_months (of_kind, of_id, month, answers, listened, took_part, belong,
             listened_positive, took_part_positive, belong_positive)
         VALUES ($1, $2, $3, 1, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (of_kind, of_id, month) DO UPDATE SET
             answers = feedback_months.answers + 1,
             listened = feedback_months.listened + excluded.listened,
             took_part = feedback_months.took_part + excluded.took_part,
             belong = feedback_months.belong + excluded.belong,
             listened_positive = feedback_months.listened_positive + excluded.listened_positive,
             took_part_positive = feedback_months.took_part_positive + excluded.took_part_positive,
             belong_positive = feedback_months.belong_positive + excluded.belong_positive")
        .bind(of.kind()).bind(of.id()).bind(month)
        .bind(listened).bind(took_part).bind(belong)
        .bind(positive(listened)).bind(positive(took_part)).bind(positive(belong))
        .execute(c).await.map(|_| ())?);
    Ok(())
}

/// A group's, project's or activity's answers added up by month, every month, in no particular
/// order: the totals kept as the answers arrived.
pub async fn monthly(tx: &mut Tx, of: ResultsOf) -> Result<Vec<MonthTotals>> {
    type Row = (String, i64, i64, i64, i64, i64, i64, i64);
    let rows: Vec<Row> = on!(tx, c => sqlx::query_as(
        "SELECT month, answers, listened, took_part, belong, listened_positive,
             took_part_positive, belong_positive
         FROM feedback_months WHERE of_kind = $1 AND of_id = $2")
        .bind(of.kind()).bind(of.id()).fetch_all(c).await?);
    Ok(rows.into_iter().map(month_totals).collect())
}

fn month_totals(
    (month, answers, s1, s2, s3, p1, p2, p3): (String, i64, i64, i64, i64, i64, i64, i64),
) -> MonthTotals {
    MonthTotals {
        month,
        answers,
        sums: [s1, s2, s3],
        positive: [p1, p2, p3],
    }
}

/// What people said should change, for a group's, project's or activity's answers from
/// `since` on: the day and the words, newest first, at most `limit`. Nothing says who, or in what
/// order they answered.
pub async fn suggestions(
    tx: &mut Tx,
    of: ResultsOf,
    since: &str,
    limit: i64,
) -> Result<Vec<(String, String)>> {
    let column = of.column();
    let sql = format!(
        "SELECT held_on, to_change FROM feedback_answers
         WHERE {column} = $1 AND held_on >= $2 AND to_change <> ''
         ORDER BY held_on DESC, id LIMIT $3"
    );
    Ok(on!(tx, c => sqlx::query_as(&sql)
        .bind(of.id()).bind(since).bind(limit).fetch_all(c).await?))
}

/// The people confirmed for activities on days from `from` to `to` (`YYYY-MM-DD`), each with
/// their activity, who have not been asked about it: whom to ask once it has ended.
pub async fn confirmed_unasked(
    tx: &mut Tx,
    from: &str,
    to: &str,
) -> Result<Vec<(OpportunityId, PersonId)>> {
    Ok(on!(tx, c => sqlx::query_as(
        "SELECT op.opportunity_id, op.person_id FROM opportunity_people op
         JOIN opportunities o ON o.id = op.opportunity_id
         WHERE op.status = 'confirmed' AND o.starts_on BETWEEN $1 AND $2
             AND NOT EXISTS (SELECT 1 FROM feedback_requests r
                 WHERE r.opportunity_id = op.opportunity_id AND r.person_id = op.person_id)
         ORDER BY op.opportunity_id, op.person_id")
        .bind(from).bind(to).fetch_all(c).await?))
}
