//! `Idempotency-Key` on every API POST: the same key and request gets the answer stored the
//! first time, the same key with another request is refused, and a key still being answered
//! is refused until it is. Keys are per API token and kept for 24 hours.

use crate::{Actor, App, AppError};
use coproduce_domain::idempotency::{Answer, Claim};
use coproduce_store::idempotency;

/// How long a key is kept.
pub const KEEP_HOURS: i64 = 24;

/// How long a key may be in flight before another request may take it over (its server
/// stopped before answering).
const ABANDONED_AFTER_MINUTES: i64 = 5;

fn token_of(actor: &Actor) -> Result<i64, AppError> {
    match actor {
        Actor::Token { token_id, .. } => Ok(*token_id),
        _ => Err(AppError::Forbidden),
    }
}

impl App {
    /// Claims an idempotency key for a request (`request_hash` names its method, address and
    /// body), or says what the key was used for before.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn claim_idempotency_key(
        &self,
        actor: &Actor,
        key: &str,
        request_hash: &str,
    ) -> Result<Claim, AppError> {
        let token = token_of(actor)?;
        let now = self.now();
        let mut tx = self.db().write().await?;
        let claim = idempotency::claim(
            &mut tx,
            token,
            key,
            request_hash,
            now,
            now.plus_minutes(-KEEP_HOURS * 60),
            now.plus_minutes(-ABANDONED_AFTER_MINUTES),
        )
        .await?;
        tx.commit().await?;
        Ok(claim)
    }

    /// Stores the answer to a claimed key.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn answer_idempotency_key(
        &self,
        actor: &Actor,
        key: &str,
        answer: &Answer,
    ) -> Result<(), AppError> {
        let token = token_of(actor)?;
        let mut tx = self.db().write().await?;
        idempotency::answer(&mut tx, token, key, answer).await?;
        Ok(tx.commit().await?)
    }

    /// Lets a claimed key go, so a retry is answered afresh.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn release_idempotency_key(&self, actor: &Actor, key: &str) -> Result<(), AppError> {
        let token = token_of(actor)?;
        let mut tx = self.db().write().await?;
        idempotency::release(&mut tx, token, key).await?;
        Ok(tx.commit().await?)
    }

    /// Forgets keys older than a day (a daily job).
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn forget_idempotency_keys(&self) -> Result<u64, AppError> {
        let mut tx = self.db().write().await?;
        let n =
            idempotency::forget_before(&mut tx, self.now().plus_minutes(-KEEP_HOURS * 60)).await?;
        tx.commit().await?;
        Ok(n)
    }
}
