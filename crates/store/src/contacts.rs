//! Contacts: one logged touchpoint each.

use crate::{on, Result, Tx};
use coproduce_domain::Timestamp;

/// A stored contact, with who logged it.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ContactRow {
    /// Id.
    pub id: i64,
    /// The person.
    pub person_id: i64,
    /// The relationship it counts towards.
    pub relationship_id: Option<i64>,
    /// When it happened.
    pub occurred_at: i64,
    /// Channel code.
    pub channel: String,
    /// Direction code.
    pub direction: String,
    /// Who (staff).
    pub staff_id: Option<i64>,
    /// Their name.
    pub staff_name: Option<String>,
    /// What was said.
    pub summary: String,
    /// A date to follow up, `YYYY-MM-DD`.
    pub follow_up_on: Option<String>,
}

/// A contact to log.
#[derive(Clone, Debug)]
pub struct NewContact<'a> {
    /// The person.
    pub person_id: i64,
    /// The relationship it counts towards.
    pub relationship_id: Option<i64>,
    /// When it happened.
    pub occurred_at: Timestamp,
    /// Channel code.
    pub channel: &'a str,
    /// Direction code.
    pub direction: &'a str,
    /// Who logged it.
    pub staff_id: Option<i64>,
    /// What was said.
    pub summary: &'a str,
    /// Follow-up date.
    pub follow_up_on: Option<&'a str>,
    /// The form's one-time key: the same key twice stores one contact.
    pub submission_key: Option<&'a str>,
}

/// Logs a contact. Returns its id and whether it is new (false when the same submission was
/// stored before).
pub async fn insert(tx: &mut Tx, n: &NewContact<'_>, now: Timestamp) -> Result<(i64, bool)> {
    let id: Option<i64> = on!(tx, c => sqlx::query_scalar(
        "INSERT INTO contacts (person_id, relationship_id, occurred_at, channel, direction, staff_id, summary,
            follow_up_on, submission_key, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
         ON CONFLICT (submission_key) DO NOTHING RETURNING id",
    )
    .bind(n.person_id).bind(n.relationship_id).bind(n.occurred_at.millis()).bind(n.channel).bind(n.direction)
    .bind(n.staff_id).bind(n.summary).bind(n.follow_up_on).bind(n.submission_key).bind(now.millis())
    .fetch_optional(c)
    .await?);
    if let Some(id) = id {
        return Ok((id, true));
    }
    let existing: i64 = on!(tx, c => sqlx::query_scalar("SELECT id FROM contacts WHERE submission_key = $1")
        .bind(n.submission_key)
        .fetch_one(c)
        .await?);
    Ok((existing, false))
}

/// A person's contacts, newest first.
pub async fn for_person(tx: &mut Tx, person: i64, limit: i64) -> Result<Vec<ContactRow>> {
    Ok(on!(tx, c => sqlx::query_as(
        "SELECT c.id, c.person_id, c.relationship_id, c.occurred_at, c.channel, c.direction, c.staff_id,
                s.name AS staff_name, c.summary, c.follow_up_on
         FROM contacts c LEFT JOIN staff s ON s.id = c.staff_id
         WHERE c.person_id = $1 ORDER BY c.occurred_at DESC, c.id DESC LIMIT $2",
    )
    .bind(person)
    .bind(limit)
    .fetch_all(c)
    .await?))
}
