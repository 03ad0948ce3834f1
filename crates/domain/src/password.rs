//! Staff passwords: the rules a new one must pass.

use std::fmt;

/// The fewest characters a password may have.
pub const MIN_LENGTH: usize = 12;
/// The most characters a password may have (long passphrases are welcome).
pub const MAX_LENGTH: usize = 128;

/// A password that passed the rules. Its `Debug` never prints it.
#[derive(Clone)]
pub struct NewPassword(String);

/// Why a password was refused, in words to show the person choosing it.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PasswordError {
    /// Too short.
    #[error("Password must be {MIN_LENGTH} characters or more")]
    TooShort,
    /// Too long.
    #[error("Password must be {MAX_LENGTH} characters or fewer")]
    TooLong,
    /// Found in lists of common passwords, or easy to guess from the person's own details.
    #[error("Password is too common or easy to guess. Try three or four random words together")]
    Common,
}

impl NewPassword {
    /// Checks a new password. `personal` holds words an attacker could guess it from: the
    /// person's name and email address.
    pub fn parse(input: &str, personal: &[&str]) -> Result<NewPassword, PasswordError> {
        let length = input.chars().count();
        if length < MIN_LENGTH {
            return Err(PasswordError::TooShort);
        }
        if length > MAX_LENGTH {
            return Err(PasswordError::TooLong);
        }
        // The person's own name or email address, however written, is the first thing tried.
        let folded = fold(input);
        let personal_words = personal
            .iter()
            .flat_map(|p| [fold(p), fold(p.split('@').next().unwrap_or(""))])
            .filter(|p| p.len() >= 4);
        for word in personal_words {
            if folded.contains(&word) {
                return Err(PasswordError::Common);
            }
        }
        // zxcvbn matches against frequency lists of common passwords, names and words,
        // plus keyboard patterns, sequences and repeats.
        let estimate = zxcvbn::zxcvbn(input, personal);
        if (estimate.score() as u8) < 3 {
            return Err(PasswordError::Common);
        }
        Ok(NewPassword(input.to_owned()))
    }

    /// The password, to hash.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// Lower case, letters and digits only: "Alex Morgan" and "alex.morgan" both become "alexmorgan".
fn fold(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

impl fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("NewPassword(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_limits_are_enforced() {
        assert_eq!(
            NewPassword::parse("short", &[]).err(),
            Some(PasswordError::TooShort)
        );
        let long = "correct horse battery staple ".repeat(5);
        assert_eq!(
            NewPassword::parse(&long, &[]).err(),
            Some(PasswordError::TooLong)
        );
        let sixty_four = "kettle lantern orchard velvet ".repeat(3)[..64].to_owned();
        assert!(NewPassword::parse(&sixty_four, &[]).is_ok());
    }

    #[test]
    fn common_and_personal_passwords_are_refused() {
        for common in [
            "password1234",
            "123456789012",
            "qwertyuiop123",
            "iloveyou1234",
        ] {
            assert_eq!(
                NewPassword::parse(common, &[]).err(),
                Some(PasswordError::Common),
                "{common}"
            );
        }
        assert_eq!(
            NewPassword::parse(
                "AlexMorgan!Harbour",
                &["Alex Morgan", "alex.morgan@example.org"]
            )
            .err(),
            Some(PasswordError::Common)
        );
        assert!(NewPassword::parse("tulip marble seventeen harbour", &[]).is_ok());
    }
}
