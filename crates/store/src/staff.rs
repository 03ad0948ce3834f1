//! Staff members: accounts, their services, passwords, second factors and set-password links.

use crate::{on, unique_as, Result, Tx};
use coproduce_domain::{Email, Role, ServiceId, StaffId, Timestamp};

/// A stored staff member.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct StaffRow {
    /// Their id.
    pub id: StaffId,
    /// Their email address (lower case).
    pub email: String,
    /// Their name.
    pub name: String,
    /// Their role's stored name.
    pub role: String,
    /// Their argon2id password hash, once they have set a password.
    pub password_hash: Option<String>,
    /// Their TOTP secret in base32, once enrolled.
    pub totp_secret: Option<String>,
    /// The last TOTP time step they used, so no code works twice.
    pub totp_last_step: Option<i64>,
    /// Whether an admin requires them to use a second factor.
    pub totp_required: bool,
    /// When their account was disabled, if it is.
    pub disabled_at: Option<i64>,
}

impl StaffRow {
    /// Their role; an unknown stored role (impossible by the schema's check) reads as the least
    /// privileged one.
    pub fn role(&self) -> Role {
        Role::parse(&self.role).unwrap_or(Role::Staff)
    }
}

const COLUMNS: &str =
    "id, email, name, role, password_hash, totp_secret, totp_last_step, totp_required, disabled_at";

/// What is needed to add a staff member.
#[derive(Debug)]
pub struct NewStaff<'a> {
    /// Email address.
    pub email: &'a Email,
    /// Name.
    pub name: &'a str,
    /// Role.
    pub role: Role,
    /// An argon2id hash, or none for a set-password link.
    pub password_hash: Option<&'a str>,
}

