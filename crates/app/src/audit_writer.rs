//! Group commit for audit entries that stand alone (views of a person's record): many requests'
//! entries are written in one transaction, one disk flush per batch rather than one per view.
//! A request hands its entry over and goes on; it waits only when the writer is a full queue
//! behind. Changes are never audited this way: their entry is in their own transaction.
//!
//! After the first entry of a batch the writer waits a moment for more. On SQLite every commit
//! makes each reader drop its page cache and unmap the file at its next read, so a busy person
//! page that committed each view on its own paid for remapping on every request (issue 12's
//! figures); a short wait makes the commits, and the disk flushes, few whatever the load.

use crate::AppError;
use coproduce_domain::audit::{AuditKey, Entry};
use coproduce_domain::AuditEvent;
use coproduce_domain::Timestamp;
use coproduce_store::{audit, Db};
use std::time::Duration;
use tokio::sync::{mpsc, oneshot};

/// The most entries written in one transaction.
const MAX_BATCH: usize = 512;

/// How long a batch waits for more entries after its first, unless someone waits on a flush.
const LINGER: Duration = Duration::from_millis(20);

enum Pending {
    /// An entry to write.
    Entry {
        at: Timestamp,
        actor: String,
        action: AuditEvent,
        object: String,
    },
    /// Answers once everything handed over before it is written.
    Flush(oneshot::Sender<()>),
}

/// Hands audit entries to the task that writes them in batches.
#[derive(Clone, Debug)]
pub(crate) struct AuditWriter {
    sender: mpsc::Sender<Pending>,
}

impl std::fmt::Debug for Pending {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Pending::Entry { action, .. } => f
                .debug_struct("Entry")
                .field("action", action)
                .finish_non_exhaustive(),
            Pending::Flush(_) => f.write_str("Flush"),
        }
    }
}

async fn write(db: &Db, key: &AuditKey, batch: &[Pending]) -> Result<(), String> {
    let entries: Vec<Entry> = batch
        .iter()
        .filter_map(|p| match p {
            Pending::Entry {
                at,
                actor,
                action,
                object,
            } => Some(Entry {
                at: at.millis(),
                actor,
                action: action.code(),
                object: Some(object),
                detail: "",
            }),
            Pending::Flush(_) => None,
        })
        .collect();
    if entries.is_empty() {
        return Ok(());
    }
    let mut tx = db.write().await.map_err(|e| e.to_string())?;
    audit::append_all(&mut tx, key, &entries)
        .await
        .map_err(|e| e.to_string())?;
    tx.commit().await.map_err(|e| e.to_string())
}

/// Adds what arrives within [`LINGER`] of now to the batch, stopping at a flush (its caller is
/// waiting), a full batch or a closed queue.
async fn gather(receiver: &mut mpsc::Receiver<Pending>, batch: &mut Vec<Pending>) {
    let until = tokio::time::Instant::now() + LINGER;
    while batch.len() < MAX_BATCH && !matches!(batch.last(), Some(Pending::Flush(_))) {
        match tokio::time::timeout_at(until, receiver.recv()).await {
            Ok(Some(p)) => batch.push(p),
            Ok(None) | Err(_) => break,
        }
    }
}

impl AuditWriter {
    /// Starts the writing task on the current runtime.
    pub(crate) fn start(db: Db, key: AuditKey) -> AuditWriter {
        let (sender, mut receiver) = mpsc::channel::<Pending>(4 * MAX_BATCH);
        tokio::spawn(async move {
            let mut batch = Vec::with_capacity(MAX_BATCH);
            while let Some(first) = receiver.recv().await {
                batch.push(first);
                gather(&mut receiver, &mut batch).await;
                if let Err(e) = write(&db, &key, &batch).await {
                    tracing::error!(error = %e, entries = batch.len(), "audit batch failed");
                }
                for p in batch.drain(..) {
                    if let Pending::Flush(done) = p {
                        done.send(()).ok();
                    }
                }
            }
        });
        AuditWriter { sender }
    }

    /// Hands an entry to the writer (waiting only while its queue is full).
    pub(crate) async fn record(
        &self,
        at: Timestamp,
        actor: String,
        action: AuditEvent,
        object: String,
    ) -> Result<(), AppError> {
        self.sender
            .send(Pending::Entry {
                at,
                actor,
                action,
                object,
            })
            .await
            .map_err(|_| AppError::Internal("the audit writer has stopped".into()))
    }

    /// Waits until every entry handed over so far is written.
    pub(crate) async fn flush(&self) {
        let (done, wait) = oneshot::channel();
        if self.sender.send(Pending::Flush(done)).await.is_ok() {
            wait.await.ok();
        }
    }
}
