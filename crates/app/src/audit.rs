//! Reading and checking the audit trail.

use crate::{authorise, Action, Actor, App, AppError};
use coproduce_domain::audit::{chain_hash, GENESIS};
use coproduce_store::audit::{self, AuditRow};

/// What checking the chain found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ChainReport {
    /// Every entry's hash is right and each links to the one before.
    Intact {
        /// How many entries there are.
        entries: i64,
    },
    /// The chain is broken at this entry.
    Broken {
        /// The first entry that does not check out.
        seq: i64,
        /// What is wrong with it.
        reason: String,
    },
}

/// One page of the audit trail, newest first.
#[derive(Clone, Debug)]
pub struct AuditPage {
    /// The entries.
    pub rows: Vec<AuditRow>,
    /// Where the next (older) page starts, if there is one.
    pub older: Option<i64>,
}

/// Entries per page.
pub const PAGE_SIZE: i64 = 50;

impl App {
    /// A page of the audit trail, newest first, older than `before` when given.
    pub async fn audit_page(
        &self,
        actor: &Actor,
        before: Option<i64>,
    ) -> Result<AuditPage, AppError> {
        authorise(actor, Action::ReadAuditTrail)?;
        self.flush_audit().await;
        let mut tx = self.db().read().await?;
        let mut rows = audit::newest(&mut tx, before, PAGE_SIZE + 1).await?;
        tx.commit().await?;
        let older = if rows.len() as i64 > PAGE_SIZE {
            rows.truncate(PAGE_SIZE as usize);
            rows.last().map(|r| r.seq)
        } else {
            None
        };
        Ok(AuditPage { rows, older })
    }

    /// Checks the whole chain from the first entry to the head.
    pub async fn verify_audit_chain(&self, actor: &Actor) -> Result<ChainReport, AppError> {
        authorise(actor, Action::ReadAuditTrail)?;
        self.flush_audit().await;
        let mut tx = self.db().read().await?;
        let (head_seq, head_hash) = audit::head(&mut tx).await?;
        let mut prev = GENESIS.to_owned();
        let mut expected_seq = 1;
        loop {
            let batch = audit::oldest_after(&mut tx, expected_seq - 1, 1000).await?;
            if batch.is_empty() {
                break;
            }
            for row in batch {
                let broken = |reason: &str| {
                    Ok(ChainReport::Broken {
                        seq: row.seq,
                        reason: reason.to_owned(),
                    })
                };
                if row.seq != expected_seq {
                    return broken("an entry before this one is missing");
                }
                if row.prev_hash != prev {
                    return broken("it does not link to the entry before");
                }
                if chain_hash(&prev, row.seq, &row.entry()) != row.hash {
                    return broken("its content was changed after it was written");
                }
                prev = row.hash;
                expected_seq += 1;
            }
        }
        tx.commit().await?;
        let entries = expected_seq - 1;
        if entries != head_seq || prev != head_hash {
            return Ok(ChainReport::Broken {
                seq: entries + 1,
                reason: "the newest entries are missing".to_owned(),
            });
        }
        Ok(ChainReport::Intact { entries })
    }
}

/// Appends an audit entry about `object` (`group:12`, `person:3`) in the caller's transaction.
pub(crate) async fn record(
    tx: &mut coproduce_store::Tx,
    actor: &Actor,
    now: coproduce_domain::Timestamp,
    action: &str,
    object: &str,
    detail: &str,
) -> Result<(), AppError> {
    coproduce_store::audit::append(
        tx,
        &coproduce_domain::audit::Entry {
            at: now.millis(),
            actor: &actor.audit_name(),
            action,
            object: Some(object),
            detail,
        },
    )
    .await?;
    Ok(())
}
