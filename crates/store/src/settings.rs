//! Deployment-wide settings, such as the organisation's name.

use crate::{on, Result, Tx};

/// Reads a setting.
pub async fn get(tx: &mut Tx, key: &str) -> Result<Option<String>> {
    Ok(
        on!(tx, c => sqlx::query_scalar("SELECT value FROM settings WHERE key = $1")
        .bind(key)
        .fetch_optional(c)
        .await?),
    )
}

/// Writes a setting, replacing any value it had.
pub async fn set(tx: &mut Tx, key: &str, value: &str) -> Result<()> {
    on!(tx, c => sqlx::query(
        "INSERT INTO settings (key, value) VALUES ($1, $2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )
    .bind(key)
    .bind(value)
    .execute(c)
    .await
    .map(|r| r.rows_affected())?);
    Ok(())
}
