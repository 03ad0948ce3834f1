//! The people's portal: one-time sign-in codes and links, and the sessions they start.

use crate::{on, Result, Tx};
use coproduce_domain::PersonId;
use coproduce_domain::Timestamp;
use coproduce_domain::{GroupId, MeetingId};

/// A code to store.
#[derive(Clone, Debug)]
pub struct NewCode<'a> {
    /// Hash of the token that names this request on the code page.
    pub request_hash: &'a str,
    /// Hash of the token in the sign-in link.
    pub link_hash: &'a str,
    /// Hash of the six-digit code.
    pub code_hash: &'a str,
    /// Whose it is: none when the address is not known (the row is a decoy).
    pub person_id: Option<PersonId>,
    /// A hash of the address it was asked for, for throttling.
    pub address_key: &'a str,
    /// A hash of where the request came from, for throttling.
    pub client_key: &'a str,
    /// When it stops working.
    pub expires_at: Timestamp,
}

/// A stored code.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct CodeRow {
    /// Id.
    pub id: i64,
    /// Whose it is.
    pub person_id: Option<PersonId>,
    /// Hash of the code.
    pub code_hash: String,
    /// Wrong codes tried.
    pub attempts: i64,
    /// When it stops working.
    pub expires_at: i64,
    /// When it was used.
    pub used_at: Option<i64>,
}

/// Stores a code.
pub async fn add_code(tx: &mut Tx, c: &NewCode<'_>, now: Timestamp) -> Result<()> {
    on!(tx, conn => sqlx::query(
        "INSERT INTO portal_codes (request_hash, link_hash, code_hash, person_id, address_key,
             client_key, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(c.request_hash).bind(c.link_hash).bind(c.code_hash).bind(c.person_id)
    .bind(c.address_key).bind(c.client_key).bind(now.millis()).bind(c.expires_at.millis())
    .execute(conn).await.map(|r| r.rows_affected())?);
    Ok(())
}

/// How many codes were asked for, for an address or from a client, since a moment.
pub async fn codes_since(
    tx: &mut Tx,
    address_key: &str,
    client_key: &str,
    since: Timestamp,
) -> Result<(i64, i64)> {
    Ok(on!(tx, c => sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM portal_codes WHERE address_key = $1 AND created_at >= $3),
                (SELECT COUNT(*) FROM portal_codes WHERE client_key = $2 AND created_at >= $3)",
    )
    .bind(address_key).bind(client_key).bind(since.millis())
    .fetch_one(c).await?))
}

/// The code a request token's or a link token's hash belongs to.
pub async fn find_code(tx: &mut Tx, by_link: bool, hash: &str) -> Result<Option<CodeRow>> {
    let column = if by_link { "link_hash" } else { "request_hash" };
    let sql = format!(
        "SELECT id, person_id, code_hash, attempts, expires_at, used_at FROM portal_codes WHERE {column} = $1"
    );
    Ok(on!(tx, c => sqlx::query_as(&sql).bind(hash).fetch_optional(c).await?))
}

/// Counts a try against a request, before its code is compared, in one statement so that
/// tries at the same moment each count. False when the request has had `max` tries already or
/// was used.
pub async fn add_attempt(tx: &mut Tx, id: i64, max: i64) -> Result<bool> {
    let n = on!(tx, c => sqlx::query(
        "UPDATE portal_codes SET attempts = attempts + 1 WHERE id = $1 AND attempts < $2 AND used_at IS NULL",
    )
    .bind(id)
    .bind(max)
    .execute(c)
    .await?
    .rows_affected());
    Ok(n == 1)
}

/// Wrong tries against an address's codes since a moment (each request's tries, less the one
/// that signed in).
pub async fn failures_since(tx: &mut Tx, address_key: &str, since: Timestamp) -> Result<i64> {
    let n: Option<i64> = on!(tx, c => sqlx::query_scalar(
        "SELECT CAST(SUM(CASE WHEN used_at IS NULL THEN attempts ELSE attempts - 1 END) AS BIGINT)
         FROM portal_codes WHERE address_key = $1 AND created_at >= $2",
    )
    .bind(address_key)
    .bind(since.millis())
    .fetch_one(c)
    .await?);
    Ok(n.unwrap_or(0))
}

/// Uses a code. False when it was used already (by a request racing this one).
pub async fn use_code(tx: &mut Tx, id: i64, now: Timestamp) -> Result<bool> {
    let n = on!(tx, c => sqlx::query("UPDATE portal_codes SET used_at = $2 WHERE id = $1 AND used_at IS NULL")
        .bind(id)
        .bind(now.millis())
        .execute(c)
        .await?
        .rows_affected());
    Ok(n == 1)
}

/// A session to start.
#[derive(Clone, Debug)]
pub struct NewSession<'a> {
    /// Hash of the cookie's token.
    pub token_hash: &'a str,
    /// Whose it is.
    pub person_id: PersonId,
    /// The form token.
    pub csrf_token: &'a str,
    /// The staff member acting on the person's behalf, if one is.
    pub on_behalf_of: Option<i64>,
    /// When it ends whatever happens.
    pub expires_at: Timestamp,
}

/// Starts a session.
pub async fn add_session(tx: &mut Tx, s: &NewSession<'_>, now: Timestamp) -> Result<i64> {
    Ok(on!(tx, c => sqlx::query_scalar(
        "INSERT INTO portal_sessions (token_hash, person_id, csrf_token, on_behalf_of, created_at,
             last_seen_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $5, $6) RETURNING id",
    )
    .bind(s.token_hash).bind(s.person_id).bind(s.csrf_token).bind(s.on_behalf_of)
    .bind(now.millis()).bind(s.expires_at.millis())
    .fetch_one(c).await?))
}

