//! Enquiries from the public, and the team's work on each until it becomes a person or is
//! closed with a reason. None is ever deleted.

use crate::{on, Result, Tx};
use coproduce_domain::enquiries::Enquiry;
use coproduce_domain::EnquiryId;
use coproduce_domain::OpportunityId;
use coproduce_domain::Timestamp;
use coproduce_domain::{PersonId, StaffId};

/// An enquiry as submitted.
#[derive(Clone, Debug, Default)]
pub struct NewEnquiry {
    /// The form's key: the same key twice is the same enquiry.
    pub submission_key: String,
    /// Their name.
    pub name: String,
    /// Email address, if given.
    pub email: Option<String>,
    /// Phone number, if given.
    pub phone: Option<String>,
    /// Channel codes, most preferred first.
    pub channels: String,
    /// When to contact them.
    pub best_times: String,
    /// Need codes.
    pub needs: String,
    /// Anything else about their needs.
    pub needs_notes: String,
    /// What they are interested in.
    pub interests: String,
    /// The opportunity they asked about.
    pub opportunity_id: Option<OpportunityId>,
    /// The community group they belong to or ask for.
    pub community_group: String,
    /// A hash of where it came from, for rate limits.
    pub client_key: String,
    /// The UK date it should be answered by.
    pub respond_by: String,
    /// A hash of what the form carried, so the same key sent with other answers is told apart
    /// from a double submit.
    pub submission_hash: String,
    /// Sent back sooner than a person could type it: held for the team to review.
    pub sent_quickly: bool,
}

/// What storing an enquiry did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stored {
    /// A new enquiry, with its id.
    Added(i64),
    /// The same form again: the enquiry already stored.
    Again(i64),
    /// Its key was used to send other answers; nothing stored.
    KeyUsed,
}

const SELECT: &str = "SELECT e.id, e.name, e.email, e.phone, e.channels, e.best_times, e.needs,
        e.needs_notes, e.interests, e.opportunity_id, o.title AS opportunity_title,
        e.community_group, e.status, e.assigned_to, s.name AS assigned_name, e.welcome_call_at,
        e.welcome_call_by, e.welcome_call_notes, e.person_id, e.closed_reason, e.respond_by,
        e.created_at, e.version, e.sent_quickly
    FROM enquiries e
    LEFT JOIN staff s ON s.id = e.assigned_to
    LEFT JOIN opportunities o ON o.id = e.opportunity_id";

/// Stores an enquiry, or finds the one already stored under its key. Returns its id and
/// whether it is new.
pub async fn insert(tx: &mut Tx, e: &NewEnquiry, now: Timestamp) -> Result<Stored> {
    let added: Option<i64> = on!(tx, c => sqlx::query_scalar(
        "INSERT INTO enquiries (submission_key, name, email, phone, channels, best_times, needs,
             needs_notes, interests, opportunity_id, community_group, client_key, status,
             respond_by, created_at, updated_at, submission_hash, sent_quickly)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'new', $13, $14, $14, $15, $16)
         ON CONFLICT (submission_key) DO NOTHING RETURNING id",
    )
    .bind(&e.submission_key).bind(&e.name).bind(&e.email).bind(&e.phone).bind(&e.channels)
    .bind(&e.best_times).bind(&e.needs).bind(&e.needs_notes).bind(&e.interests)
    .bind(e.opportunity_id).bind(&e.community_group).bind(&e.client_key).bind(&e.respond_by)
    .bind(now.millis()).bind(&e.submission_hash).bind(e.sent_quickly)
    .fetch_optional(c).await?);
    if let Some(id) = added {
        return Ok(Stored::Added(id));
    }
    let (id, hash): (i64, Option<String>) = on!(tx, c => sqlx::query_as(
        "SELECT id, submission_hash FROM enquiries WHERE submission_key = $1",
    )
    .bind(&e.submission_key)
    .fetch_one(c)
    .await?);
    Ok(match hash {
        Some(h) if h != e.submission_hash => Stored::KeyUsed,
        _ => Stored::Again(id),
    })
}

