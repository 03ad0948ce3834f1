//! Enquiries from the public: where each one is, when it must be answered by, and the form key
//! that makes a double submit one enquiry and tells how long the form took to fill in.

use crate::Timestamp;
use chrono::{Datelike, NaiveDate, Weekday};

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

/// The fewest seconds a person could fill the form in; anything quicker is a machine.
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

/// A fresh form key: when the form was shown, then a random part. The same key sent twice is
/// the same enquiry.
pub fn form_key(shown: Timestamp, random: &str) -> String {
    format!("{}.{random}", shown.millis())
}

/// Why a form's key was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyProblem {
    /// Not in the shape this server makes keys (the time is not signed: the per-address limit
    /// is what holds back a machine that learns the shape).
    Unreadable,
    /// Sent back sooner than a person could fill the form in.
    TooQuick,
    /// Shown too long ago.
    TooOld,
}

/// Checks a form key against the time it is sent back.
pub fn check_form_key(key: &str, now: Timestamp) -> Result<(), KeyProblem> {
    let (shown, random) = key.split_once('.').ok_or(KeyProblem::Unreadable)?;
    let shown: i64 = shown.parse().map_err(|_| KeyProblem::Unreadable)?;
    if random.len() < 16 || random.len() > 128 || !random.chars().all(|c| c.is_ascii_alphanumeric())
    {
        return Err(KeyProblem::Unreadable);
    }
    let age = now.millis() - shown;
    if age < MIN_FILL_SECONDS * 1000 {
        Err(KeyProblem::TooQuick)
    } else if age > FORM_LIFETIME_HOURS * 3_600_000 {
        Err(KeyProblem::TooOld)
    } else {
        Ok(())
    }
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
    fn form_keys_must_be_ours_and_neither_too_quick_nor_too_old() {
        let shown = Timestamp(1_800_000_000_000);
        let key = form_key(shown, "abcdefghijklmnop1234");
        assert_eq!(check_form_key(&key, shown), Err(KeyProblem::TooQuick));
        assert_eq!(
            check_form_key(&key, Timestamp(shown.0 + 2_999)),
            Err(KeyProblem::TooQuick)
        );
        assert_eq!(check_form_key(&key, Timestamp(shown.0 + 3_000)), Ok(()));
        assert_eq!(
            check_form_key(&key, shown.plus_days(2)),
            Err(KeyProblem::TooOld)
        );
        for bad in [
            "",
            "abc",
            "12.short",
            "x.abcdefghijklmnop1234",
            "1.abcdefghijklmnop<>",
        ] {
            assert_eq!(
                check_form_key(bad, shown),
                Err(KeyProblem::Unreadable),
                "{bad}"
            );
        }
    }
}
