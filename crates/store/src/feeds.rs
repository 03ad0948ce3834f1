//! Secret calendar links: one current link per person or staff member, found by its token's
//! hash.

use crate::{on, Result, Tx};
use coproduce_domain::groups::Joiner;
use coproduce_domain::{PersonId, StaffId, Timestamp};

/// Revokes someone's current link, if any. True if there was one.
pub async fn revoke(tx: &mut Tx, who: Joiner, now: Timestamp) -> Result<bool> {
    let (person, staff) = who.ids();
    let n = on!(tx, c => sqlx::query(
        "UPDATE calendar_feeds SET revoked_at = $3
         WHERE revoked_at IS NULL AND (person_id = $1 OR staff_id = $2)",
    )
    .bind(person).bind(staff).bind(now.millis())
    .execute(c).await.map(|r| r.rows_affected())?);
    Ok(n > 0)
}

/// Makes a new link for someone, revoking the old one.
pub async fn replace(
    tx: &mut Tx,
    who: Joiner,
    token_hash: &str,
    by: &str,
    now: Timestamp,
) -> Result<()> {
    revoke(tx, who, now).await?;
    let (person, staff) = who.ids();
    on!(tx, c => sqlx::query(
        "INSERT INTO calendar_feeds (token_hash, person_id, staff_id, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(token_hash).bind(person).bind(staff).bind(by).bind(now.millis())
    .execute(c).await.map(|_| ())?);
    Ok(())
}

/// When someone's current link was made, if they have one.
pub async fn current(tx: &mut Tx, who: Joiner) -> Result<Option<i64>> {
    let (person, staff) = who.ids();
    Ok(on!(tx, c => sqlx::query_scalar(
        "SELECT created_at FROM calendar_feeds WHERE revoked_at IS NULL AND (person_id = $1 OR staff_id = $2)",
    )
    .bind(person).bind(staff)
    .fetch_optional(c).await?))
}

/// Whose current link has this hash.
pub async fn find(tx: &mut Tx, token_hash: &str) -> Result<Option<Joiner>> {
    let row: Option<(Option<PersonId>, Option<StaffId>)> = on!(tx, c => sqlx::query_as(
        "SELECT person_id, staff_id FROM calendar_feeds WHERE token_hash = $1 AND revoked_at IS NULL",
    )
    .bind(token_hash)
    .fetch_optional(c).await?);
    Ok(match row {
        Some((Some(p), _)) => Some(Joiner::Person(p)),
        Some((None, Some(s))) => Some(Joiner::Staff(s)),
        _ => None,
    })
}
