//! Feedback after meetings: who was asked (a request, answered once) and what they said. An
//! anonymous answer is written with its meeting and nothing that leads back to the request.

use crate::{on, Result, Tx};
use coproduce_domain::feedback::{Answers, MonthTotals};
use coproduce_domain::groups::Team;
use coproduce_domain::{MeetingId, PersonId, StaffId, Timestamp};

/// One person asked about one meeting.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Request {
    /// Its id.
    pub id: i64,
    /// The meeting.
    pub meeting_id: MeetingId,
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
    /// The meeting it is about.
    pub meeting_id: MeetingId,
    /// The meeting's group or project.
    pub team: Team,
    /// The meeting's day, `YYYY-MM-DD`.
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
    "SELECT id, meeting_id, person_id, expires_at, answered_on FROM feedback_requests";

/// Asks a person about a meeting, with a link whose token hashes to `token_hash` (none when staff
/// record an answer for someone never sent one). False when they were asked already.
pub async fn add_request(
    tx: &mut Tx,
    meeting: MeetingId,
    person: PersonId,
    token_hash: Option<&str>,
    expires_at: Timestamp,
    now: Timestamp,
) -> Result<bool> {
    let done = on!(tx, c => sqlx::query(
        "INSERT INTO feedback_requests (meeting_id, person_id, token_hash, expires_at, created_at)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (meeting_id, person_id) DO NOTHING")
        .bind(meeting).bind(person).bind(token_hash).bind(expires_at.millis()).bind(now.millis())
        .execute(c).await?.rows_affected());
    Ok(done == 1)
}

/// The request a link's token hashes to.
pub async fn find_by_token(tx: &mut Tx, token_hash: &str) -> Result<Option<Request>> {
    let sql = format!("{REQUEST} WHERE token_hash = $1");
    Ok(on!(tx, c => sqlx::query_as(&sql).bind(token_hash).fetch_optional(c).await?))
}

/// The request asking this person about this meeting.
pub async fn find(tx: &mut Tx, meeting: MeetingId, person: PersonId) -> Result<Option<Request>> {
    let sql = format!("{REQUEST} WHERE meeting_id = $1 AND person_id = $2");
    Ok(on!(tx, c => sqlx::query_as(&sql).bind(meeting).bind(person).fetch_optional(c).await?))
}

/// The requests answered for a meeting, by person: who has given feedback on it.
pub async fn answered(tx: &mut Tx, meeting: MeetingId) -> Result<Vec<PersonId>> {
    Ok(on!(tx, c => sqlx::query_scalar(
        "SELECT person_id FROM feedback_requests WHERE meeting_id = $1 AND answered_on IS NOT NULL")
        .bind(meeting).fetch_all(c).await?))
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
        Team::Group(g) => (Some(g), None),
        Team::Project(p) => (None, Some(p)),
    };
    let [listened, took_part, belong] = a.answers.scores.map(|s| s.value());
    on!(tx, c => sqlx::query(
        "INSERT INTO feedback_answers (id, meeting_id, group_id, project_id, held_on, listened,
             took_part, belong, to_change, person_id, recorded_by, on_behalf)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)")
        .bind(a.id).bind(a.meeting_id).bind(group).bind(project).bind(a.held_on)
        .bind(listened).bind(took_part).bind(belong).bind(&a.answers.to_change)
        .bind(a.person_id).bind(a.recorded_by).bind(a.on_behalf)
        .execute(c).await.map(|_| ())?);
    Ok(())
}

/// The team test on the answers: `$1` is the group's or project's id.
fn team_column(team: Team) -> &'static str {
    match team {
        Team::Group(_) => "group_id",
        Team::Project(_) => "project_id",
    }
}

/// A group's or project's answers added up by month, for meetings held on or after `since`
/// (`YYYY-MM-DD`), in no particular order.
pub async fn months(tx: &mut Tx, team: Team, since: &str) -> Result<Vec<MonthTotals>> {
    let column = team_column(team);
    // PostgreSQL sums whole numbers as `numeric`: cast back so both give an i64.
    let sql = format!(
        "SELECT substr(held_on, 1, 7), COUNT(*),
             CAST(SUM(listened) AS BIGINT), CAST(SUM(took_part) AS BIGINT), CAST(SUM(belong) AS BIGINT),
             CAST(SUM(CASE WHEN listened >= 4 THEN 1 ELSE 0 END) AS BIGINT),
             CAST(SUM(CASE WHEN took_part >= 4 THEN 1 ELSE 0 END) AS BIGINT),
             CAST(SUM(CASE WHEN belong >= 4 THEN 1 ELSE 0 END) AS BIGINT)
         FROM feedback_answers WHERE {column} = $1 AND held_on >= $2
         GROUP BY substr(held_on, 1, 7)"
    );
    type Row = (String, i64, i64, i64, i64, i64, i64, i64);
    let rows: Vec<Row> = on!(tx, c => sqlx::query_as(&sql)
        .bind(team.id()).bind(since).fetch_all(c).await?);
    Ok(rows
        .into_iter()
        .map(|(month, answers, s1, s2, s3, p1, p2, p3)| MonthTotals {
            month,
            answers,
            sums: [s1, s2, s3],
            positive: [p1, p2, p3],
        })
        .collect())
}

/// What people said should change, for a group's or project's meetings held on or after
/// `since`: the meeting's day and the words, newest meeting first, at most `limit`. Nothing says
/// who, or in what order they answered.
pub async fn suggestions(
    tx: &mut Tx,
    team: Team,
    since: &str,
    limit: i64,
) -> Result<Vec<(String, String)>> {
    let column = team_column(team);
    let sql = format!(
        "SELECT held_on, to_change FROM feedback_answers
         WHERE {column} = $1 AND held_on >= $2 AND to_change <> ''
         ORDER BY held_on DESC, id LIMIT $3"
    );
    Ok(on!(tx, c => sqlx::query_as(&sql)
        .bind(team.id()).bind(since).bind(limit).fetch_all(c).await?))
}
