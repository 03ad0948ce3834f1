//! The organisation coproduce is run for: its name, how people reach its participation team, its
//! public site and its logo. They appear on every page and in every message; the product's own
//! name is left to the "powered by" line.

use crate::logo::LogoKind;
use crate::people::{phone_text, UkPhone};
use crate::Email;

/// The name shown until an admin sets one.
pub const UNNAMED: &str = "coproduce";

/// The organisation's details.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Organisation {
    /// Its name, as people know it.
    pub name: String,
    /// The participation team's email address.
    pub contact_email: Option<Email>,
    /// The participation team's phone number.
    pub contact_phone: Option<UkPhone>,
    /// The organisation's public website.
    pub public_address: Option<String>,
    /// Its logo's kind and a tag that changes whenever the logo does, if it has one.
    pub logo: Option<(LogoKind, String)>,
}

impl Default for Organisation {
    fn default() -> Organisation {
        Organisation {
            name: UNNAMED.to_owned(),
            contact_email: None,
            contact_phone: None,
            public_address: None,
            logo: None,
        }
    }
}

impl Organisation {
    /// The phone number as people read it, if there is one.
    pub fn phone_text(&self) -> Option<String> {
        self.contact_phone.as_ref().map(|p| phone_text(p.as_str()))
    }

    /// The lines that end every message: who it is from and how to reach them.
    pub fn sign_off(&self, easy_read: bool) -> String {
        let mut lines = vec![if easy_read {
            format!("From the participation team at {}.", self.name)
        } else {
            format!("The participation team, {}", self.name)
        }];
        if let Some(phone) = self.phone_text() {
            lines.push(if easy_read {
                format!("You can phone us on {phone}.")
            } else {
                format!("Phone: {phone}")
            });
        }
        if let Some(email) = &self.contact_email {
            lines.push(if easy_read {
                format!("You can email us at {email}.")
            } else {
                format!("Email: {email}")
            });
        }
        if let Some(site) = &self.public_address {
            lines.push(site.clone());
        }
        lines.join("\n")
    }
}

/// Reads the public site's address: an https address.
pub fn parse_public_address(text: &str) -> Result<String, &'static str> {
    crate::text::https_address(
        text,
        "Enter the website's address starting with https://",
        "Enter the website's address like https://www.example.nhs.uk",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_is_signed_with_the_team_and_how_to_reach_them() {
        let org = Organisation {
            name: "Harbourside Trust".into(),
            contact_email: Email::parse("involve@harbourside.example").ok(),
            contact_phone: UkPhone::parse("023 9200 0333").ok(),
            public_address: Some("https://harbourside.example".into()),
            logo: None,
        };
        assert_eq!(
            org.sign_off(false),
            "The participation team, Harbourside Trust\nPhone: 023 9200 0333\nEmail: involve@harbourside.example\nhttps://harbourside.example"
        );
        assert!(org
            .sign_off(true)
            .starts_with("From the participation team at Harbourside Trust."));
        assert_eq!(
            Organisation::default().sign_off(false),
            "The participation team, coproduce"
        );
        assert!(parse_public_address("http://x.example").is_err());
    }
}
