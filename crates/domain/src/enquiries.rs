//! Enquiries from the public: where each one is, when it must be answered by, and the form key
//! that makes a double submit one enquiry and tells how long the form took to fill in.

use crate::ids::{EnquiryId, OpportunityId, PersonId, StaffId};
use crate::Timestamp;
use chrono::{Datelike, NaiveDate, Weekday};
use serde::Serialize;

code_list!(
    /// Where an enquiry is. It only ever leaves `New` for a person or a reason.
    EnquiryStatus {
        /// Waiting for the team.
        New = "new", "New";
        /// Became a person.
        Converted = "converted", "Became a person";
        /// Closed, with a reason.
        Closed = "closed", "Closed";
    }
);

/// Working days the team aims to answer an enquiry in.
pub const RESPONSE_WORKING_DAYS: u32 = 5;

/// The fewest seconds a person could fill the form in; anything quicker is held for review.
pub const MIN_FILL_SECONDS: i64 = 3;

/// How long a form stays usable.
pub const FORM_LIFETIME_HOURS: i64 = 24;

/// The date `days` working days (Monday to Friday) after `from`.
pub fn working_days_after(from: NaiveDate, days: u32) -> NaiveDate {
    let mut date = from;
    let mut left = days;
    while left > 0 {
        date = date.succ_opt().unwrap_or(date);
        if !matches!(date.weekday(), Weekday::Sat | Weekday::Sun) {
            left -= 1;
        }
    }
    date
}

/// A form key, read but not yet trusted: which server secret signed it, when the form was
/// shown, a random part, and the signature over those.
///
/// Keys are `{secret}.{shown}.{random}.{mac}`, the mac an HMAC-SHA256 of the rest with the
/// secret named. A key cannot be made without the secret, so its time can be trusted: a form
/// sent back sooner than a person could fill it in is a machine's, however the key was got.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FormKey {
    /// The id of the server secret that signed it.
    pub secret_id: i64,
    shown: i64,
    random: String,
    mac: String,
}

impl FormKey {
    /// Signs a new key for a form shown at `shown`.
    pub fn sign(secret_id: i64, secret: &[u8], shown: Timestamp, random: &str) -> String {
        let body = format!("{secret_id}.{}.{random}", shown.millis());
        let mac = form_mac(secret, &body);
        format!("{body}.{mac}")
    }

    /// Reads a key's parts; anything not in the shape this server makes is unreadable.
    pub fn parse(key: &str) -> Result<FormKey, KeyProblem> {
        let mut parts = key.trim().split('.');
        let (Some(id), Some(shown), Some(random), Some(mac), None) = (
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
        ) else {
            return Err(KeyProblem::Unreadable);
        };
        let secret_id = id.parse().map_err(|_| KeyProblem::Unreadable)?;
        let shown = shown.parse().map_err(|_| KeyProblem::Unreadable)?;
        let random_ok = (16..=128).contains(&random.len())
            && random
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !random_ok || mac.len() != 64 || !mac.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(KeyProblem::Unreadable);
        }
        Ok(FormKey {
            secret_id,
            shown,
            random: random.to_owned(),
            mac: mac.to_owned(),
        })
    }

    /// Checks the signature with the secret the key names (none if that secret is unknown or
    /// retired), then the time it took.
    pub fn verify(&self, secret: Option<&[u8]>, now: Timestamp) -> Result<(), KeyProblem> {
        let secret = secret.ok_or(KeyProblem::Forged)?;
        let body = format!("{}.{}.{}", self.secret_id, self.shown, self.random);
        if !crate::secret::constant_time_eq(
            &form_mac(secret, &body),
            &self.mac.to_ascii_lowercase(),
        ) {
            return Err(KeyProblem::Forged);
        }
        let age = now.millis() - self.shown;
        if age < MIN_FILL_SECONDS * 1000 {
            Err(KeyProblem::TooQuick)
        } else if age > FORM_LIFETIME_HOURS * 3_600_000 {
            Err(KeyProblem::TooOld)
        } else {
            Ok(())
        }
    }
}

