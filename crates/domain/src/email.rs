//! Email addresses.

use serde::{Serialize, Serializer};
use std::fmt;

/// An email address, trimmed and lower-cased so that one person has one address.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Email(String);

/// Why an email address was refused, in words to show the person who typed it.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum EmailError {
    /// Nothing was typed.
    #[error("Enter an email address")]
    Empty,
    /// It is not shaped like an email address.
    #[error("Enter an email address in the correct format, like name@example.com")]
    Format,
    /// It is longer than any real address.
    #[error("Email address must be 254 characters or fewer")]
    TooLong,
}

impl Email {
    /// Reads an email address as a person typed it.
    pub fn parse(input: &str) -> Result<Email, EmailError> {
        let s = input.trim();
        if s.is_empty() {
            return Err(EmailError::Empty);
        }
        if s.len() > 254 {
            return Err(EmailError::TooLong);
        }
        let (local, domain) = s.rsplit_once('@').ok_or(EmailError::Format)?;
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && domain
                .chars()
                .all(|c| c.is_alphanumeric() || c == '-' || c == '.');
        let local_ok = !local.is_empty()
            && local.len() <= 64
            && !local.contains(char::is_whitespace)
            && !local.contains('@');
        if !domain_ok || !local_ok {
            return Err(EmailError::Format);
        }
        Ok(Email(s.to_lowercase()))
    }

    /// The address as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for Email {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_trimmed_and_lower_cased() {
        assert_eq!(
            Email::parse("  Sam.Jones@Example.NHS.uk ")
                .unwrap()
                .as_str(),
            "sam.jones@example.nhs.uk"
        );
    }

    #[test]
    fn malformed_addresses_are_refused_with_a_reason() {
        assert_eq!(Email::parse(""), Err(EmailError::Empty));
        assert_eq!(Email::parse("sam"), Err(EmailError::Format));
        assert_eq!(Email::parse("sam@localhost"), Err(EmailError::Format));
        assert_eq!(
            Email::parse("sam jones@example.org"),
            Err(EmailError::Format)
        );
        assert_eq!(Email::parse("sam@example..org"), Err(EmailError::Format));
        let long = format!("{}@example.org", "a".repeat(250));
        assert_eq!(Email::parse(&long), Err(EmailError::TooLong));
    }
}
