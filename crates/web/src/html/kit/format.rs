//! How stored moments and dates read on a page (the conversions live in `domain::time`).

use coproduce_domain::meetings::Meeting;
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
    (m.id, heading, m.status == "cancelled")
}
