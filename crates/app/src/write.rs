//! The one write path: authorise, open the transaction, run the change, record its audit entry,
//! commit. A change cannot commit without its entry: the body returns what the entry says, and
//! only the runner commits.

use crate::{authorise, Action, Actor, App, AppError, Resource};
use coproduce_domain::AuditEvent;
use coproduce_store::Tx;

/// What a change did: its result, and the audit entry that records it (none when it changed
/// nothing, e.g. a form sent twice whose first sending did the work).
pub(crate) struct Done<T> {
    value: T,
    event: AuditEvent,
    object: String,
    detail: String,
    changed: bool,
}

impl<T> Done<T> {
    /// `value`, recorded as `event` on `object` (`service:3`) with a detail (never personal
    /// data beyond what the trail is for).
    pub(crate) fn new(
        value: T,
        event: AuditEvent,
        object: impl Into<String>,
        detail: impl Into<String>,
    ) -> Done<T> {
        Done {
            value,
            event,
            object: object.into(),
            detail: detail.into(),
            changed: true,
        }
    }

    /// The same, unless `changed` is false: then nothing was written, so nothing is audited.
    pub(crate) fn unless_unchanged(self, changed: bool) -> Done<T> {
        Done { changed, ..self }
    }
}

impl App {
    /// Runs `change` in one write transaction once the policy allows `action` on `resource`,
    /// records its audit entry in the same transaction, and commits. An error from the body
    /// rolls everything back.
    pub(crate) async fn write<T>(
        &self,
        actor: &Actor,
        action: Action,
        resource: &Resource,
        change: impl AsyncFnOnce(&mut Tx) -> Result<Done<T>, AppError>,
    ) -> Result<T, AppError> {
        authorise(actor, action, resource)?;
        let mut tx = self.db().write().await?;
        let done = change(&mut tx).await?;
        if done.changed {
            self.audit(&mut tx, actor, done.event, &done.object, &done.detail)
                .await?;
        }
        tx.commit().await?;
        Ok(done.value)
    }
}
