//! Contacts: one logged touchpoint each.

use crate::{on, JsonRows, Result, Tx};
use coproduce_domain::RelationshipId;
use coproduce_domain::Timestamp;
use coproduce_domain::{PersonId, StaffId};

/// A contact to log.
#[derive(Clone, Debug)]
pub struct NewContact<'a> {
    /// The person.
    pub person_id: PersonId,
    /// The relationship it counts towards.
    pub relationship_id: Option<RelationshipId>,
    /// When it happened.
    pub occurred_at: Timestamp,
    /// Channel code.
    pub channel: &'a str,
    /// Direction code.
    pub direction: &'a str,
    /// Who logged it.
    pub staff_id: Option<StaffId>,
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

/// The rest of the query for a person's newest `limit` contacts, the person bound as `$1`.
pub(crate) fn for_person_from(limit: i64) -> String {
    format!(
        "FROM contacts c LEFT JOIN staff s ON s.id = c.staff_id
         WHERE c.person_id = $1 ORDER BY c.occurred_at DESC, c.id DESC LIMIT {limit}"
    )
}

/// A person's contacts, newest first, as JSON rows; `from` is from [`for_person_from`].
pub(crate) fn for_person_rows(from: &str) -> JsonRows<'_> {
    JsonRows {
        fields: &[
            ("id", "c.id"),
            ("person_id", "c.person_id"),
            ("relationship_id", "c.relationship_id"),
            ("occurred_at", "c.occurred_at"),
            ("channel", "c.channel"),
            ("direction", "c.direction"),
            ("staff_id", "c.staff_id"),
            ("staff_name", "s.name"),
            ("summary", "c.summary"),
            ("follow_up_on", "c.follow_up_on"),
        ],
        from,
        order: "occurred_at DESC, id DESC",
    }
}

/// Removes the contact stored under a submission key (a register corrected: they did not
/// attend after all).
pub async fn remove_by_key(tx: &mut Tx, key: &str) -> Result<()> {
    on!(tx, c => sqlx::query("DELETE FROM contacts WHERE submission_key = $1")
        .bind(key)
        .execute(c)
        .await
        .map(|_| ())?);
    Ok(())
}
