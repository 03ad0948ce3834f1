//! The audit trail's hash chain.

use sha2::{Digest, Sha256};

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

/// An entry's hash: SHA-256 over the previous hash, its place and its content, with each
/// field's length written before it so no two different entries can hash alike.
pub fn chain_hash(prev_hash: &str, seq: i64, entry: &Entry<'_>) -> String {
    let mut h = Sha256::new();
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
        h.update((field.len() as u64).to_be_bytes());
        h.update(field.as_bytes());
    }
    hex::encode(h.finalize())
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
}
