//! Writing iCalendar (RFC 5545) feeds that Outlook, Google and Apple calendars import: events in
//! Europe/London time with its `VTIMEZONE`, stable `UID`s, `SEQUENCE` and cancellations.

use chrono::{DateTime, Utc};
use chrono_tz::Europe::London;

/// One event in a feed.
#[derive(Clone, Debug)]
pub struct Event {
    /// Stable for the life of the meeting, e.g. `meeting-12@coproduce.example`.
    pub uid: String,
    /// How many times it changed.
    pub sequence: i64,
    /// Start.
    pub starts_at: DateTime<Utc>,
    /// End.
    pub ends_at: DateTime<Utc>,
    /// Title.
    pub summary: String,
    /// Joining details and anything else worth knowing.
    pub description: String,
    /// Where (a venue, or the video link).
    pub location: String,
    /// A link back to the meeting's page.
    pub url: String,
    /// Whether it was cancelled.
    pub cancelled: bool,
}

/// The Europe/London time zone since 1996: GMT from the last Sunday in October, BST from the
/// last Sunday in March, both at 01:00 UTC.
const LONDON: &str = "BEGIN:VTIMEZONE\r\n\
TZID:Europe/London\r\n\
BEGIN:DAYLIGHT\r\n\
TZOFFSETFROM:+0000\r\n\
TZOFFSETTO:+0100\r\n\
TZNAME:BST\r\n\
DTSTART:19700329T010000\r\n\
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\n\
END:DAYLIGHT\r\n\
BEGIN:STANDARD\r\n\
TZOFFSETFROM:+0100\r\n\
TZOFFSETTO:+0000\r\n\
TZNAME:GMT\r\n\
DTSTART:19701025T020000\r\n\
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\n\
END:STANDARD\r\n\
END:VTIMEZONE\r\n";

/// Escapes text for a property value: backslash, semicolon, comma and line breaks.
fn escape(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains(['\\', ';', ',', '\n', '\r']) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Adds a content line, folded so no line is longer than 75 octets (continuations start with a
/// space), never splitting a character.
fn line(out: &mut String, content: &str) {
    if content.len() <= 75 {
        out.push_str(content);
        out.push_str("\r\n");
        return;
    }
    let mut width = 0;
    for c in content.chars() {
        let len = c.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out.push_str("\r\n");
}

/// Adds `NAME:value` as a content line, folded; `scratch` is reused between lines.
fn property(out: &mut String, scratch: &mut String, name: &str, value: &str) {
    scratch.clear();
    scratch.push_str(name);
    scratch.push(':');
    scratch.push_str(value);
    line(out, scratch);
}

/// A moment as iCalendar writes it, `YYYYMMDDTHHMMSS`, in `tz` (with `Z` for UTC).
fn stamp<Tz: chrono::TimeZone>(out: &mut String, t: DateTime<Tz>, zulu: bool) {
    use chrono::{Datelike, Timelike};
    use std::fmt::Write;
    let _ = write!(
        out,
        "{:04}{:02}{:02}T{:02}{:02}{:02}{}",
        t.year(),
        t.month(),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        if zulu { "Z" } else { "" }
    );
}

/// A whole calendar: its name and events, stamped `now`.
pub fn calendar(name: &str, events: &[Event], now: DateTime<Utc>) -> String {
    let mut out = String::with_capacity(1024 + events.len() * 512);
    let mut scratch = String::with_capacity(256);
    line(&mut out, "BEGIN:VCALENDAR");
    line(&mut out, "VERSION:2.0");
    line(&mut out, "PRODID:-//coproduce//meetings//EN");
    line(&mut out, "CALSCALE:GREGORIAN");
    line(&mut out, "METHOD:PUBLISH");
    property(&mut out, &mut scratch, "X-WR-CALNAME", &escape(name));
    line(&mut out, "X-WR-TIMEZONE:Europe/London");
    out.push_str(LONDON);
    let mut dtstamp = String::from("DTSTAMP:");
    stamp(&mut dtstamp, now, true);
    for e in events {
        line(&mut out, "BEGIN:VEVENT");
        property(&mut out, &mut scratch, "UID", &escape(&e.uid));
        line(&mut out, &dtstamp);
        scratch.clear();
        let _ = std::fmt::Write::write_fmt(&mut scratch, format_args!("SEQUENCE:{}", e.sequence));
        line(&mut out, &scratch);
        scratch.clear();
        scratch.push_str("DTSTART;TZID=Europe/London:");
        stamp(&mut scratch, e.starts_at.with_timezone(&London), false);
        line(&mut out, &scratch);
        scratch.clear();
        scratch.push_str("DTEND;TZID=Europe/London:");
        stamp(&mut scratch, e.ends_at.with_timezone(&London), false);
        line(&mut out, &scratch);
        property(&mut out, &mut scratch, "SUMMARY", &escape(&e.summary));
        if !e.description.is_empty() {
            property(
                &mut out,
                &mut scratch,
                "DESCRIPTION",
                &escape(&e.description),
            );
        }
        if !e.location.is_empty() {
            property(&mut out, &mut scratch, "LOCATION", &escape(&e.location));
        }
        if !e.url.is_empty() {
            property(&mut out, &mut scratch, "URL", &e.url);
        }
        line(
            &mut out,
            if e.cancelled {
                "STATUS:CANCELLED"
            } else {
                "STATUS:CONFIRMED"
            },
        );
        line(&mut out, "END:VEVENT");
    }
    line(&mut out, "END:VCALENDAR");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_long_lines_fold_at_75_octets_without_splitting_characters() {
        assert_eq!(escape("a;b,c\\d\ne"), "a\\;b\\,c\\\\d\\ne");
        let mut out = String::new();
        let long = format!("DESCRIPTION:{}", "é".repeat(60));
        line(&mut out, &long);
        for l in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(l.len() <= 75, "{} octets", l.len());
        }
        let unfolded = out.replace("\r\n ", "");
        assert_eq!(unfolded.trim_end(), long);
    }

    #[test]
    fn events_are_in_london_time_with_the_zone_and_cancellations_say_so() {
        let start = DateTime::parse_from_rfc3339("2027-07-06T09:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let e = Event {
            uid: "meeting-1@example.org".into(),
            sequence: 2,
            starts_at: start,
            ends_at: start + chrono::Duration::hours(1),
            summary: "Forum, weekly".into(),
            description: "Join: https://zoom.us/j/1".into(),
            location: String::new(),
            url: "https://example.org/groups/1".into(),
            cancelled: true,
        };
        let ics = calendar("Forum", &[e], start);
        assert!(
            ics.contains("DTSTART;TZID=Europe/London:20270706T100000\r\n"),
            "10:00 BST"
        );
        assert!(ics.contains("BEGIN:VTIMEZONE\r\nTZID:Europe/London\r\n"));
        assert!(ics.contains("SEQUENCE:2\r\n") && ics.contains("STATUS:CANCELLED\r\n"));
        assert!(ics.contains("SUMMARY:Forum\\, weekly\r\n"));
        assert!(ics.ends_with("END:VCALENDAR\r\n"));
    }
}