/// How many enquiries came from one place since a moment.
pub async fn count_from(tx: &mut Tx, client_key: &str, since: Timestamp) -> Result<i64> {
    Ok(on!(tx, c => sqlx::query_scalar(
        "SELECT COUNT(*) FROM enquiries WHERE client_key = $1 AND created_at >= $2",
    )
    .bind(client_key)
    .bind(since.millis())
    .fetch_one(c)
    .await?))
}

/// One enquiry.
pub async fn find(tx: &mut Tx, id: EnquiryId) -> Result<Option<Enquiry>> {
    let sql = format!("{SELECT} WHERE e.id = $1");
    Ok(on!(tx, c => sqlx::query_as(&sql).bind(id).fetch_optional(c).await?))
}

/// Enquiries in one status: open ones by the date they are due, others newest first.
pub async fn list(tx: &mut Tx, status: &str, limit: i64) -> Result<Vec<Enquiry>> {
    let order = if status == "new" {
        "e.respond_by, e.id"
    } else {
        "e.updated_at DESC, e.id DESC"
    };
    let sql = format!("{SELECT} WHERE e.status = $1 ORDER BY {order} LIMIT $2");
    Ok(on!(tx, c => sqlx::query_as(&sql).bind(status).bind(limit).fetch_all(c).await?))
}

/// How many enquiries are in each status.
pub async fn counts(tx: &mut Tx) -> Result<Vec<(String, i64)>> {
    Ok(on!(tx, c => sqlx::query_as(
        "SELECT status, COUNT(*) FROM enquiries GROUP BY status",
    )
    .fetch_all(c)
    .await?))
}

/// A change the team makes to an open enquiry.
#[derive(Clone, Debug)]
pub enum Change<'a> {
    /// Give it to a staff member (or nobody).
    Assign(Option<StaffId>),
    /// Record the welcome call.
    WelcomeCall {
        /// When.
        at: Timestamp,
        /// Who made it.
        by: Option<i64>,
        /// What was said.
        notes: &'a str,
    },
    /// It became this person.
    Convert(PersonId),
    /// Closed, for this reason.
    Close(&'a str),
}

/// Applies a change to an open enquiry at the version the team saw. False when the version is
/// stale or the enquiry is no longer open.
pub async fn change(
    tx: &mut Tx,
    id: EnquiryId,
    version: i64,
    change: &Change<'_>,
    now: Timestamp,
) -> Result<bool> {
    let set = match change {
        Change::Assign(_) => "assigned_to = $4",
        Change::WelcomeCall { .. } => {
            "welcome_call_at = $4, welcome_call_by = $5, welcome_call_notes = $6"
        }
        Change::Convert(_) => "status = 'converted', person_id = $4",
        Change::Close(_) => "status = 'closed', closed_reason = $4",
    };
    let sql = format!(
        "UPDATE enquiries SET {set}, updated_at = $3, version = version + 1
         WHERE id = $1 AND version = $2 AND status = 'new'"
    );
    let n = on!(tx, c => {
        let q = sqlx::query(&sql).bind(id).bind(version).bind(now.millis());
        let q = match change {
            Change::Assign(staff) => q.bind(*staff),
            Change::WelcomeCall { at, by, notes } => q.bind(at.millis()).bind(*by).bind(*notes),
            Change::Convert(person) => q.bind(*person),
            Change::Close(reason) => q.bind(*reason),
        };
        q.execute(c).await.map(|r| r.rows_affected())?
    });
    Ok(n == 1)
}

/// Whether an enquiry was stored under this form key.
pub async fn key_used(tx: &mut Tx, key: &str) -> Result<bool> {
    let found: Option<i64> = on!(tx, c => sqlx::query_scalar("SELECT id FROM enquiries WHERE submission_key = $1")
        .bind(key)
        .fetch_optional(c)
        .await?);
    Ok(found.is_some())
}
