//! The outbox: messages queued with the change that causes them and sent by a worker that holds
//! a lease on each, with retries and backoff.

use crate::{on, placeholders, JsonRows, Result, Tx};
use coproduce_domain::outbox::Message;
use coproduce_domain::MeetingId;
use coproduce_domain::PersonId;
use coproduce_domain::Timestamp;

/// A message to queue.
#[derive(Clone, Debug)]
pub struct NewMessage<'a> {
    /// What caused it, once: a second message with the same key is not queued.
    pub dedupe_key: &'a str,
    /// `reminder` or `meeting_changed`.
    pub kind: &'a str,
    /// `email`, `sms` or `letter`.
    pub channel: &'a str,
    /// Who it is for.
    pub person_id: Option<PersonId>,
    /// The meeting it is about.
    pub meeting_id: Option<MeetingId>,
    /// The address: email, phone number, or postal address lines.
    pub recipient: &'a str,
    /// Their name.
    pub recipient_name: &'a str,
    /// The subject.
    pub subject: &'a str,
    /// The words.
    pub body: &'a str,
    /// Whether it is in Easy Read.
    pub easy_read: bool,
    /// Not before.
    pub send_after: Timestamp,
}

/// Queues messages. Returns how many were new.
pub async fn enqueue(tx: &mut Tx, messages: &[NewMessage<'_>], now: Timestamp) -> Result<u64> {
    let mut added = 0;
    for chunk in messages.chunks(50) {
        let sql = format!(
            "INSERT INTO outbox (dedupe_key, kind, channel, person_id, meeting_id, recipient, recipient_name,
                 subject, body, easy_read, next_attempt_at, status, created_at, updated_at)
             VALUES {} ON CONFLICT (dedupe_key) DO NOTHING",
            placeholders(tx.is_sqlite(), chunk.len(), 14)
        );
        added += on!(tx, c => {
            let mut q = sqlx::query(&sql);
            for m in chunk {
                q = q.bind(m.dedupe_key).bind(m.kind).bind(m.channel).bind(m.person_id).bind(m.meeting_id)
                    .bind(m.recipient).bind(m.recipient_name).bind(m.subject).bind(m.body).bind(m.easy_read)
                    .bind(m.send_after.millis()).bind("pending").bind(now.millis()).bind(now.millis());
            }
            q.execute(c).await.map(|r| r.rows_affected())?
        });
    }
    Ok(added)
}

/// A message a worker holds.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Claimed {
    /// Id.
    pub id: i64,
    /// `email`, `sms` or `letter`.
    pub channel: String,
    /// The address.
    pub recipient: String,
    /// Their name.
    pub recipient_name: String,
    /// The subject.
    pub subject: String,
    /// The words.
    pub body: String,
    /// Whether it is in Easy Read.
    pub easy_read: bool,
    /// Which attempt this is (1 for the first).
    pub attempts: i64,
}

/// Claims up to `limit` messages that are due (or whose last worker's lease ran out) for
/// `worker` until `lease_until`. On PostgreSQL, rows another worker is claiming are skipped, not
/// waited for; on SQLite, writes are one at a time anyway.
pub async fn claim(
    tx: &mut Tx,
    worker: &str,
    limit: i64,
    lease_until: Timestamp,
    now: Timestamp,
) -> Result<Vec<Claimed>> {
    let lock = if tx.is_sqlite() {
        ""
    } else {
        "FOR UPDATE SKIP LOCKED"
    };
    let sql = format!(
        "UPDATE outbox SET status = 'sending', claimed_by = $1, claimed_until = $2,
             attempts = attempts + 1, updated_at = $3
         WHERE id IN (SELECT id FROM outbox
             WHERE status IN ('pending', 'sending') AND next_attempt_at <= $3
                 AND (status = 'pending' OR claimed_until < $3)
             ORDER BY next_attempt_at, id LIMIT $4 {lock})
         RETURNING id, channel, recipient, recipient_name, subject, body, easy_read, attempts"
    );
    Ok(on!(tx, c => sqlx::query_as(&sql)
        .bind(worker).bind(lease_until.millis()).bind(now.millis()).bind(limit)
        .fetch_all(c).await?))
}

/// What became of one attempt.
#[derive(Clone, Debug)]
pub enum Outcome {
    /// Accepted by the provider, with its id for the message if it gave one.
    Sent(Option<String>),
    /// Not sent: try again at the time given, or give up (`None`), with the reason.
    Failed(Option<Timestamp>, String),
}

