//! Failed sign-in attempts, kept in the database so throttling holds across several servers.

use crate::{on, Result, Tx};
use coproduce_domain::Timestamp;

/// Records one failure against a key (an account or a client address).
pub async fn record_failure(tx: &mut Tx, key: &str, now: Timestamp) -> Result<()> {
    on!(tx, c => sqlx::query("INSERT INTO sign_in_failures (throttle_key, at) VALUES ($1, $2)")
        .bind(key)
        .bind(now.millis())
        .execute(c)
        .await
        .map(|r| r.rows_affected())?);
    Ok(())
}

/// How many failures a key has had since a moment.
pub async fn failures_since(tx: &mut Tx, key: &str, since: Timestamp) -> Result<i64> {
    Ok(on!(tx, c => sqlx::query_scalar(
        "SELECT COUNT(*) FROM sign_in_failures WHERE throttle_key = $1 AND at >= $2",
    )
    .bind(key)
    .bind(since.millis())
    .fetch_one(c)
    .await?))
}

/// Forgets a key's failures (after a successful sign-in) and any failure older than `before`.
pub async fn clear(tx: &mut Tx, key: &str, before: Timestamp) -> Result<()> {
    on!(tx, c => sqlx::query("DELETE FROM sign_in_failures WHERE throttle_key = $1 OR at < $2")
        .bind(key)
        .bind(before.millis())
        .execute(c)
        .await
        .map(|r| r.rows_affected())?);
    Ok(())
}
