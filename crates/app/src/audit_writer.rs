//! Group commit for audit entries that stand alone (views of a person's record): many requests'
//! entries are written in one transaction, and each request waits until its entry is durable.
//! On SQLite that turns one disk flush per view into one per batch.

use crate::AppError;
use coproduce_domain::audit::Entry;
use coproduce_domain::Timestamp;
use coproduce_store::{audit, Db};
use tokio::sync::{mpsc, oneshot};

/// The most entries written in one transaction.
const MAX_BATCH: usize = 512;

struct Pending {
    at: Timestamp,
    actor: String,
    action: &'static str,
    object: String,
    done: oneshot::Sender<Result<(), String>>,
}

/// Hands audit entries to the task that writes them in batches.
#[derive(Clone, Debug)]
pub(crate) struct AuditWriter {
    sender: mpsc::Sender<Pending>,
}

impl std::fmt::Debug for Pending {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pending")
            .field("action", &self.action)
            .finish_non_exhaustive()
    }
}

async fn write(db: &Db, batch: &[Pending]) -> Result<(), String> {
    let mut tx = db.write().await.map_err(|e| e.to_string())?;
    for p in batch {
        let entry = Entry {
            at: p.at.millis(),
            actor: &p.actor,
            action: p.action,
            object: Some(&p.object),
            detail: "",
        };
        audit::append(&mut tx, &entry)
            .await
            .map_err(|e| e.to_string())?;
    }
    tx.commit().await.map_err(|e| e.to_string())
}

impl AuditWriter {
    /// Starts the writing task on the current runtime.
    pub(crate) fn start(db: Db) -> AuditWriter {
        let (sender, mut receiver) = mpsc::channel::<Pending>(4 * MAX_BATCH);
        tokio::spawn(async move {
            let mut batch = Vec::with_capacity(MAX_BATCH);
            while let Some(first) = receiver.recv().await {
                batch.push(first);
                while batch.len() < MAX_BATCH {
                    match receiver.try_recv() {
                        Ok(p) => batch.push(p),
                        Err(_) => break,
                    }
                }
                let result = write(&db, &batch).await;
                if let Err(e) = &result {
                    tracing::error!(error = %e, "audit batch failed");
                }
                for p in batch.drain(..) {
                    // The request may have gone (client disconnected); its entry is written anyway.
                    p.done.send(result.clone()).ok();
                }
            }
        });
        AuditWriter { sender }
    }

    /// Records an entry and waits until it is durable.
    pub(crate) async fn record(
        &self,
        at: Timestamp,
        actor: String,
        action: &'static str,
        object: String,
    ) -> Result<(), AppError> {
        let (done, wait) = oneshot::channel();
        self.sender
            .send(Pending {
                at,
                actor,
                action,
                object,
                done,
            })
            .await
            .map_err(|_| AppError::Internal("the audit writer has stopped".into()))?;
        wait.await
            .map_err(|_| AppError::Internal("the audit writer has stopped".into()))?
            .map_err(AppError::Internal)
    }
}