/// Records what became of messages `worker` held; a message whose lease another worker took
/// over is left to that worker.
pub async fn finish(
    tx: &mut Tx,
    worker: &str,
    results: &[(i64, Outcome)],
    now: Timestamp,
) -> Result<()> {
    // Messages sent with no provider id (the file transport, SMTP) are recorded in one
    // statement a chunk, so the writer is held for as short a time as can be.
    let plain: Vec<i64> = results
        .iter()
        .filter(|(_, o)| matches!(o, Outcome::Sent(None)))
        .map(|(id, _)| *id)
        .collect();
    for chunk in plain.chunks(500) {
        let sql = format!(
            "UPDATE outbox SET status = 'sent', sent_at = $2, last_error = NULL, body = {KEEP_BODY},
                 claimed_by = NULL, claimed_until = NULL, updated_at = $2
             WHERE claimed_by = $1 AND status = 'sending' AND id IN ({})",
            (0..chunk.len())
                .map(|i| format!("${}", i + 3))
                .collect::<Vec<_>>()
                .join(", ")
        );
        on!(tx, c => {
            let mut q = sqlx::query(&sql).bind(worker).bind(now.millis());
            for id in chunk {
                q = q.bind(id);
            }
            q.execute(c).await.map(|_| ())?
        });
    }
    for (id, outcome) in results
        .iter()
        .filter(|(_, o)| !matches!(o, Outcome::Sent(None)))
    {
        let (sql, provider, error, next): (&str, Option<&str>, Option<&str>, Option<i64>) = match outcome {
            Outcome::Sent(p) => (
                "UPDATE outbox SET status = 'sent', provider_id = $3, sent_at = $6, last_error = $4, body = {BODY},
                     claimed_by = NULL, claimed_until = NULL, updated_at = $6, next_attempt_at = coalesce($5, next_attempt_at)
                 WHERE id = $1 AND claimed_by = $2 AND status = 'sending'",
                p.as_deref(), None, None,
            ),
            Outcome::Failed(Some(at), e) => (
                "UPDATE outbox SET status = 'pending', provider_id = $3, last_error = $4, next_attempt_at = $5,
                     claimed_by = NULL, claimed_until = NULL, updated_at = $6
                 WHERE id = $1 AND claimed_by = $2 AND status = 'sending'",
                None, Some(e.as_str()), Some(at.millis()),
            ),
            Outcome::Failed(None, e) => (
                "UPDATE outbox SET status = 'failed', provider_id = $3, last_error = $4, body = {BODY},
                     next_attempt_at = coalesce($5, next_attempt_at),
                     claimed_by = NULL, claimed_until = NULL, updated_at = $6
                 WHERE id = $1 AND claimed_by = $2 AND status = 'sending'",
                None, Some(e.as_str()), None,
            ),
        };
        let sql = sql.replace("{BODY}", KEEP_BODY);
        on!(tx, c => sqlx::query(&sql)
            .bind(id).bind(worker).bind(provider).bind(error).bind(next).bind(now.millis())
            .execute(c).await.map(|_| ())?);
    }
    Ok(())
}

/// A message's words once it is sent or given up on: kept, except a sign-in code's and a feedback
/// link's, which are secrets (whoever reads the link can answer as its person) of no use to
/// anyone else afterwards.
const KEEP_BODY: &str = "CASE kind
    WHEN 'sign_in_code' THEN '(the sign-in code is removed once sent)'
    WHEN 'feedback' THEN '(a request for feedback: its link is removed once sent)'
    ELSE body END";

/// Drops the message queued under `dedupe_key` if it has not been sent (nor is being sent).
pub async fn cancel_pending(tx: &mut Tx, dedupe_key: &str) -> Result<()> {
    on!(tx, c => sqlx::query("DELETE FROM outbox WHERE dedupe_key = $1 AND status = 'pending'")
        .bind(dedupe_key).execute(c).await.map(|_| ())?);
    Ok(())
}

/// Messages sent through a provider that reports delivery, oldest first, to ask about.
pub async fn awaiting_delivery(
    tx: &mut Tx,
    since: Timestamp,
    limit: i64,
) -> Result<Vec<(i64, String)>> {
    Ok(on!(tx, c => sqlx::query_as(
        "SELECT id, provider_id FROM outbox WHERE status = 'sent' AND provider_id IS NOT NULL AND sent_at >= $1
         ORDER BY sent_at, id LIMIT $2",
    )
    .bind(since.millis()).bind(limit)
    .fetch_all(c).await?))
}

/// Records the provider's final word on a sent message: `delivered` or `failed`.
pub async fn set_delivery(
    tx: &mut Tx,
    id: i64,
    status: &str,
    error: Option<&str>,
    now: Timestamp,
) -> Result<()> {
    on!(tx, c => sqlx::query(
        "UPDATE outbox SET status = $2, last_error = coalesce($3, last_error), updated_at = $4
         WHERE id = $1 AND status = 'sent'",
    )
    .bind(id).bind(status).bind(error).bind(now.millis())
    .execute(c).await.map(|_| ())?);
    Ok(())
}

/// A meeting's messages, oldest first.
pub async fn for_meeting(tx: &mut Tx, meeting: MeetingId) -> Result<Vec<Message>> {
    let rows = JsonRows {
        fields: &[
            ("id", "o.id"),
            ("kind", "o.kind"),
            ("channel", "o.channel"),
            ("recipient_name", "o.recipient_name"),
            ("easy_read", "o.easy_read"),
            ("status", "o.status"),
            ("attempts", "o.attempts"),
            ("last_error", "o.last_error"),
            ("next_attempt_at", "o.next_attempt_at"),
            ("sent_at", "o.sent_at"),
        ],
        from: "FROM outbox o WHERE o.meeting_id = $1",
        order: "id",
    };
    Ok(crate::json_rows!(tx, rows, |q| q.bind(meeting)))
}

/// How many messages are in each status (for the command line and benchmarks).
pub async fn counts(tx: &mut Tx) -> Result<Vec<(String, i64)>> {
    Ok(
        on!(tx, c => sqlx::query_as("SELECT status, count(*) FROM outbox GROUP BY status ORDER BY status")
        .fetch_all(c).await?),
    )
}
