//! Server secrets, shared by every server through the database: the key that signs the public
//! form's keys. Each server keeps what it read for a minute and reads again on meeting a
//! secret it does not know, so a secret made on one server is used by all within a minute.

use crate::write::Done;
use crate::{Action, Actor, App, AppError, Resource};
use coproduce_domain::enquiries::{FormKey, KeyProblem, FORM_LIFETIME_HOURS};
use coproduce_domain::AuditEvent;
use coproduce_domain::{SecretToken, Timestamp};
use coproduce_store::secrets;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

const FORM_KEYS: &str = "form_keys";

/// How long a server uses the secrets it read before reading them again.
const RELOAD_AFTER: Duration = Duration::from_secs(60);

type Secrets = Arc<Vec<(i64, Vec<u8>)>>;

/// The secrets this server last read, newest first.
#[derive(Debug, Default)]
pub(crate) struct SecretCache(RwLock<Option<(Instant, Secrets)>>);

impl SecretCache {
    fn fresh(&self, needed: Option<i64>) -> Option<Secrets> {
        let guard = self.0.read().ok()?;
        let (read_at, list) = guard.as_ref()?;
        let known = needed.is_none_or(|id| list.iter().any(|(i, _)| *i == id));
        (read_at.elapsed() < RELOAD_AFTER && known && !list.is_empty()).then(|| list.clone())
    }

    fn keep(&self, list: Secrets) {
        if let Ok(mut guard) = self.0.write() {
            *guard = Some((Instant::now(), list));
        }
    }

    fn forget(&self) {
        if let Ok(mut guard) = self.0.write() {
            *guard = None;
        }
    }
}

fn decoded(rows: Vec<secrets::SecretRow>) -> Secrets {
    Arc::new(
        rows.into_iter()
            .filter_map(|r| hex::decode(&r.secret).ok().map(|b| (r.id, b)))
            .collect(),
    )
}

impl App {
    /// The form-key secrets, newest first, making the first one if there is none yet.
    async fn form_secrets(&self, needed: Option<i64>) -> Result<Secrets, AppError> {
        if let Some(list) = self.inner.secrets.fresh(needed) {
            return Ok(list);
        }
        let mut tx = self.db().read().await?;
        let mut rows = secrets::all(&mut tx, FORM_KEYS).await?;
        tx.commit().await?;
        if rows.is_empty() {
            let mut tx = self.db().write().await?;
            if secrets::all(&mut tx, FORM_KEYS).await?.is_empty() {
                let secret = SecretToken::generate("");
                secrets::add(&mut tx, FORM_KEYS, secret.expose(), self.now()).await?;
            }
            rows = secrets::all(&mut tx, FORM_KEYS).await?;
            tx.commit().await?;
        }
        let list = decoded(rows);
        self.inner.secrets.keep(list.clone());
        Ok(list)
    }

    /// A signed key for a public form shown now.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn new_form_key(&self) -> Result<String, AppError> {
        let list = self.form_secrets(None).await?;
        let (id, secret) = list
            .first()
            .ok_or_else(|| AppError::Internal("no form secret".into()))?;
        let random = SecretToken::generate("");
        Ok(FormKey::sign(*id, secret, self.now(), random.expose()))
    }

    /// Checks a public form's key: signed by one of our secrets, and neither sent back sooner
    /// than a person could fill the form in nor too old.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn check_form_key(&self, key: &str) -> Result<Result<(), KeyProblem>, AppError> {
        let key = match FormKey::parse(key) {
            Ok(k) => k,
            Err(p) => return Ok(Err(p)),
        };
        let list = self.form_secrets(Some(key.secret_id)).await?;
        let secret = list
            .iter()
            .find(|(id, _)| *id == key.secret_id)
            .map(|(_, s)| s.as_slice());
        Ok(key.verify(secret, self.now()))
    }

    /// Whether a form sent back with a problem can keep its key (so its time still counts):
    /// it must be ours, not too old, and not used yet.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn form_key_reusable(&self, key: &str) -> Result<bool, AppError> {
        if matches!(
            self.check_form_key(key).await?,
            Err(KeyProblem::Unreadable | KeyProblem::Forged | KeyProblem::TooOld)
        ) {
            return Ok(false);
        }
        let mut tx = self.db().read().await?;
        let used = coproduce_store::enquiries::key_used(&mut tx, key.trim()).await?;
        tx.commit().await?;
        Ok(!used)
    }

    /// Makes a new form-key secret, used from now on by every server (within a minute), and
    /// forgets those no form still open could have been signed with. Returns the new one's id.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn rotate_secrets(&self, actor: &Actor) -> Result<i64, AppError> {
        let now = self.now();
        let id = self
            .write(actor, Action::RotateSecrets, &Resource::ANY, async |tx| {
                let secret = SecretToken::generate("");
                let id = secrets::add(tx, FORM_KEYS, secret.expose(), now).await?;
                let rows = secrets::all(tx, FORM_KEYS).await?;
                let keep_from = oldest_needed(&rows, now);
                secrets::forget_before(tx, FORM_KEYS, keep_from).await?;
                let object = format!("server_secret:{id}");
                Ok(Done::new(id, AuditEvent::SecretsRotate, object, FORM_KEYS))
            })
            .await?;
        self.inner.secrets.forget();
        Ok(id)
    }
}

/// The oldest secret a form still open may have been signed with: one is needed until its
/// successor has been in use for a form's lifetime, and a minute more for servers still
/// using what they read.
fn oldest_needed(newest_first: &[secrets::SecretRow], now: Timestamp) -> i64 {
    let horizon = now.millis() - FORM_LIFETIME_HOURS * 3_600_000 - RELOAD_AFTER.as_millis() as i64;
    let mut keep = newest_first.first().map_or(0, |r| r.id);
    for pair in newest_first.windows(2) {
        let (newer, older) = (&pair[0], &pair[1]);
        if newer.created_at <= horizon {
            break;
        }
        keep = older.id;
    }
    keep
}
