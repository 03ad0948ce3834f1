//! The audit trail: append-only (the schema refuses updates and deletes) and hash-chained.

use crate::{on, Result, Tx};
use coproduce_domain::audit::{chain_mac, AuditKey, Entry};

/// A stored audit entry.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct AuditRow {
    /// Its place in the chain, from 1 with no gaps.
    pub seq: i64,
    /// When, in UTC milliseconds.
    pub at: i64,
    /// Who: `staff:12`, `token:3`, `cli`, `anonymous`.
    pub actor: String,
    /// What they did.
    pub action: String,
    /// What they did it to.
    pub object: Option<String>,
    /// Anything else worth knowing (never a secret).
    pub detail: String,
    /// The hash of the entry before.
    pub prev_hash: String,
    /// This entry's hash.
    pub hash: String,
}

impl AuditRow {
    /// The entry's content, for hashing.
    pub fn entry(&self) -> Entry<'_> {
        Entry {
            at: self.at,
            actor: &self.actor,
            action: &self.action,
            object: self.object.as_deref(),
            detail: &self.detail,
        }
    }
}

/// Appends an entry to the chain inside the caller's transaction, so the entry is written if and
/// only if the change it describes is. The head row is locked by the update, so concurrent
/// writers on PostgreSQL queue here rather than fork the chain.
pub async fn append(tx: &mut Tx, key: &AuditKey, entry: &Entry<'_>) -> Result<i64> {
    append_all(tx, key, std::slice::from_ref(entry)).await
}

/// Rows per `INSERT` when appending many entries (8 parameters each, well under both backends'
/// limits).
const ROWS_PER_INSERT: usize = 100;

/// Appends entries in order, as [`append`] does one: the head moves once and the rows go in a
/// few multi-row inserts. Returns the last entry's place in the chain.
pub async fn append_all(tx: &mut Tx, key: &AuditKey, entries: &[Entry<'_>]) -> Result<i64> {
    let count = i64::try_from(entries.len()).unwrap_or(i64::MAX);
    let (last, mut prev): (i64, String) = on!(tx, c => sqlx::query_as(
        "UPDATE audit_head SET seq = seq + $1 WHERE id = 1 RETURNING seq, hash",
    )
    .bind(count)
    .fetch_one(&mut *c)
    .await?);
    let mut rows = Vec::with_capacity(entries.len());
    for (seq, entry) in (last - count + 1..).zip(entries) {
        let hash = chain_mac(key, &prev, seq, entry);
        rows.push((seq, entry, std::mem::replace(&mut prev, hash.clone()), hash));
    }
    for chunk in rows.chunks(ROWS_PER_INSERT) {
        let values = crate::placeholders(tx.is_sqlite(), chunk.len(), 8);
        let sql = format!(
            "INSERT INTO audit_log (seq, at, actor, action, object, detail, prev_hash, hash) VALUES {values}"
        );
        on!(tx, c => {
            let mut q = sqlx::query(&sql);
            for (seq, entry, prev_hash, hash) in chunk {
                q = q
                    .bind(*seq)
                    .bind(entry.at)
                    .bind(entry.actor)
                    .bind(entry.action)
                    .bind(entry.object)
                    .bind(entry.detail)
                    .bind(prev_hash)
                    .bind(hash);
            }
            q.execute(&mut *c).await.map(|r| r.rows_affected())?
        });
    }
    on!(tx, c => sqlx::query("UPDATE audit_head SET hash = $1 WHERE id = 1")
        .bind(&prev)
        .execute(c)
        .await
        .map(|r| r.rows_affected())?);
    Ok(last)
}

/// Entries newest first, before `before_seq` when given.
pub async fn newest(tx: &mut Tx, before_seq: Option<i64>, limit: i64) -> Result<Vec<AuditRow>> {
    Ok(on!(tx, c => sqlx::query_as(
        "SELECT seq, at, actor, action, object, detail, prev_hash, hash FROM audit_log
         WHERE seq < $1 ORDER BY seq DESC LIMIT $2",
    )
    .bind(before_seq.unwrap_or(i64::MAX))
    .bind(limit)
    .fetch_all(c)
    .await?))
}

/// Entries oldest first, after `after_seq`: for checking the chain in batches.
pub async fn oldest_after(tx: &mut Tx, after_seq: i64, limit: i64) -> Result<Vec<AuditRow>> {
    Ok(on!(tx, c => sqlx::query_as(
        "SELECT seq, at, actor, action, object, detail, prev_hash, hash FROM audit_log
         WHERE seq > $1 ORDER BY seq LIMIT $2",
    )
    .bind(after_seq)
    .bind(limit)
    .fetch_all(c)
    .await?))
}

/// The head of the chain: the last sequence number and hash.
pub async fn head(tx: &mut Tx) -> Result<(i64, String)> {
    Ok(
        on!(tx, c => sqlx::query_as("SELECT seq, hash FROM audit_head WHERE id = 1")
        .fetch_one(c)
        .await?),
    )
}

/// The entry the chain is keyed from, if it has been keyed.
pub async fn keyed_from(tx: &mut Tx) -> Result<Option<i64>> {
    Ok(
        on!(tx, c => sqlx::query_scalar("SELECT keyed_from FROM audit_head WHERE id = 1")
        .fetch_one(c)
        .await?),
    )
}

/// Records the entry the chain is keyed from.
pub async fn set_keyed_from(tx: &mut Tx, seq: i64) -> Result<()> {
    on!(tx, c => sqlx::query("UPDATE audit_head SET keyed_from = $1 WHERE id = 1")
        .bind(seq)
        .execute(c)
        .await
        .map(|r| r.rows_affected())?);
    Ok(())
}

/// One entry, by its place in the chain.
pub async fn entry(tx: &mut Tx, seq: i64) -> Result<Option<AuditRow>> {
    Ok(on!(tx, c => sqlx::query_as(
        "SELECT seq, at, actor, action, object, detail, prev_hash, hash FROM audit_log WHERE seq = $1",
    )
    .bind(seq)
    .fetch_optional(c)
    .await?))
}
