//! Staff sign-in sessions, kept in the database so any server can answer any request.

use crate::{decode_json_rows, on, JsonRows, Result, Tx};
use coproduce_domain::{StaffId, Timestamp};

/// A live session with what a request needs to know about its staff member.
#[derive(Clone, Debug)]
pub struct SessionRow {
    /// The session's id.
    pub id: i64,
    /// Whose session it is.
    pub staff_id: StaffId,
    /// `second_factor`, `enrol` or `full`.
    pub stage: String,
    /// The form token every unsafe request in this session must carry.
    pub csrf_token: String,
    /// When it was last used.
    pub last_seen_at: i64,
    /// When it ends whatever happens.
    pub expires_at: i64,
    /// The staff member's name.
    pub name: String,
    /// The staff member's email address.
    pub email: String,
    /// The staff member's role's stored name.
    pub role: String,
    /// Whether they have a second factor enrolled.
    pub has_totp: bool,
    /// Whether an admin requires a second factor of them.
    pub totp_required: bool,
    /// The services they work in.
    pub service_ids: Vec<i64>,
}

#[derive(sqlx::FromRow)]
struct Found {
    id: i64,
    staff_id: StaffId,
    stage: String,
    csrf_token: String,
    last_seen_at: i64,
    expires_at: i64,
    name: String,
    email: String,
    role: String,
    has_totp: bool,
    totp_required: bool,
    service_ids: String,
}

#[derive(serde::Deserialize)]
struct Id {
    id: i64,
}

const SERVICES: JsonRows = JsonRows {
    fields: &[("id", "service_id")],
    from: "FROM staff_services WHERE staff_id = s.staff_id",
    order: "id",
};

/// What is needed to start a session.
#[derive(Debug)]
pub struct NewSession<'a> {
    /// The hash of the cookie's token.
    pub token_hash: &'a str,
    /// Whose it is.
    pub staff: StaffId,
    /// How far through sign-in they are.
    pub stage: &'a str,
    /// The form token.
    pub csrf_token: &'a str,
    /// When it ends whatever happens.
    pub expires_at: Timestamp,
}

/// Starts a session.
pub async fn create(tx: &mut Tx, new: &NewSession<'_>, now: Timestamp) -> Result<i64> {
    Ok(on!(tx, c => sqlx::query_scalar(
        "INSERT INTO sessions (token_hash, staff_id, stage, csrf_token, created_at, last_seen_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $5, $6) RETURNING id",
    )
    .bind(new.token_hash)
    .bind(new.staff.0)
    .bind(new.stage)
    .bind(new.csrf_token)
    .bind(now.millis())
    .bind(new.expires_at.millis())
    .fetch_one(c)
    .await?))
}

/// The session a token's hash belongs to, unless it was revoked or its account disabled.
/// Expiry is the caller's rule to apply.
/// One statement: it runs on every request.
pub async fn find(tx: &mut Tx, token_hash: &str) -> Result<Option<SessionRow>> {
    let sql = format!(
        "SELECT s.id, s.staff_id, s.stage, s.csrf_token, s.last_seen_at, s.expires_at,
                st.name, st.email, st.role, st.totp_secret IS NOT NULL AS has_totp, st.totp_required,
                {} AS service_ids
         FROM sessions s JOIN staff st ON st.id = s.staff_id
         WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND st.disabled_at IS NULL",
        SERVICES.expr(tx.is_sqlite())
    );
    let found: Option<Found> =
        on!(tx, c => sqlx::query_as(&sql).bind(token_hash).fetch_optional(c).await?);
    let Some(f) = found else { return Ok(None) };
    let services: Vec<Id> = decode_json_rows(&f.service_ids)?;
    Ok(Some(SessionRow {
        id: f.id,
        staff_id: f.staff_id,
        stage: f.stage,
        csrf_token: f.csrf_token,
        last_seen_at: f.last_seen_at,
        expires_at: f.expires_at,
        name: f.name,
        email: f.email,
        role: f.role,
        has_totp: f.has_totp,
        totp_required: f.totp_required,
        service_ids: services.into_iter().map(|s| s.id).collect(),
    }))
}

/// Records that a session was used now.
pub async fn touch(tx: &mut Tx, id: i64, now: Timestamp) -> Result<()> {
    crate::stamp(
        tx,
        "UPDATE sessions SET last_seen_at = $2 WHERE id = $1",
        id,
        now,
    )
    .await
}

/// Moves a session on a stage of sign-in under a new token (so a token seen before the
/// stage changed is worth nothing after).
pub async fn advance(
    tx: &mut Tx,
    id: i64,
    stage: &str,
    new_token_hash: &str,
    now: Timestamp,
) -> Result<()> {
    on!(tx, c => sqlx::query(
        "UPDATE sessions SET stage = $2, token_hash = $3, last_seen_at = $4 WHERE id = $1",
    )
    .bind(id)
    .bind(stage)
    .bind(new_token_hash)
    .bind(now.millis())
    .execute(c)
    .await
    .map(|r| r.rows_affected())?);
    Ok(())
}

/// Ends one session.
pub async fn revoke(tx: &mut Tx, id: i64, now: Timestamp) -> Result<()> {
    crate::stamp(
        tx,
        "UPDATE sessions SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL",
        id,
        now,
    )
    .await
}

/// Ends every session of a staff member; returns how many were live.
pub async fn revoke_all(tx: &mut Tx, staff: StaffId, now: Timestamp) -> Result<u64> {
    Ok(on!(tx, c => sqlx::query(
        "UPDATE sessions SET revoked_at = $2 WHERE staff_id = $1 AND revoked_at IS NULL",
    )
    .bind(staff.0)
    .bind(now.millis())
    .execute(c)
    .await
    .map(|r| r.rows_affected())?))
}
