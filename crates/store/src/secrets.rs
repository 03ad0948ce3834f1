//! Server secrets: random keys every server behind the load balancer shares, newest first.

use crate::{on, Result, Tx};
use coproduce_domain::Timestamp;

/// A secret: its id and its bytes, hex.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct SecretRow {
    /// Id, named in what it signs.
    pub id: i64,
    /// The secret, hex.
    pub secret: String,
    /// When it was made.
    pub created_at: i64,
}

/// Every secret kept for a purpose, newest first.
pub async fn all(tx: &mut Tx, purpose: &str) -> Result<Vec<SecretRow>> {
    Ok(on!(tx, c => sqlx::query_as(
        "SELECT id, secret, created_at FROM server_secrets WHERE purpose = $1 ORDER BY id DESC",
    )
    .bind(purpose)
    .fetch_all(c)
    .await?))
}

/// Adds a secret, which becomes the newest.
pub async fn add(tx: &mut Tx, purpose: &str, secret: &str, now: Timestamp) -> Result<i64> {
    Ok(on!(tx, c => sqlx::query_scalar(
        "INSERT INTO server_secrets (purpose, secret, created_at) VALUES ($1, $2, $3) RETURNING id",
    )
    .bind(purpose)
    .bind(secret)
    .bind(now.millis())
    .fetch_one(c)
    .await?))
}

/// Forgets the secrets of a purpose older than `keep_from`, the oldest still needed.
pub async fn forget_before(tx: &mut Tx, purpose: &str, keep_from: i64) -> Result<u64> {
    Ok(
        on!(tx, c => sqlx::query("DELETE FROM server_secrets WHERE purpose = $1 AND id < $2")
        .bind(purpose)
        .bind(keep_from)
        .execute(c)
        .await
        .map(|r| r.rows_affected())?),
    )
}
