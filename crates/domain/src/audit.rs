//! The audit trail's chain. Each entry carries an HMAC-SHA256, keyed with a key kept out of
//! the database, over the one before and its own content: someone who can write the database
//! but not read the key cannot rewrite an entry and recompute what follows. Entries written
//! before the chain was keyed carry a plain SHA-256 ([`chain_hash`]); the entry that keyed it
//! ([`KEYED_ACTION`]) names the key, and everything from it on is keyed.

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use std::fmt;

/// The action of the entry from which the chain is keyed; its detail is `key:{id}`.
pub const KEYED_ACTION: &str = crate::AuditEvent::AuditKeyed.code();

/// The key the chain is keyed with: 32 or more random bytes. Its `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct AuditKey(Vec<u8>);

/// Why a key could not be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("an audit key is 64 or more hexadecimal digits (32 or more bytes)")]
pub struct BadAuditKey;

impl AuditKey {
    /// A fresh key from the operating system's random source.
    pub fn generate() -> AuditKey {
        use rand::RngCore;
        let mut bytes = vec![0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        AuditKey(bytes)
    }

    /// Reads a key written as hexadecimal (as a key file holds it; spaces and new lines around
    /// it are ignored).
    pub fn parse(text: &str) -> Result<AuditKey, BadAuditKey> {
        let bytes = hex::decode(text.trim()).map_err(|_| BadAuditKey)?;
        if bytes.len() < 32 {
            return Err(BadAuditKey);
        }
        Ok(AuditKey(bytes))
    }

    /// The key as a key file holds it.
    pub fn to_hex(&self) -> String {
        hex::encode(&self.0)
    }

    /// A name for the key that is safe to show and store: it tells keys apart, and says
    /// nothing of the key.
    pub fn id(&self) -> String {
        let mut h = Sha256::new();
        h.update(b"coproduce audit key id\0");
        h.update(&self.0);
        hex::encode(h.finalize())[..16].to_owned()
    }

    fn mac(&self) -> Hmac<Sha256> {
        <Hmac<Sha256> as Mac>::new_from_slice(&self.0)
            .unwrap_or_else(|_| unreachable!("HMAC takes a key of any length"))
    }
}

impl fmt::Debug for AuditKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "AuditKey({})", self.id())
    }
}

/// The hash before the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One audit entry's content.
#[derive(Clone, Copy, Debug)]
pub struct Entry<'a> {
    /// When, in UTC milliseconds.
    pub at: i64,
    /// Who: `staff:12`, `token:3`, `cli`, `anonymous`.
    pub actor: &'a str,
    /// What they did, e.g. `sign_in`.
    pub action: &'a str,
    /// What they did it to, e.g. `staff:7`.
    pub object: Option<&'a str>,
    /// Anything else worth knowing (never a secret).
    pub detail: &'a str,
}

/// The fields an entry's hash covers, each with its length written before it so no two
/// different entries can hash alike.
fn feed(update: &mut dyn FnMut(&[u8]), prev_hash: &str, seq: i64, entry: &Entry<'_>) {
    let at = entry.at.to_string();
    let seq = seq.to_string();
    let fields: [&str; 7] = [
        prev_hash,
        &seq,
        &at,
        entry.actor,
        entry.action,
        entry.object.unwrap_or("\u{0}"),
        entry.detail,
    ];
    for field in fields {
        update(&(field.len() as u64).to_be_bytes());
        update(field.as_bytes());
    }
}

/// An entry's hash from before the chain was keyed: SHA-256 over the previous hash, its place
/// and its content.
pub fn chain_hash(prev_hash: &str, seq: i64, entry: &Entry<'_>) -> String {
    let mut h = Sha256::new();
    feed(&mut |b| h.update(b), prev_hash, seq, entry);
    hex::encode(h.finalize())
}

/// An entry's keyed hash: HMAC-SHA256 with the audit key over what [`chain_hash`] covers.
pub fn chain_mac(key: &AuditKey, prev_hash: &str, seq: i64, entry: &Entry<'_>) -> String {
    let mut m = key.mac();
    feed(&mut |b| m.update(b), prev_hash, seq, entry);
    hex::encode(m.finalize().into_bytes())
}

/// What a checkpoint line begins with.
const CHECKPOINT: &str = "coproduce-audit-checkpoint:v1";

