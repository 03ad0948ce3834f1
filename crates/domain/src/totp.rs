//! Time-based one-time passwords (RFC 6238): the second factor staff sign in with.

use hmac::{Hmac, Mac};
use rand::RngCore;
use sha1::Sha1;
use std::fmt;

/// Seconds each code lasts.
pub const STEP_SECONDS: i64 = 30;

/// The shared secret an authenticator app holds. Its `Debug` never prints it.
#[derive(Clone, PartialEq, Eq)]
pub struct TotpSecret(Vec<u8>);

impl TotpSecret {
    /// A fresh 160-bit secret.
    pub fn generate() -> TotpSecret {
        let mut bytes = vec![0u8; 20];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        TotpSecret(bytes)
    }

    /// Reads a secret from its base32 form (spaces and case ignored).
    pub fn from_base32(text: &str) -> Option<TotpSecret> {
        let cleaned: String = text
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '=')
            .map(|c| c.to_ascii_uppercase())
            .collect();
        let bytes = data_encoding::BASE32_NOPAD
            .decode(cleaned.as_bytes())
            .ok()?;
        (bytes.len() >= 10).then_some(TotpSecret(bytes))
    }

    /// The base32 form, to type into an authenticator app or to store.
    pub fn to_base32(&self) -> String {
        data_encoding::BASE32_NOPAD.encode(&self.0)
    }

    /// The `otpauth://` address an authenticator app reads from a QR code.
    pub fn otpauth_url(&self, issuer: &str, account: &str) -> String {
        let enc = |s: &str| -> String {
            s.bytes()
                .map(|b| match b {
                    b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                        (b as char).to_string()
                    }
                    _ => format!("%{b:02X}"),
                })
                .collect()
        };
        format!(
            "otpauth://totp/{}:{}?secret={}&issuer={}&algorithm=SHA1&digits=6&period={}",
            enc(issuer),
            enc(account),
            self.to_base32(),
            enc(issuer),
            STEP_SECONDS
        )
    }

    /// The six-digit code for a time step.
    pub fn code_at_step(&self, step: i64) -> String {
        let Ok(mut mac) = Hmac::<Sha1>::new_from_slice(&self.0) else {
            return String::new();
        };
        mac.update(&step.to_be_bytes());
        let digest = mac.finalize().into_bytes();
        let offset = usize::from(digest[19] & 0x0f);
        let binary = u32::from_be_bytes([
            digest[offset] & 0x7f,
            digest[offset + 1],
            digest[offset + 2],
            digest[offset + 3],
        ]);
        format!("{:06}", binary % 1_000_000)
    }

    /// Checks a typed code against the step for `unix_seconds` and one step either side, for
    /// clock drift. A code from a step at or before `last_used_step` is refused, so a code
    /// seen over someone's shoulder cannot be used again. Returns the step that matched.
    pub fn verify(
        &self,
        typed: &str,
        unix_seconds: i64,
        last_used_step: Option<i64>,
    ) -> Option<i64> {
        let typed: String = typed.chars().filter(|c| !c.is_whitespace()).collect();
        if typed.len() != 6 || !typed.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        let now = unix_seconds.div_euclid(STEP_SECONDS);
        (now - 1..=now + 1)
            .filter(|step| last_used_step.is_none_or(|last| *step > last))
            .find(|step| crate::secret::constant_time_eq(&self.code_at_step(*step), &typed))
    }
}

impl fmt::Debug for TotpSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TotpSecret(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rfc_secret() -> TotpSecret {
        TotpSecret(b"12345678901234567890".to_vec())
    }

    #[test]
    fn codes_match_the_rfc_6238_test_vectors() {
        // RFC 6238 appendix B (SHA-1), last six of the eight digits.
        assert_eq!(rfc_secret().code_at_step(59 / 30), "287082");
        assert_eq!(rfc_secret().code_at_step(1_111_111_109 / 30), "081804");
        assert_eq!(rfc_secret().code_at_step(2_000_000_000 / 30), "279037");
    }

    #[test]
    fn a_code_is_accepted_once_and_within_one_step_of_drift() {
        let s = rfc_secret();
        let code = s.code_at_step(1_111_111_109 / 30);
        let step = s.verify(&code, 1_111_111_109, None).unwrap();
        assert_eq!(s.verify(&code, 1_111_111_109 + 30, None), Some(step));
        assert_eq!(s.verify(&code, 1_111_111_109 + 90, None), None);
        assert_eq!(s.verify(&code, 1_111_111_109, Some(step)), None);
        assert_eq!(s.verify("12345", 1_111_111_109, None), None);
        assert_eq!(s.verify("abcdef", 1_111_111_109, None), None);
    }

    #[test]
    fn secrets_round_trip_through_base32() {
        let s = TotpSecret::generate();
        assert_eq!(
            TotpSecret::from_base32(&s.to_base32().to_lowercase()),
            Some(s.clone())
        );
        assert!(s.otpauth_url("coproduce", "a@b.org").contains("a%40b.org"));
        assert!(!format!("{s:?}").contains(&s.to_base32()));
    }
}
