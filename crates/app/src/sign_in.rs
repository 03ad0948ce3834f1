//! Staff sign-in: password, second factor, sessions, sign out, set-password links.

use crate::{passwords, Actor, App, AppError, StaffMember};
use coproduce_domain::audit::Entry;
use coproduce_domain::secret::sha256_hex;
use coproduce_domain::totp::TotpSecret;
use coproduce_domain::AuditEvent;
use coproduce_domain::{Email, NewPassword, Role, SecretToken, ServiceId, StaffId, Timestamp};
use coproduce_store::{audit, sessions, staff, throttle, Tx};
use rand::Rng;

/// Minutes without a request after which a session ends.
pub const IDLE_MINUTES: i64 = 30;
/// Hours after sign-in at which a session ends whatever happens.
pub const ABSOLUTE_HOURS: i64 = 12;
/// The window failed attempts are counted over.
pub const THROTTLE_WINDOW_MINUTES: i64 = 15;
/// Failed attempts on one account within the window before it is refused.
pub const MAX_FAILURES_PER_ACCOUNT: i64 = 5;
/// Failed attempts from one client address within the window before it is refused.
pub const MAX_FAILURES_PER_ADDRESS: i64 = 30;
/// How long a set-password link lasts.
pub const PASSWORD_LINK_HOURS: i64 = 24;
/// How many recovery codes a staff member is given.
pub const RECOVERY_CODES: usize = 10;
/// Seconds between writes of a session's last-seen time (it need not be exact to the second).
const TOUCH_EVERY_MS: i64 = 60_000;

/// How far through signing in a session is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    /// Password accepted; a code from the authenticator app is needed.
    SecondFactor,
    /// Password accepted; a second factor is required but not set up yet.
    Enrol,
    /// Fully signed in.
    Full,
}

impl Stage {
    fn as_str(self) -> &'static str {
        match self {
            Stage::SecondFactor => "second_factor",
            Stage::Enrol => "enrol",
            Stage::Full => "full",
        }
    }

    fn parse(s: &str) -> Stage {
        match s {
            "full" => Stage::Full,
            "enrol" => Stage::Enrol,
            _ => Stage::SecondFactor,
        }
    }
}

/// A live session, as the web layer sees it.
#[derive(Clone, Debug)]
pub struct Session {
    /// The session's id.
    pub id: i64,
    /// Whose it is.
    pub staff: StaffMember,
    /// How far through sign-in.
    pub stage: Stage,
    /// The form token for unsafe requests.
    pub csrf_token: String,
    /// Whether they have a second factor set up.
    pub has_second_factor: bool,
}

impl Session {
    /// Who the session's staff member acts as.
    pub fn actor(&self) -> Actor {
        Actor::Staff(self.staff.clone())
    }
}

/// What looking up a session cookie found.
#[derive(Debug)]
pub enum SessionLookup {
    /// A live session.
    Live(Session),
    /// A session that ended by time: the person should be told, not just bounced.
    Expired,
    /// Nothing: never valid, revoked, or the account is disabled.
    Missing,
}

/// A new session's cookie value and stage.
#[derive(Debug)]
pub struct Started {
    /// The token for the cookie.
    pub token: SecretToken,
    /// Where sign-in has got to.
    pub stage: Stage,
}

fn throttle_keys(email: &str, address: &str) -> (String, String) {
    (
        format!("account:{}", email.trim().to_lowercase()),
        format!("address:{address}"),
    )
}

fn staff_entry<'a>(
    at: Timestamp,
    actor: &'a str,
    action: AuditEvent,
    object: Option<&'a str>,
    detail: &'a str,
) -> Entry<'a> {
    Entry {
        at: at.millis(),
        actor,
        action: action.code(),
        object,
        detail,
    }
}

impl App {
    async fn throttled(&self, tx: &mut Tx, keys: &(String, String)) -> Result<bool, AppError> {
        let since = self.now().plus_minutes(-THROTTLE_WINDOW_MINUTES);
        let account = throttle::failures_since(tx, &keys.0, since).await?;
        let address = throttle::failures_since(tx, &keys.1, since).await?;
        Ok(account >= MAX_FAILURES_PER_ACCOUNT || address >= MAX_FAILURES_PER_ADDRESS)
    }