/// A checkpoint for the log: the head's place and hash, signed with the key, so a copy of the
/// log shows whether the newest entries were later cut away.
pub fn checkpoint(key: &AuditKey, seq: i64, hash: &str) -> String {
    format!(
        "{CHECKPOINT}:{seq}:{hash}:{}",
        checkpoint_mac(key, seq, hash)
    )
}

fn checkpoint_mac(key: &AuditKey, seq: i64, hash: &str) -> String {
    let mut m = key.mac();
    m.update(format!("checkpoint\0{seq}\0{hash}").as_bytes());
    hex::encode(m.finalize().into_bytes())
}

/// Why a checkpoint line was not accepted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CheckpointProblem {
    /// The line holds no checkpoint.
    #[error("the line holds no audit checkpoint")]
    Missing,
    /// The checkpoint was not signed with this key (made up, altered, or another key's).
    #[error("the checkpoint was not signed with this audit key")]
    BadSignature,
}

/// Reads the checkpoint in a log line (anything around it is ignored) and checks its signature;
/// returns the place and hash it saw.
pub fn read_checkpoint(key: &AuditKey, line: &str) -> Result<(i64, String), CheckpointProblem> {
    let start = line.find(CHECKPOINT).ok_or(CheckpointProblem::Missing)?;
    let token = line[start + CHECKPOINT.len()..]
        .split(|c: char| c.is_whitespace() || c == '"')
        .next()
        .unwrap_or("");
    let mut parts = token.trim_start_matches(':').split(':');
    let (Some(seq), Some(hash), Some(mac)) = (parts.next(), parts.next(), parts.next()) else {
        return Err(CheckpointProblem::Missing);
    };
    let seq: i64 = seq.parse().map_err(|_| CheckpointProblem::Missing)?;
    if !crate::secret::constant_time_eq(&checkpoint_mac(key, seq, hash), mac) {
        return Err(CheckpointProblem::BadSignature);
    }
    Ok((seq, hash.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(detail: &str) -> Entry<'_> {
        Entry {
            at: 1,
            actor: "cli",
            action: "staff_add",
            object: Some("staff:1"),
            detail,
        }
    }

    #[test]
    fn any_change_to_an_entry_or_its_place_changes_the_hash() {
        let base = chain_hash(GENESIS, 1, &entry("x"));
        assert_eq!(base, chain_hash(GENESIS, 1, &entry("x")));
        assert_ne!(base, chain_hash(GENESIS, 2, &entry("x")));
        assert_ne!(base, chain_hash(&base, 1, &entry("x")));
        assert_ne!(base, chain_hash(GENESIS, 1, &entry("y")));
        let none = Entry {
            object: None,
            ..entry("x")
        };
        assert_ne!(base, chain_hash(GENESIS, 1, &none));
    }

    #[test]
    fn a_keyed_hash_needs_the_key_and_the_key_never_prints() {
        let key = AuditKey::parse(&"ab".repeat(32)).unwrap();
        let other = AuditKey::generate();
        let mac = chain_mac(&key, GENESIS, 1, &entry("x"));
        assert_eq!(mac, chain_mac(&key, GENESIS, 1, &entry("x")));
        assert_ne!(mac, chain_mac(&other, GENESIS, 1, &entry("x")));
        assert_ne!(mac, chain_hash(GENESIS, 1, &entry("x")));
        assert_ne!(mac, chain_mac(&key, GENESIS, 1, &entry("y")));
        assert!(!format!("{key:?}").contains("abab"));
        assert_eq!(AuditKey::parse(&key.to_hex()).unwrap(), key);
        assert_eq!(AuditKey::parse("abcd"), Err(BadAuditKey));
        assert_ne!(key.id(), other.id());
    }

    #[test]
    fn checkpoints_are_read_from_a_log_line_and_need_the_key() {
        let key = AuditKey::generate();
        let line = format!(
            "2026-12-01T10:00:00Z  INFO coproduce: audit checkpoint checkpoint={}",
            checkpoint(&key, 42, "beef")
        );
        assert_eq!(read_checkpoint(&key, &line), Ok((42, "beef".to_owned())));
        let moved = line.replace(":42:", ":41:");
        assert_eq!(
            read_checkpoint(&key, &moved),
            Err(CheckpointProblem::BadSignature)
        );
        assert_eq!(
            read_checkpoint(&AuditKey::generate(), &line),
            Err(CheckpointProblem::BadSignature)
        );
        assert_eq!(
            read_checkpoint(&key, "nothing here"),
            Err(CheckpointProblem::Missing)
        );
    }
}
