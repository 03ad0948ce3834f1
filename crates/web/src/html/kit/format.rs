//! How stored moments and dates read on a page (the conversions live in `domain::time`).

use coproduce_domain::meetings::Meeting;
use coproduce_domain::meetings::MeetingStatus;
use coproduce_domain::people::phone_text;
use coproduce_domain::time::{iso_date_text, uk_date_text, uk_moment_text};
use coproduce_domain::MeetingId;
use coproduce_domain::Timestamp;

/// A UTC moment in milliseconds as a UK date and time.
pub(crate) fn uk(ms: i64) -> String {
    uk_moment_text(Timestamp(ms))
}

/// A UTC moment in milliseconds as a UK date.
pub(crate) fn uk_date(ms: i64) -> String {
    uk_date_text(Timestamp(ms))
}

/// A stored `YYYY-MM-DD` as people read dates.
pub(crate) fn date_text(iso: &str) -> String {
    iso_date_text(iso)
}

/// A meeting as a list shows it: its id, its group or project and when, and whether it is
/// cancelled.
pub(crate) fn meeting_line(m: &Meeting) -> (MeetingId, String, bool) {
    let heading = format!("{}: {}", m.name(), uk(m.starts_at));
    (m.id, heading, m.status == MeetingStatus::Cancelled)
}

/// A stored phone number as staff see it: in the groups people read it in, with the number a
/// `tel:` link dials.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Phone {
    /// What the link dials: the stored digits.
    pub(crate) dial: String,
    /// What the page shows: `07700 900222`.
    pub(crate) text: String,
}

impl Phone {
    /// The number, or none when none is stored.
    pub(crate) fn of(stored: Option<&str>) -> Option<Phone> {
        let stored = stored.map(str::trim).filter(|s| !s.is_empty())?;
        Some(Phone {
            dial: stored
                .chars()
                .filter(|c| c.is_ascii_digit() || *c == '+')
                .collect(),
            text: phone_text(stored),
        })
    }
}