/// A live session with what the portal's pages need about its person.
#[derive(Clone, Debug)]
pub struct SessionRow {
    /// Id.
    pub id: i64,
    /// The person.
    pub person_id: PersonId,
    /// The form token.
    pub csrf_token: String,
    /// The staff member acting for them.
    pub on_behalf_of: Option<i64>,
    /// That staff member's name.
    pub staff_name: Option<String>,
    /// When it was last used.
    pub last_seen_at: i64,
    /// When it ends.
    pub expires_at: i64,
    /// The person's name.
    pub name: String,
    /// What they like to be called.
    pub preferred_name: String,
    /// Whether they chose Easy Read.
    pub easy_read: bool,
}

/// The live session a token's hash belongs to (expiry is the caller's rule to apply).
pub async fn find_session(tx: &mut Tx, token_hash: &str) -> Result<Option<SessionRow>> {
    #[derive(sqlx::FromRow)]
    struct Found {
        id: i64,
        person_id: PersonId,
        csrf_token: String,
        on_behalf_of: Option<i64>,
        staff_name: Option<String>,
        last_seen_at: i64,
        expires_at: i64,
        name: String,
        preferred_name: String,
        easy_read: String,
    }
    let found: Option<Found> = on!(tx, c => sqlx::query_as(
        "SELECT s.id, s.person_id, s.csrf_token, s.on_behalf_of, st.name AS staff_name,
                s.last_seen_at, s.expires_at, p.name, p.preferred_name,
                CASE WHEN p.easy_read_mode THEN 'true' ELSE 'false' END AS easy_read
         FROM portal_sessions s JOIN people p ON p.id = s.person_id
         LEFT JOIN staff st ON st.id = s.on_behalf_of
         WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND p.status <> 'left'
           AND (s.on_behalf_of IS NULL OR st.disabled_at IS NULL)",
    )
    .bind(token_hash)
    .fetch_optional(c).await?);
    Ok(found.map(|f| SessionRow {
        id: f.id,
        person_id: f.person_id,
        csrf_token: f.csrf_token,
        on_behalf_of: f.on_behalf_of,
        staff_name: f.staff_name,
        last_seen_at: f.last_seen_at,
        expires_at: f.expires_at,
        name: f.name,
        preferred_name: f.preferred_name,
        easy_read: f.easy_read == "true",
    }))
}

/// Notes a session was used now.
pub async fn touch(tx: &mut Tx, id: i64, now: Timestamp) -> Result<()> {
    crate::stamp(
        tx,
        "UPDATE portal_sessions SET last_seen_at = $2 WHERE id = $1",
        id,
        now,
    )
    .await
}

/// Ends a session.
pub async fn revoke(tx: &mut Tx, id: i64, now: Timestamp) -> Result<()> {
    crate::stamp(
        tx,
        "UPDATE portal_sessions SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL",
        id,
        now,
    )
    .await
}

/// Turns a person's Easy Read mode on or off.
pub async fn set_easy_read(tx: &mut Tx, person: PersonId, on: bool) -> Result<()> {
    on!(tx, c => sqlx::query("UPDATE people SET easy_read_mode = $2 WHERE id = $1").bind(person).bind(on).execute(c).await.map(|r| r.rows_affected())?);
    Ok(())
}

/// The groups a person, a member now, said they are coming to all the meetings of.
pub async fn coming_to_all(tx: &mut Tx, person: PersonId) -> Result<Vec<GroupId>> {
    Ok(on!(tx, c => sqlx::query_scalar(
        "SELECT group_id FROM group_members
         WHERE person_id = $1 AND left_on IS NULL AND coming_to_all_since IS NOT NULL",
    )
    .bind(person)
    .fetch_all(c).await?))
}

/// Records that a current member is coming to all their group's meetings from `since`, or
/// (with `None`) answers each; whether they are a member.
pub async fn set_coming_to_all(
    tx: &mut Tx,
    group: GroupId,
    person: PersonId,
    since: Option<Timestamp>,
) -> Result<bool> {
    let changed = on!(tx, c => sqlx::query(
        "UPDATE group_members SET coming_to_all_since = $3
         WHERE group_id = $1 AND person_id = $2 AND left_on IS NULL",
    )
    .bind(group).bind(person).bind(since.map(Timestamp::millis))
    .execute(c).await.map(|r| r.rows_affected())?);
    Ok(changed > 0)
}

/// A person's replies to meetings starting from a moment: (meeting, reply). A meeting they did
/// not answer on its own has their group's "coming to all" where it counts, as the invitee list
/// counts it (`attendance::invitees`): they were a member on its date, not taken off it, and
/// said so before it began.
pub async fn replies(
    tx: &mut Tx,
    person: PersonId,
    from: Timestamp,
) -> Result<Vec<(MeetingId, String)>> {
    Ok(on!(tx, c => sqlx::query_as(
        "SELECT mp.meeting_id, mp.rsvp FROM meeting_people mp JOIN meetings m ON m.id = mp.meeting_id
         WHERE mp.person_id = $1 AND mp.rsvp IS NOT NULL AND m.starts_at >= $2
         UNION ALL
         SELECT m.id, 'yes' FROM meetings m
         JOIN group_members gm ON gm.group_id = m.group_id AND gm.person_id = $1
         WHERE m.starts_at >= $2 AND gm.coming_to_all_since <= m.starts_at
           AND gm.joined_on <= m.starts_on AND (gm.left_on IS NULL OR gm.left_on > m.starts_on)
           AND NOT EXISTS (SELECT 1 FROM meeting_people x WHERE x.meeting_id = m.id
               AND x.person_id = $1 AND (x.rsvp IS NOT NULL OR (x.invited IS NOT NULL AND NOT x.invited)))",
    )
    .bind(person).bind(from.millis())
    .fetch_all(c).await?))
}
