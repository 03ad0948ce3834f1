//! Reading and checking the audit trail.

use crate::{authorise, Action, Actor, App, AppError, Resource};
use coproduce_domain::audit::{
    chain_hash, chain_mac, checkpoint, read_checkpoint, Entry, GENESIS, KEYED_ACTION,
};
use coproduce_domain::AuditEvent;
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
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn audit_page(
        &self,
        actor: &Actor,
        before: Option<i64>,
    ) -> Result<AuditPage, AppError> {
        authorise(actor, Action::ReadAuditTrail, &Resource::ANY)?;
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

    /// Whether a database's audit trail has been keyed (before an `App` exists, to know whether
    /// a missing key may be made).
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn audit_chain_keyed(db: &coproduce_store::Db) -> Result<bool, AppError> {
        let mut tx = db.read().await?;
        let keyed = audit::keyed_from(&mut tx).await?.is_some();
        tx.commit().await?;
        Ok(keyed)
    }

    /// Keys the audit chain with this server's key, if nothing has yet: an entry naming the
    /// key, from which every entry is keyed. A chain keyed with another key is refused, so a
    /// server given the wrong key never writes entries no one could check.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn key_audit_chain(&self) -> Result<(), AppError> {
        let key = self.audit_key();
        let mut tx = self.db().write().await?;
        let named = format!("key:{}", key.id());
        match audit::keyed_from(&mut tx).await? {
            None => {
                let entry = Entry {
                    at: self.now().millis(),
                    actor: "system",
                    action: KEYED_ACTION,
                    object: None,
                    detail: &named,
                };
                let seq = audit::append(&mut tx, key, &entry).await?;
                audit::set_keyed_from(&mut tx, seq).await?;
                tx.commit().await?;
            }
            Some(seq) => {
                let marker = audit::entry(&mut tx, seq).await?;
                tx.commit().await?;
                let Some(marker) = marker.filter(|m| m.action == KEYED_ACTION) else {
                    return Err(AppError::field(
                        "audit key",
                        format!("the audit trail says it was keyed at entry {seq}, and no entry there keyed it: run `coproduce audit verify`"),
                    ));
                };
                if marker.detail != named {
                    return Err(AppError::field(
                        "audit key",
                        format!(
                            "the audit trail was written with audit key {}, and this is key {}; give coproduce the key file it was written with",
                            marker.detail.trim_start_matches("key:"),
                            key.id()
                        ),
                    ));
                }
            }
        }
        Ok(())
    }

    /// A signed checkpoint of the chain's head, for the log: a copy of the log then shows
    /// whether the newest entries were cut away later (see [`App::verify_audit_checkpoint`]).
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn audit_checkpoint(&self) -> Result<String, AppError> {
        self.flush_audit().await;
        let mut tx = self.db().read().await?;
        let (seq, hash) = audit::head(&mut tx).await?;
        tx.commit().await?;
        Ok(checkpoint(self.audit_key(), seq, &hash))
    }

    /// Checks a checkpoint line from the log against the chain: it must be signed with the
    /// audit key, and the entry it saw must still be there with the hash it saw.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn verify_audit_checkpoint(
        &self,
        actor: &Actor,
        line: &str,
    ) -> Result<ChainReport, AppError> {
        authorise(actor, Action::ReadAuditTrail, &Resource::ANY)?;
        let (seq, hash) = read_checkpoint(self.audit_key(), line)
            .map_err(|e| AppError::field("checkpoint", e.to_string()))?;
        let mut tx = self.db().read().await?;
        let (head, _) = audit::head(&mut tx).await?;
        let entry = audit::entry(&mut tx, seq).await?;
        tx.commit().await?;
        let broken = |at: i64, reason: &str| ChainReport::Broken {
            seq: at,
            reason: reason.to_owned(),
        };
        Ok(match entry {
            _ if head < seq => broken(
                head + 1,
                &format!("the newest entries were cut away: the checkpoint saw {seq} entries, the trail now ends at {head}"),
            ),
            None => broken(seq, "the entry the checkpoint saw is missing"),
            Some(e) if e.hash != hash => broken(seq, "the entry is not the one the checkpoint saw"),
            Some(_) => ChainReport::Intact { entries: seq },
        })
    }

    /// Checks the whole chain from the first entry to the head: each entry links to the one
    /// before, and its hash is right (keyed with the audit key from the entry that keyed the
    /// chain on). The first entry that does not check out is named.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn verify_audit_chain(&self, actor: &Actor) -> Result<ChainReport, AppError> {
        authorise(actor, Action::ReadAuditTrail, &Resource::ANY)?;
        self.flush_audit().await;
        let mut tx = self.db().read().await?;
        let (head_seq, head_hash) = audit::head(&mut tx).await?;
        let keyed_from = audit::keyed_from(&mut tx).await?;
        if head_seq > 0 && keyed_from.is_none() {
            return Ok(ChainReport::Broken {
                seq: 1,
                reason:
                    "the trail was never keyed with an audit key: start coproduce once with its key"
                        .into(),
            });
        }
        let mut prev = GENESIS.to_owned();
        let mut expected_seq = 1;
        loop {
            let batch = audit::oldest_after(&mut tx, expected_seq - 1, 1000).await?;
            if batch.is_empty() {
                break;
            }
            for row in batch {
                if let Some(reason) = self.check_entry(&row, &prev, expected_seq, keyed_from) {
                    return Ok(ChainReport::Broken {
                        seq: row.seq,
                        reason,
                    });
                }
                prev = row.hash;
                expected_seq += 1;
            }
        }
        tx.commit().await?;
        let entries = expected_seq - 1;
        // The chain's own record of where the key starts is a column anyone with the database
        // can change: moved past the head, every entry would be checked as plain SHA-256.
        if let Some(from) = keyed_from.filter(|&from| from > entries) {
            return Ok(ChainReport::Broken {
                seq: from,
                reason: "the trail says it was keyed at an entry that is not there".to_owned(),
            });
        }
        if entries != head_seq || prev != head_hash {
            return Ok(ChainReport::Broken {
                seq: entries + 1,
                reason: "the newest entries are missing".to_owned(),
            });
        }
        Ok(ChainReport::Intact { entries })
    }

    /// What is wrong with one entry, if anything.
    fn check_entry(
        &self,
        row: &AuditRow,
        prev: &str,
        expected_seq: i64,
        keyed_from: Option<i64>,
    ) -> Option<String> {
        let key = self.audit_key();
        if row.seq != expected_seq {
            return Some("an entry before this one is missing".into());
        }
        if row.prev_hash != prev {
            return Some("it does not link to the entry before".into());
        }
        if row.action == KEYED_ACTION && keyed_from != Some(row.seq) {
            return Some("the chain was keyed at this entry, and the trail says otherwise".into());
        }
        let keyed = keyed_from.is_some_and(|from| row.seq >= from);
        if keyed_from == Some(row.seq) {
            let named = format!("key:{}", key.id());
            if row.action != KEYED_ACTION {
                return Some(
                    "the chain should be keyed from here, and this entry did not key it".into(),
                );
            }
            if row.detail != named {
                return Some(format!(
                    "the chain was keyed here with audit key {}, and the key given is {}",
                    row.detail.trim_start_matches("key:"),
                    key.id()
                ));
            }
        }
        let hash = if keyed {
            chain_mac(key, prev, row.seq, &row.entry())
        } else {
            chain_hash(prev, row.seq, &row.entry())
        };
        (hash != row.hash).then(|| "its content was changed after it was written".into())
    }
}

impl App {
    /// Appends an audit entry about `object`, now, in the caller's transaction.
    pub(crate) async fn audit(
        &self,
        tx: &mut coproduce_store::Tx,
        actor: &Actor,
        action: AuditEvent,
        object: &str,
        detail: &str,
    ) -> Result<(), AppError> {
        record(
            tx,
            self.audit_key(),
            actor,
            self.now(),
            action,
            object,
            detail,
        )
        .await
    }
}

/// Appends an audit entry about `object` (`group:12`, `person:3`) in the caller's transaction.
pub(crate) async fn record(
    tx: &mut coproduce_store::Tx,
    key: &coproduce_domain::audit::AuditKey,
    actor: &Actor,
    now: coproduce_domain::Timestamp,
    action: AuditEvent,
    object: &str,
    detail: &str,
) -> Result<(), AppError> {
    coproduce_store::audit::append(
        tx,
        key,
        &coproduce_domain::audit::Entry {
            at: now.millis(),
            actor: &actor.audit_name(),
            action: action.code(),
            object: Some(object),
            detail,
        },
    )
    .await?;
    Ok(())
}