fn form_mac(secret: &[u8], body: &str) -> String {
    use hmac::{Hmac, Mac};
    let mut mac = <Hmac<sha2::Sha256> as Mac>::new_from_slice(secret)
        .unwrap_or_else(|_| unreachable!("HMAC takes a key of any length"));
    mac.update(b"coproduce form key\0");
    mac.update(body.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// Why a form's key was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyProblem {
    /// Not in the shape this server makes keys.
    Unreadable,
    /// In the shape, but not signed by one of our secrets: made up, or altered.
    Forged,
    /// Sent back sooner than a person could fill the form in.
    TooQuick,
    /// Shown too long ago.
    TooOld,
    /// Already used to send other answers.
    Used,
}

/// An enquiry with what the team has done.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "sqlx", derive(sqlx::FromRow))]
pub struct Enquiry {
    /// Id.
    pub id: EnquiryId,
    /// Their name.
    pub name: String,
    /// Email address.
    pub email: Option<String>,
    /// Phone number.
    pub phone: Option<String>,
    /// Channel codes, most preferred first.
    pub channels: String,
    /// When to contact them.
    pub best_times: String,
    /// Need codes.
    pub needs: String,
    /// Anything else about their needs.
    pub needs_notes: String,
    /// What they are interested in.
    pub interests: String,
    /// The opportunity they asked about.
    pub opportunity_id: Option<OpportunityId>,
    /// Its title.
    pub opportunity_title: Option<String>,
    /// The community group.
    pub community_group: String,
    /// New, converted or closed.
    pub status: EnquiryStatus,
    /// Who is dealing with it.
    pub assigned_to: Option<StaffId>,
    /// Their name.
    pub assigned_name: Option<String>,
    /// When the welcome call was.
    pub welcome_call_at: Option<i64>,
    /// Who made it.
    pub welcome_call_by: Option<StaffId>,
    /// What was said.
    pub welcome_call_notes: String,
    /// The person it became.
    pub person_id: Option<PersonId>,
    /// Why it was closed.
    pub closed_reason: String,
    /// The UK date it should be answered by.
    pub respond_by: String,
    /// When it came in.
    pub created_at: i64,
    /// The version, for saving against.
    pub version: i64,
    /// Sent back sooner than a person could type it (autofill does that, and so do machines):
    /// kept, and held for the team to review.
    pub sent_quickly: bool,
}

/// Someone on record with a given email address or phone number.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "sqlx", derive(sqlx::FromRow))]
pub struct Match {
    /// The person.
    pub id: PersonId,
    /// Their name.
    pub name: String,
    /// Their status.
    pub status: crate::people::PersonStatus,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
    }

    #[test]
    fn working_days_skip_weekends() {
        // Monday 23 November 2026 + 5 working days is the next Monday.
        assert_eq!(
            working_days_after(date("2026-11-23"), 5),
            date("2026-11-30")
        );
        // Friday + 1 is Monday; Saturday + 1 is Monday.
        assert_eq!(
            working_days_after(date("2026-11-27"), 1),
            date("2026-11-30")
        );
        assert_eq!(
            working_days_after(date("2026-11-28"), 1),
            date("2026-11-30")
        );
        assert_eq!(
            working_days_after(date("2026-11-25"), 0),
            date("2026-11-25")
        );
    }

    #[test]
    fn form_keys_are_signed_and_neither_too_quick_nor_too_old() {
        let shown = Timestamp(1_800_000_000_000);
        let secret = b"a secret of the server's";
        let key = FormKey::sign(3, secret, shown, "abcdefghijklmnop1234");
        let read = FormKey::parse(&key).unwrap();
        assert_eq!(read.secret_id, 3);
        let at = |ms: i64| Timestamp(shown.0 + ms);
        assert_eq!(read.verify(Some(secret), shown), Err(KeyProblem::TooQuick));
        assert_eq!(
            read.verify(Some(secret), at(2_999)),
            Err(KeyProblem::TooQuick)
        );
        assert_eq!(read.verify(Some(secret), at(3_000)), Ok(()));
        assert_eq!(
            read.verify(Some(secret), shown.plus_days(2)),
            Err(KeyProblem::TooOld)
        );
        assert_eq!(
            read.verify(Some(b"another secret"), at(5_000)),
            Err(KeyProblem::Forged)
        );
        assert_eq!(read.verify(None, at(5_000)), Err(KeyProblem::Forged));
        // Moving the time back (to skip the wait) or changing any part breaks the signature.
        let earlier = key.replace(&shown.0.to_string(), &(shown.0 - 60_000).to_string());
        let changed = FormKey::parse(&earlier).unwrap();
        assert_eq!(
            changed.verify(Some(secret), at(1_000)),
            Err(KeyProblem::Forged)
        );
        let other_random = key.replace("abcdefghijklmnop1234", "abcdefghijklmnop1235");
        assert_eq!(
            FormKey::parse(&other_random)
                .unwrap()
                .verify(Some(secret), at(5_000)),
            Err(KeyProblem::Forged)
        );
        for bad in [
            "",
            "abc",
            "1800000000000.abcdefghijklmnop1234",
            "x.1.abcdefghijklmnop1234.00",
            "3.1.abcdefghijklmnop<>.00",
            &format!("{key}.more"),
        ] {
            assert_eq!(FormKey::parse(bad), Err(KeyProblem::Unreadable), "{bad}");
        }
    }
}