    async fn record_failure(
        &self,
        keys: &(String, String),
        action: AuditEvent,
        object: Option<&str>,
    ) -> Result<(), AppError> {
        let now = self.now();
        let mut tx = self.db().write().await?;
        throttle::record_failure(&mut tx, &keys.0, now).await?;
        throttle::record_failure(&mut tx, &keys.1, now).await?;
        let detail = keys.1.clone();
        audit::append(
            &mut tx,
            self.audit_key(),
            &staff_entry(now, "anonymous", action, object, &detail),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Checks an email address and password. An unknown address costs the same time as a known
    /// one and gets the same answer; so does a disabled account.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn sign_in(
        &self,
        email: &str,
        password: &str,
        client_address: &str,
    ) -> Result<Started, AppError> {
        let keys = throttle_keys(email, client_address);
        let mut tx = self.db().read().await?;
        if self.throttled(&mut tx, &keys).await? {
            return Err(AppError::Throttled);
        }
        let found = match Email::parse(email) {
            Ok(e) => staff::find_by_email(&mut tx, &e).await?,
            Err(_) => None,
        };
        tx.commit().await?;
        let stored = found
            .as_ref()
            .and_then(|s| s.password_hash.clone())
            .unwrap_or_else(|| self.inner.dummy_hash.clone());
        let password_ok = passwords::verify(password.to_owned(), stored).await;
        let account = match found {
            Some(s) if password_ok && s.password_hash.is_some() && s.disabled_at.is_none() => s,
            other => {
                let object = other.map(|s| format!("staff:{}", s.id));
                self.record_failure(&keys, AuditEvent::SignInFailed, object.as_deref())
                    .await?;
                return Err(AppError::BadCredentials);
            }
        };
        let stage = if account.totp_secret.is_some() {
            Stage::SecondFactor
        } else if account.role().requires_second_factor() || account.totp_required {
            Stage::Enrol
        } else {
            Stage::Full
        };
        let now = self.now();
        let token = SecretToken::generate("cps_");
        let csrf = SecretToken::generate("");
        let mut tx = self.db().write().await?;
        sessions::create(
            &mut tx,
            &sessions::NewSession {
                token_hash: &token.hash(),
                staff: account.id,
                stage: stage.as_str(),
                csrf_token: csrf.expose(),
                expires_at: now.plus_minutes(ABSOLUTE_HOURS * 60),
            },
            now,
        )
        .await?;
        throttle::clear(&mut tx, &keys.0, now.plus_days(-1)).await?;
        let actor = format!("staff:{}", account.id);
        let action = if stage == Stage::Full {
            AuditEvent::SignIn
        } else {
            AuditEvent::SignInPasswordAccepted
        };
        audit::append(
            &mut tx,
            self.audit_key(),
            &staff_entry(now, &actor, action, Some(&actor), &keys.1),
        )
        .await?;
        tx.commit().await?;
        Ok(Started { token, stage })
    }

    /// Finds the session a cookie's token belongs to, applying the idle and absolute expiry.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn session(&self, token: &str) -> Result<SessionLookup, AppError> {
        let token_hash = SecretToken::from_presented(token).hash();
        let now = self.now();
        let mut tx = self.db().read().await?;
        let Some(row) = sessions::find(&mut tx, &token_hash).await? else {
            return Ok(SessionLookup::Missing);
        };
        if now.millis() >= row.expires_at || now.millis() - row.last_seen_at > IDLE_MINUTES * 60_000
        {
            return Ok(SessionLookup::Expired);
        }
        tx.commit().await?;
        if now.millis() - row.last_seen_at > TOUCH_EVERY_MS {
            let mut tx = self.db().write().await?;
            sessions::touch(&mut tx, row.id, now).await?;
            tx.commit().await?;
        }
        Ok(SessionLookup::Live(Session {
            id: row.id,
            staff: StaffMember {
                id: row.staff_id,
                name: row.name,
                email: row.email,
                role: Role::parse(&row.role).unwrap_or(Role::Staff),
                service_ids: row.service_ids.into_iter().map(ServiceId).collect(),
            },
            stage: Stage::parse(&row.stage),
            csrf_token: row.csrf_token,
            has_second_factor: row.has_totp,
        }))
    }

