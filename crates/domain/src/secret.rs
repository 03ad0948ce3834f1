//! Random tokens that act as keys: session cookies, API tokens, one-time links.

use rand::RngCore;
use sha2::{Digest, Sha256};
use std::fmt;

/// A random 256-bit token. Only its hash is ever stored; its `Debug` never prints it.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretToken(String);

impl SecretToken {
    /// A fresh token from the operating system's random source, with a prefix that says what it is for.
    pub fn generate(prefix: &str) -> SecretToken {
        let mut bytes = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        SecretToken(format!("{prefix}{}", hex::encode(bytes)))
    }

    /// Wraps a token presented by a client, so that it can be hashed and looked up.
    pub fn from_presented(token: &str) -> SecretToken {
        SecretToken(token.trim().to_owned())
    }

    /// The token itself, to hand to its owner once.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The SHA-256 of the token, hex-encoded: what the database keeps.
    pub fn hash(&self) -> String {
        sha256_hex(&self.0)
    }
}

/// The SHA-256 of some text, hex-encoded.
pub fn sha256_hex(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

impl fmt::Debug for SecretToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretToken(<redacted>)")
    }
}

/// Compares two secrets in time that does not depend on where they differ.
pub fn constant_time_eq(a: &str, b: &str) -> bool {
    use subtle::ConstantTimeEq;
    a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_unique_prefixed_and_never_printed() {
        let a = SecretToken::generate("cpt_");
        let b = SecretToken::generate("cpt_");
        assert_ne!(a, b);
        assert!(a.expose().starts_with("cpt_"));
        assert_eq!(a.expose().len(), 4 + 64);
        assert!(!format!("{a:?}").contains(&a.expose()[4..]));
        assert_eq!(SecretToken::from_presented(a.expose()).hash(), a.hash());
        assert_ne!(a.hash(), b.hash());
    }

    #[test]
    fn constant_time_comparison_matches_equality() {
        assert!(constant_time_eq("abc", "abc"));
        assert!(!constant_time_eq("abc", "abd"));
        assert!(!constant_time_eq("abc", "abcd"));
    }
}
