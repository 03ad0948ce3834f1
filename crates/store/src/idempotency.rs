//! The API's idempotency keys: per token, the request each key was first sent with and, once
//! answered, the answer, so a retry gets the same answer without doing anything twice.

use crate::{on, Result, Tx};
use coproduce_domain::idempotency::{Answer, Claim};
use coproduce_domain::Timestamp;

#[derive(sqlx::FromRow)]
struct Row {
    request_hash: String,
    status: Option<i64>,
    content_type: Option<String>,
    location: Option<String>,
    body: Option<String>,
    created_at: i64,
}

/// Claims `key` for a request, unless it was claimed before. A row older than `expired_before`
/// is forgotten, and one in flight since before `abandoned_before` (its server stopped) is taken
/// over.
pub async fn claim(
    tx: &mut Tx,
    token_id: i64,
    key: &str,
    request_hash: &str,
    now: Timestamp,
    expired_before: Timestamp,
    abandoned_before: Timestamp,
) -> Result<Claim> {
    let claimed: Option<i64> = on!(tx, c => sqlx::query_scalar(
        "INSERT INTO idempotency_keys (token_id, key, request_hash, created_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (token_id, key) DO NOTHING RETURNING token_id",
    )
    .bind(token_id).bind(key).bind(request_hash).bind(now.millis())
    .fetch_optional(c).await?);
    if claimed.is_some() {
        return Ok(Claim::Claimed);
    }
    let row: Row = on!(tx, c => sqlx::query_as(
        "SELECT request_hash, status, content_type, location, body, created_at
         FROM idempotency_keys WHERE token_id = $1 AND key = $2",
    )
    .bind(token_id).bind(key)
    .fetch_one(c).await?);
    let expired = row.created_at < expired_before.millis();
    let abandoned = row.status.is_none() && row.created_at < abandoned_before.millis();
    if expired || (abandoned && row.request_hash == request_hash) {
        // Taken over only if nobody else took it over first.
        let taken = on!(tx, c => sqlx::query(
            "UPDATE idempotency_keys SET request_hash = $3, status = NULL, content_type = NULL,
                 location = NULL, body = NULL, created_at = $4
             WHERE token_id = $1 AND key = $2 AND created_at = $5",
        )
        .bind(token_id).bind(key).bind(request_hash).bind(now.millis()).bind(row.created_at)
        .execute(c).await.map(|r| r.rows_affected())?);
        return Ok(if taken == 1 {
            Claim::Claimed
        } else {
            Claim::InFlight
        });
    }
    if row.request_hash != request_hash {
        return Ok(Claim::OtherRequest);
    }
    Ok(match (row.status, row.body) {
        (Some(status), Some(body)) => Claim::Answered(Answer {
            status,
            content_type: row.content_type,
            location: row.location,
            body,
        }),
        _ => Claim::InFlight,
    })
}

/// Stores the answer to a claimed key.
pub async fn answer(tx: &mut Tx, token_id: i64, key: &str, answer: &Answer) -> Result<()> {
    on!(tx, c => sqlx::query(
        "UPDATE idempotency_keys SET status = $3, content_type = $4, location = $5, body = $6
         WHERE token_id = $1 AND key = $2",
    )
    .bind(token_id).bind(key).bind(answer.status).bind(&answer.content_type)
    .bind(&answer.location).bind(&answer.body)
    .execute(c).await.map(|r| r.rows_affected())?);
    Ok(())
}

/// Lets a claimed key go unanswered (the request failed in a way a retry may mend).
pub async fn release(tx: &mut Tx, token_id: i64, key: &str) -> Result<()> {
    on!(tx, c => sqlx::query("DELETE FROM idempotency_keys WHERE token_id = $1 AND key = $2 AND status IS NULL")
        .bind(token_id).bind(key)
        .execute(c).await.map(|r| r.rows_affected())?);
    Ok(())
}

/// Forgets keys claimed before `before`.
pub async fn forget_before(tx: &mut Tx, before: Timestamp) -> Result<u64> {
    Ok(
        on!(tx, c => sqlx::query("DELETE FROM idempotency_keys WHERE created_at < $1")
        .bind(before.millis())
        .execute(c).await.map(|r| r.rows_affected())?),
    )
}
