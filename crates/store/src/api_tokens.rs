//! API bearer tokens, stored hashed.

use crate::{on, Result, Tx};
use coproduce_domain::{StaffId, Timestamp};

/// A live token and whose it is.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct TokenOwner {
    /// The token's id.
    pub token_id: i64,
    /// The staff member it acts for.
    pub staff_id: StaffId,
    /// Their name.
    pub name: String,
    /// Their email.
    pub email: String,
    /// Their role's stored name.
    pub role: String,
}

/// Stores a new token by its hash.
pub async fn create(
    tx: &mut Tx,
    token_hash: &str,
    staff: StaffId,
    name: &str,
    expires_at: Option<Timestamp>,
    now: Timestamp,
) -> Result<i64> {
    Ok(on!(tx, c => sqlx::query_scalar(
        "INSERT INTO api_tokens (token_hash, staff_id, name, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(token_hash)
    .bind(staff.0)
    .bind(name)
    .bind(now.millis())
    .bind(expires_at.map(Timestamp::millis))
    .fetch_one(c)
    .await?))
}

/// The owner of a token, while it is unrevoked, unexpired and its account enabled.
pub async fn find_live(
    tx: &mut Tx,
    token_hash: &str,
    now: Timestamp,
) -> Result<Option<TokenOwner>> {
    Ok(on!(tx, c => sqlx::query_as(
        "SELECT t.id AS token_id, t.staff_id, st.name, st.email, st.role
         FROM api_tokens t JOIN staff st ON st.id = t.staff_id
         WHERE t.token_hash = $1 AND t.revoked_at IS NULL
           AND (t.expires_at IS NULL OR t.expires_at > $2) AND st.disabled_at IS NULL",
    )
    .bind(token_hash)
    .bind(now.millis())
    .fetch_optional(c)
    .await?))
}

/// Records that a token was used now.
pub async fn touch(tx: &mut Tx, id: i64, now: Timestamp) -> Result<()> {
    crate::stamp(
        tx,
        "UPDATE api_tokens SET last_used_at = $2 WHERE id = $1",
        id,
        now,
    )
    .await
}
