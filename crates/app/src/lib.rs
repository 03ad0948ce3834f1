//! coproduce's use cases. The web pages, the API and the command line call these and nothing
//! below them. Each use case authorises the actor with [`authorise`], does its work in one
//! transaction, and writes its audit entry in that same transaction.

use coproduce_domain::Timestamp;
use coproduce_store::Db;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

pub mod audit;
mod audit_writer;
mod authz;
pub mod calendar;
pub mod concerns;
pub mod demo;
pub mod enquiries;
mod error;
pub mod groups;
pub mod idempotency;
pub mod import;
pub mod improvements;
mod input;
pub mod leaving;
pub mod meetings;
pub mod opportunities;
pub mod organisation;
pub mod outbox;
mod passwords;
pub mod people;
pub mod portal;
pub mod projects;
mod public_cache;
pub mod reviews;
mod secrets;
pub mod services;
pub mod sign_in;
pub mod staff;
pub mod tokens;
mod write;

pub use authz::{
    authorise, authorise_or_hide, may, people_scope, Action, Actor, Capabilities, Owner, Resource,
    StaffMember,
};
pub use error::{AppError, FieldError};
pub use input::Upload;

/// The application: the database and the rules, shared by every request.
#[derive(Clone)]
pub struct App {
    inner: Arc<Inner>,
}

struct Inner {
    db: Db,
    audit_key: coproduce_domain::audit::AuditKey,
    audit_writer: audit_writer::AuditWriter,
    clock: Clock,
    dummy_hash: String,
    /// The channels the outbox's transport can send, once set (all of them until then).
    channels: std::sync::OnceLock<&'static [&'static str]>,
    /// Where people reach the server, for links in messages, once set.
    public_origin: std::sync::OnceLock<String>,
    /// Enquiries one address may send in an hour.
    enquiry_limit: AtomicI64,
    /// The public opportunities, kept for a moment (see `public_cache`).
    public_opportunities: public_cache::PublicCache<coproduce_domain::opportunities::Opportunity>,
    /// The published improvements, kept the same way.
    public_improvements: public_cache::PublicCache<coproduce_domain::improvements::Published>,
    /// The server secrets this server last read.
    secrets: secrets::SecretCache,
    /// The organisation's details this server last read.
    organisation: organisation::OrganisationCache,
}

/// The time the application believes it is: the system clock plus an offset tests can move.
#[derive(Debug, Default)]
pub struct Clock {
    offset_ms: AtomicI64,
}

impl Clock {
    /// Now, as the application sees it.
    pub fn now(&self) -> Timestamp {
        Timestamp(Timestamp::now().millis() + self.offset_ms.load(Ordering::Relaxed))
    }

    /// Moves the clock forward (tests use it to let sessions expire).
    pub fn advance_minutes(&self, minutes: i64) {
        self.offset_ms
            .fetch_add(minutes * 60_000, Ordering::Relaxed);
    }
}

impl App {
    /// Builds the application on a migrated database.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn new(
        db: Db,
        audit_key: coproduce_domain::audit::AuditKey,
    ) -> Result<App, AppError> {
        let dummy_hash = passwords::hash("a password nobody has, for timing".to_owned()).await?;
        let audit_writer = audit_writer::AuditWriter::start(db.clone(), audit_key.clone());
        let app = App {
            inner: Arc::new(Inner {
                db,
                audit_key,
                audit_writer,
                clock: Clock::default(),
                dummy_hash,
                channels: std::sync::OnceLock::new(),
                public_origin: std::sync::OnceLock::new(),
                enquiry_limit: AtomicI64::new(enquiries::DEFAULT_ENQUIRIES_PER_HOUR),
                public_opportunities: Default::default(),
                public_improvements: Default::default(),
                secrets: secrets::SecretCache::default(),
                organisation: organisation::OrganisationCache::default(),
            }),
        };
        app.refresh_organisation().await?;
        Ok(app)
    }

    /// The database.
    pub fn db(&self) -> &Db {
        &self.inner.db
    }

    /// The key the audit chain is written with.
    pub(crate) fn audit_key(&self) -> &coproduce_domain::audit::AuditKey {
        &self.inner.audit_key
    }

    /// Tells the outbox which channels its transport can send (`email`, `sms`, `letter`), so each
    /// person's message goes by their first preference among those. Set once, at start.
    pub fn set_channels(&self, channels: &'static [&'static str]) {
        let _ = self.inner.channels.set(channels);
    }

    /// Tells the app where people reach the server (e.g. `https://coproduce.example.nhs.uk`),
    /// for the links its messages carry. Set once, at start.
    pub fn set_public_origin(&self, origin: &str) {
        let _ = self
            .inner
            .public_origin
            .set(origin.trim_end_matches('/').to_owned());
    }

    /// Where links in messages point: the public origin, once set.
    pub(crate) fn public_origin(&self) -> &str {
        self.inner
            .public_origin
            .get()
            .map_or("http://localhost:8080", String::as_str)
    }

    /// The channels messages can go by.
    pub(crate) fn channels(&self) -> &'static [&'static str] {
        self.inner
            .channels
            .get()
            .copied()
            .unwrap_or(outbox::ALL_CHANNELS)
    }

    /// The clock.
    pub fn clock(&self) -> &Clock {
        &self.inner.clock
    }

    fn now(&self) -> Timestamp {
        self.inner.clock.now()
    }

    /// Waits until every audit entry recorded so far (views are written in batches) is stored.
    /// Reading the audit trail does this first, and so does shutting down.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn flush_audit(&self) {
        self.inner.audit_writer.flush().await;
    }

    /// Whether the database answers.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn healthy(&self) -> bool {
        self.inner.db.ping().await
    }
}

impl App {
    /// The names of some services, by name.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn service_names(
        &self,
        ids: &[coproduce_domain::ServiceId],
    ) -> Result<Vec<String>, AppError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut tx = self.db().read().await?;
        let all = coproduce_store::services::list(&mut tx).await?;
        tx.commit().await?;
        Ok(all
            .into_iter()
            .filter(|s| ids.contains(&s.id))
            .map(|s| s.name)
            .collect())
    }
}