/// Adds a staff member; an email already in use is [`crate::StoreError::Duplicate`].
pub async fn insert(tx: &mut Tx, new: &NewStaff<'_>, now: Timestamp) -> Result<StaffId> {
    let id: i64 = on!(tx, c => sqlx::query_scalar(
        "INSERT INTO staff (email, name, role, password_hash, created_at)
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(new.email.as_str())
    .bind(new.name)
    .bind(new.role.as_str())
    .bind(new.password_hash)
    .bind(now.millis())
    .fetch_one(c)
    .await
    .map_err(unique_as("email address"))?);
    Ok(StaffId(id))
}

/// Links a staff member to a service.
pub async fn add_service(tx: &mut Tx, staff: StaffId, service: ServiceId) -> Result<()> {
    on!(tx, c => sqlx::query(
        "INSERT INTO staff_services (staff_id, service_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
    )
    .bind(staff.0)
    .bind(service.0)
    .execute(c)
    .await
    .map(|r| r.rows_affected())?);
    Ok(())
}

/// The services a staff member belongs to.
pub async fn service_ids(tx: &mut Tx, staff: StaffId) -> Result<Vec<ServiceId>> {
    let ids: Vec<i64> = on!(tx, c => sqlx::query_scalar(
        "SELECT service_id FROM staff_services WHERE staff_id = $1 ORDER BY service_id",
    )
    .bind(staff.0)
    .fetch_all(c)
    .await?);
    Ok(ids.into_iter().map(ServiceId).collect())
}

/// Finds a staff member by email address.
pub async fn find_by_email(tx: &mut Tx, email: &Email) -> Result<Option<StaffRow>> {
    let sql = format!("SELECT {COLUMNS} FROM staff WHERE email = $1");
    Ok(on!(tx, c => sqlx::query_as(&sql).bind(email.as_str()).fetch_optional(c).await?))
}

/// Finds a staff member by id.
pub async fn find(tx: &mut Tx, id: StaffId) -> Result<Option<StaffRow>> {
    let sql = format!("SELECT {COLUMNS} FROM staff WHERE id = $1");
    Ok(on!(tx, c => sqlx::query_as(&sql).bind(id.0).fetch_optional(c).await?))
}

/// Every staff member, by name.
pub async fn list(tx: &mut Tx) -> Result<Vec<StaffRow>> {
    let sql = format!("SELECT {COLUMNS} FROM staff ORDER BY name, id");
    Ok(on!(tx, c => sqlx::query_as(&sql).fetch_all(c).await?))
}

/// Sets a staff member's password hash.
pub async fn set_password_hash(tx: &mut Tx, id: StaffId, hash: &str) -> Result<()> {
    on!(tx, c => sqlx::query("UPDATE staff SET password_hash = $2, version = version + 1 WHERE id = $1")
        .bind(id.0)
        .bind(hash)
        .execute(c)
        .await
        .map(|r| r.rows_affected())?);
    Ok(())
}

/// Sets (or, with `None`, removes) a staff member's TOTP secret.
pub async fn set_totp_secret(tx: &mut Tx, id: StaffId, secret: Option<&str>) -> Result<()> {
    on!(tx, c => sqlx::query(
        "UPDATE staff SET totp_secret = $2, totp_last_step = NULL, version = version + 1 WHERE id = $1",
    )
    .bind(id.0)
    .bind(secret)
    .execute(c)
    .await
    .map(|r| r.rows_affected())?);
    Ok(())
}

/// Records the TOTP step just used, so the same code cannot be used again.
pub async fn set_totp_last_step(tx: &mut Tx, id: StaffId, step: i64) -> Result<()> {
    on!(tx, c => sqlx::query("UPDATE staff SET totp_last_step = $2 WHERE id = $1")
        .bind(id.0)
        .bind(step)
        .execute(c)
        .await
        .map(|r| r.rows_affected())?);
    Ok(())
}

/// Disables (with a time) or re-enables (with `None`) an account.
pub async fn set_disabled(tx: &mut Tx, id: StaffId, at: Option<Timestamp>) -> Result<()> {
    on!(tx, c => sqlx::query("UPDATE staff SET disabled_at = $2, version = version + 1 WHERE id = $1")
        .bind(id.0)
        .bind(at.map(Timestamp::millis))
        .execute(c)
        .await
        .map(|r| r.rows_affected())?);
    Ok(())
}

/// Requires, or stops requiring, a second factor for a staff member.
pub async fn set_totp_required(tx: &mut Tx, id: StaffId, required: bool) -> Result<()> {
    on!(tx, c => sqlx::query("UPDATE staff SET totp_required = $2, version = version + 1 WHERE id = $1")
        .bind(id.0)
        .bind(required)
        .execute(c)
        .await
        .map(|r| r.rows_affected())?);
    Ok(())
}

/// Replaces a staff member's recovery codes with new ones (given as hashes).
pub async fn replace_recovery_codes(tx: &mut Tx, id: StaffId, hashes: &[String]) -> Result<()> {
    on!(tx, c => sqlx::query("DELETE FROM recovery_codes WHERE staff_id = $1")
        .bind(id.0)
        .execute(&mut *c)
        .await
        .map(|r| r.rows_affected())?);
    for hash in hashes {
        on!(tx, c => sqlx::query("INSERT INTO recovery_codes (staff_id, code_hash) VALUES ($1, $2)")
            .bind(id.0)
            .bind(hash)
            .execute(c)
            .await
            .map(|r| r.rows_affected())?);
    }
    Ok(())
}

/// Uses up one recovery code; false when it is not one of theirs or was used already.
pub async fn use_recovery_code(
    tx: &mut Tx,
    id: StaffId,
    hash: &str,
    now: Timestamp,
) -> Result<bool> {
    let done = on!(tx, c => sqlx::query(
        "UPDATE recovery_codes SET used_at = $3 WHERE staff_id = $1 AND code_hash = $2 AND used_at IS NULL",
    )
    .bind(id.0)
    .bind(hash)
    .bind(now.millis())
    .execute(c)
    .await
    .map(|r| r.rows_affected())?);
    Ok(done > 0)
}

/// How many unused recovery codes a staff member has left.
pub async fn recovery_codes_left(tx: &mut Tx, id: StaffId) -> Result<i64> {
    Ok(on!(tx, c => sqlx::query_scalar(
        "SELECT COUNT(*) FROM recovery_codes WHERE staff_id = $1 AND used_at IS NULL",
    )
    .bind(id.0)
    .fetch_one(c)
    .await?))
}

/// Stores a one-time set-password link (by its token's hash).
pub async fn create_password_link(
    tx: &mut Tx,
    token_hash: &str,
    id: StaffId,
    now: Timestamp,
    expires: Timestamp,
) -> Result<()> {
    on!(tx, c => sqlx::query(
        "INSERT INTO password_links (token_hash, staff_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(token_hash)
    .bind(id.0)
    .bind(now.millis())
    .bind(expires.millis())
    .execute(c)
    .await
    .map(|r| r.rows_affected())?);
    Ok(())
}

/// The staff member a set-password link is for, while it is unused and unexpired.
pub async fn password_link_owner(
    tx: &mut Tx,
    token_hash: &str,
    now: Timestamp,
) -> Result<Option<StaffId>> {
    let id: Option<i64> = on!(tx, c => sqlx::query_scalar(
        "SELECT staff_id FROM password_links WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2",
    )
    .bind(token_hash)
    .bind(now.millis())
    .fetch_optional(c)
    .await?);
    Ok(id.map(StaffId))
}

/// Uses up a set-password link; returns whose it was, or none if it was not usable.
pub async fn use_password_link(
    tx: &mut Tx,
    token_hash: &str,
    now: Timestamp,
) -> Result<Option<StaffId>> {
    let id: Option<i64> = on!(tx, c => sqlx::query_scalar(
        "UPDATE password_links SET used_at = $2
         WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 RETURNING staff_id",
    )
    .bind(token_hash)
    .bind(now.millis())
    .fetch_optional(c)
    .await?);
    Ok(id.map(StaffId))
}