    /// Checks a code from an authenticator app, or a recovery code, for a session waiting on its
    /// second factor. On success the session is fully signed in under a new token.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn second_factor(
        &self,
        session: &Session,
        code: &str,
        client_address: &str,
    ) -> Result<SecretToken, AppError> {
        let keys = throttle_keys(&session.staff.email, client_address);
        let now = self.now();
        let mut tx = self.db().write().await?;
        if self.throttled(&mut tx, &keys).await? {
            return Err(AppError::Throttled);
        }
        let account = staff::find(&mut tx, session.staff.id)
            .await?
            .ok_or(AppError::Expired)?;
        let secret = account
            .totp_secret
            .as_deref()
            .and_then(TotpSecret::from_base32);
        let matched_step =
            secret.and_then(|s| s.verify(code, now.seconds(), account.totp_last_step));
        let ok = match matched_step {
            Some(step) => {
                staff::set_totp_last_step(&mut tx, session.staff.id, step).await?;
                true
            }
            None => {
                let hash = recovery_code_hash(code);
                !hash.is_empty()
                    && staff::use_recovery_code(&mut tx, session.staff.id, &hash, now).await?
            }
        };
        if !ok {
            tx.commit().await?;
            let object = format!("staff:{}", session.staff.id);
            self.record_failure(&keys, AuditEvent::SecondFactorFailed, Some(&object))
                .await?;
            return Err(AppError::BadCredentials);
        }
        let token = SecretToken::generate("cps_");
        sessions::advance(
            &mut tx,
            session.id,
            Stage::Full.as_str(),
            &token.hash(),
            now,
        )
        .await?;
        throttle::clear(&mut tx, &keys.0, now.plus_days(-1)).await?;
        let actor = format!("staff:{}", session.staff.id);
        let how = if matched_step.is_some() {
            "authenticator app"
        } else {
            "recovery code"
        };
        audit::append(
            &mut tx,
            self.audit_key(),
            &staff_entry(now, &actor, AuditEvent::SignIn, Some(&actor), how),
        )
        .await?;
        tx.commit().await?;
        Ok(token)
    }

    /// Confirms a new authenticator app: the code must match the secret shown. Stores the secret,
    /// issues fresh recovery codes (returned once, to show), and completes a pending sign-in
    /// under a new token.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn enrol_second_factor(
        &self,
        session: &Session,
        secret_base32: &str,
        code: &str,
    ) -> Result<(Vec<String>, Option<SecretToken>), AppError> {
        let secret = TotpSecret::from_base32(secret_base32).ok_or_else(|| {
            AppError::field("code", "Start again: the set-up key was not recognised")
        })?;
        let now = self.now();
        let Some(step) = secret.verify(code, now.seconds(), None) else {
            return Err(AppError::field(
                "code",
                "Enter the 6-digit code your authenticator app shows now",
            ));
        };
        let codes = new_recovery_codes();
        let hashes: Vec<String> = codes.iter().map(|c| recovery_code_hash(c)).collect();
        let mut tx = self.db().write().await?;
        staff::set_totp_secret(&mut tx, session.staff.id, Some(&secret.to_base32())).await?;
        staff::set_totp_last_step(&mut tx, session.staff.id, step).await?;
        staff::replace_recovery_codes(&mut tx, session.staff.id, &hashes).await?;
        let new_token = if session.stage == Stage::Full {
            None
        } else {
            let token = SecretToken::generate("cps_");
            sessions::advance(
                &mut tx,
                session.id,
                Stage::Full.as_str(),
                &token.hash(),
                now,
            )
            .await?;
            Some(token)
        };
        let actor = format!("staff:{}", session.staff.id);
        audit::append(
            &mut tx,
            self.audit_key(),
            &staff_entry(
                now,
                &actor,
                AuditEvent::SecondFactorEnrolled,
                Some(&actor),
                "",
            ),
        )
        .await?;
        tx.commit().await?;
        Ok((codes, new_token))
    }

    /// How many recovery codes a staff member has left.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn recovery_codes_left(&self, staff_id: StaffId) -> Result<i64, AppError> {
        let mut tx = self.db().read().await?;
        let n = staff::recovery_codes_left(&mut tx, staff_id).await?;
        tx.commit().await?;
        Ok(n)
    }

    /// Ends a session.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn sign_out(&self, session: &Session) -> Result<(), AppError> {
        let now = self.now();
        let mut tx = self.db().write().await?;
        sessions::revoke(&mut tx, session.id, now).await?;
        let actor = format!("staff:{}", session.staff.id);
        audit::append(
            &mut tx,
            self.audit_key(),
            &staff_entry(now, &actor, AuditEvent::SignOut, Some(&actor), ""),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Whether a set-password link can still be used.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn password_link_usable(&self, token: &str) -> Result<bool, AppError> {
        let mut tx = self.db().read().await?;
        let owner = staff::password_link_owner(
            &mut tx,
            &SecretToken::from_presented(token).hash(),
            self.now(),
        )
        .await?;
        tx.commit().await?;
        Ok(owner.is_some())
    }

    /// Sets a password through a one-time link. Every session of the account ends.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn set_password_with_link(
        &self,
        token: &str,
        password: &str,
        confirm: &str,
    ) -> Result<(), AppError> {
        let token_hash = SecretToken::from_presented(token).hash();
        let now = self.now();
        let mut tx = self.db().read().await?;
        let owner = staff::password_link_owner(&mut tx, &token_hash, now)
            .await?
            .ok_or(AppError::Expired)?;
        let account = staff::find(&mut tx, owner)
            .await?
            .ok_or(AppError::Expired)?;
        tx.commit().await?;
        let personal = [account.name.as_str(), account.email.as_str()];
        let new = NewPassword::parse(password, &personal)
            .map_err(|e| AppError::field("password", e.to_string()))?;
        if password != confirm {
            return Err(AppError::field("confirm", "The passwords do not match"));
        }
        let hash = passwords::hash(new.expose().to_owned()).await?;
        let mut tx = self.db().write().await?;
        let owner = staff::use_password_link(&mut tx, &token_hash, now)
            .await?
            .ok_or(AppError::Expired)?;
        staff::set_password_hash(&mut tx, owner, &hash).await?;
        sessions::revoke_all(&mut tx, owner, now).await?;
        let actor = format!("staff:{owner}");
        audit::append(
            &mut tx,
            self.audit_key(),
            &staff_entry(
                now,
                &actor,
                AuditEvent::PasswordSet,
                Some(&actor),
                "by one-time link",
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

/// Ten fresh recovery codes like `k7wq-3mfp-xh2d`, from letters and digits that cannot be mistaken
/// for one another.
fn new_recovery_codes() -> Vec<String> {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut rng = rand::rngs::OsRng;
    (0..RECOVERY_CODES)
        .map(|_| {
            let chars: Vec<char> = (0..12)
                .map(|_| char::from(ALPHABET[rng.gen_range(0..ALPHABET.len())]))
                .collect();
            let groups: Vec<String> = chars.chunks(4).map(|c| c.iter().collect()).collect();
            groups.join("-")
        })
        .collect()
}

/// A recovery code's hash, ignoring case, spaces and dashes; empty for something that cannot be one.
fn recovery_code_hash(code: &str) -> String {
    let cleaned: String = code
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    if cleaned.len() == 12 {
        sha256_hex(&cleaned)
    } else {
        String::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recovery_codes_are_readable_and_forgiving_to_type() {
        let codes = new_recovery_codes();
        assert_eq!(codes.len(), RECOVERY_CODES);
        assert_eq!(codes[0].len(), 14);
        assert_eq!(
            recovery_code_hash(&codes[0]),
            recovery_code_hash(&codes[0].to_uppercase().replace('-', " "))
        );
        assert_ne!(recovery_code_hash(&codes[0]), recovery_code_hash(&codes[1]));
        assert_eq!(recovery_code_hash("123456"), "");
    }
}
