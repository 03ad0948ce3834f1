//! Points in time, always UTC, and the one place they become UK dates and times.

use chrono::{DateTime, Duration, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeZone};
use chrono::{Datelike, Timelike, Utc};
use chrono_tz::{Europe::London, Tz};
use serde::{Deserialize, Serialize};
use std::time::{SystemTime, UNIX_EPOCH};

/// A moment in UTC, as milliseconds since the Unix epoch.
///
/// Stored as a plain 64-bit integer on both databases so that it sorts and compares the
/// same way everywhere (see docs/ARCHITECTURE.md).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Timestamp(pub i64);

impl Timestamp {
    /// The current time.
    pub fn now() -> Timestamp {
        let ms = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_millis())
            .unwrap_or(0);
        Timestamp(i64::try_from(ms).unwrap_or(i64::MAX))
    }

    /// Milliseconds since the Unix epoch.
    pub fn millis(self) -> i64 {
        self.0
    }

    /// Whole seconds since the Unix epoch.
    pub fn seconds(self) -> i64 {
        self.0.div_euclid(1000)
    }

    /// This moment plus some minutes (negative goes back).
    pub fn plus_minutes(self, minutes: i64) -> Timestamp {
        Timestamp(self.0.saturating_add(minutes.saturating_mul(60_000)))
    }

    /// This moment plus some days (negative goes back).
    pub fn plus_days(self, days: i64) -> Timestamp {
        self.plus_minutes(days.saturating_mul(24 * 60))
    }
}

/// A moment on UK clocks.
pub fn in_london(at: Timestamp) -> DateTime<Tz> {
    DateTime::from_timestamp_millis(at.millis())
        .unwrap_or_default()
        .with_timezone(&London)
}

/// The date in the UK at a moment.
pub fn uk_day(at: Timestamp) -> NaiveDate {
    in_london(at).date_naive()
}

/// Whole UK calendar days from one moment's date to another's: 0 on the same day, 1 for
/// tomorrow, -1 for yesterday, whatever the hours and however the clocks changed between. Every
/// "due in", "overdue by" and "days since" counts with this, so that something due now is due
/// today and a call on a 28-day cadence is due in 28 days.
pub fn uk_days_between(from: Timestamp, to: Timestamp) -> i64 {
    (uk_day(to) - uk_day(from)).num_days()
}

/// Midnight in the UK at the start of the day `days` after the day of `at`: the line between
/// "due today" and "overdue" (0), or the end of "due within a week" (8).
pub fn uk_day_start(at: Timestamp, days: i64) -> Timestamp {
    let day = uk_day(at) + Duration::days(days);
    Timestamp(london_to_utc(day.and_time(NaiveTime::MIN)).timestamp_millis())
}

/// Months as dates are written in lists ("4 Mar 2027").
const SHORT_MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// "4 Mar 2027", written directly rather than through a format string: a person's page writes
/// dozens of these, and parsing `%-d %b %Y` each time showed in its profile (issue 12).
fn short_date(d: NaiveDate) -> String {
    format!(
        "{} {} {}",
        d.day(),
        SHORT_MONTHS[d.month0() as usize],
        d.year()
    )
}

/// A moment as people in the UK read it: "4 Mar 2027, 19:00".
pub fn uk_moment_text(at: Timestamp) -> String {
    let t = in_london(at);
    format!(
        "{}, {:02}:{:02}",
        short_date(t.date_naive()),
        t.hour(),
        t.minute()
    )
}

/// A moment's UK date as people read it: "4 Mar 2027".
pub fn uk_date_text(at: Timestamp) -> String {
    short_date(uk_day(at))
}

/// A stored `YYYY-MM-DD` as people read dates ("4 Mar 2027"); empty if it is not one.
pub fn iso_date_text(iso: &str) -> String {
    NaiveDate::parse_from_str(iso, "%Y-%m-%d")
        .map(short_date)
        .unwrap_or_default()
}

/// A moment on UK clocks as it is said, for messages and Easy Read. Standard: "Thursday 3
/// December at 6:30pm". Easy Read writes the time as people say it: "Thursday 3 December, half
/// past 6 in the evening".
pub fn spoken_moment(at: Timestamp, easy_read: bool) -> String {
    let t = in_london(at);
    let day = t.format("%A %-d %B");
    if easy_read {
        return format!("{day}, {}", spoken_time(t.time()));
    }
    let time = if t.minute() == 0 {
        t.format("%-I%P")
    } else {
        t.format("%-I:%M%P")
    };
    format!("{day} at {time}")
}

/// A stored `YYYY-MM-DD` as it is said in Easy Read: "Thursday 3 December 2026"; empty if it
/// is not one.
pub fn spoken_date(iso: &str) -> String {
    NaiveDate::parse_from_str(iso, "%Y-%m-%d")
        .map(|d| d.format("%A %-d %B %Y").to_string())
        .unwrap_or_default()
}

/// A length of time as it is said: "45 minutes", "1 hour", "2 hours and 30 minutes".
pub fn spoken_duration(minutes: i64) -> String {
    let plural = |n: i64, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    match (minutes / 60, minutes % 60) {
        (0, m) => plural(m, "minute"),
        (h, 0) => plural(h, "hour"),
        (h, m) => format!("{} and {}", plural(h, "hour"), plural(m, "minute")),
    }
}

/// A time of day as people say it: "half past 6 in the evening", "quarter to 9 in the morning",
/// "10 past 2 in the afternoon", "23 minutes past 2", "12 midday".
fn spoken_time(time: NaiveTime) -> String {
    let (hour, minute) = (time.hour(), time.minute());
    // Five-minute steps are said bare ("10 past"), others with "minutes" ("23 minutes past").
    let count = |m: u32| match m {
        1 => "1 minute".to_owned(),
        m if m % 5 == 0 => m.to_string(),
        m => format!("{m} minutes"),
    };
    // Past the half hour, it is said "to" the next hour.
    let (words, said_hour) = match minute {
        0 => (String::new(), hour),
        15 => ("quarter past ".to_owned(), hour),
        30 => ("half past ".to_owned(), hour),
        45 => ("quarter to ".to_owned(), hour + 1),
        m if m < 30 => (format!("{} past ", count(m)), hour),
        m => (format!("{} to ", count(60 - m)), hour + 1),
    };
    let twelve = match said_hour % 12 {
        0 => 12,
        h => h,
    };
    let part = match (said_hour % 24, hour) {
        (12, _) if minute == 0 => "midday",
        (0, _) if minute == 0 => "midnight",
        (_, 1..=11) => "in the morning",
        (_, 12..=17) => "in the afternoon",
        (_, 18..=21) => "in the evening",
        _ => "at night",
    };
    let o_clock = if minute == 0 && !matches!(part, "midday" | "midnight") {
        " o'clock"
    } else {
        ""
    };
    format!("{words}{twelve}{o_clock} {part}")
}

/// Whether a London wall-clock time happens at all: the hour skipped when the clocks go
/// forward does not. A meeting typed for one is refused with [`skipped_time_message`] (a
/// series, by RFC 5545, moves on by the gap instead: see [`london_to_utc`]).
pub fn london_time_exists(local: NaiveDateTime) -> bool {
    !matches!(London.from_local_datetime(&local), LocalResult::None)
}

/// A London wall-clock time as a moment, the first of a repeated one; none for a time the
/// clocks skip.
pub fn from_london(local: NaiveDateTime) -> Option<Timestamp> {
    London
        .from_local_datetime(&local)
        .earliest()
        .map(|t| Timestamp(t.timestamp_millis()))
}

/// What to say about a time the clocks skip.
pub fn skipped_time_message(local: NaiveDateTime) -> String {
    format!(
        "The clocks go forward on {}, so {} does not happen that day: choose another time",
        local.format("%-d %B %Y"),
        local.format("%H:%M")
    )
}

/// A London wall-clock time as a UTC moment: a skipped time moves on by the gap (RFC 5545), a
/// repeated one is the first.
pub fn london_to_utc(local: NaiveDateTime) -> DateTime<Utc> {
    match London.from_local_datetime(&local) {
        LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => t.with_timezone(&Utc),
        LocalResult::None => {
            // The clocks went forward past it: the same wall time an hour on.
            match London.from_local_datetime(&(local + Duration::hours(1))) {
                LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => t.with_timezone(&Utc),
                LocalResult::None => Utc.from_utc_datetime(&local),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at_london(y: i32, m: u32, d: u32, h: u32, min: u32) -> Timestamp {
        from_london(local(y, m, d, h, min)).expect("a time that happens")
    }

    #[test]
    fn easy_read_says_the_time_as_people_say_it() {
        let said = |h, m| spoken_moment(at_london(2026, 12, 3, h, m), true);
        assert_eq!(
            said(18, 30),
            "Thursday 3 December, half past 6 in the evening"
        );
        assert_eq!(
            said(10, 0),
            "Thursday 3 December, 10 o'clock in the morning"
        );
        assert_eq!(
            said(8, 45),
            "Thursday 3 December, quarter to 9 in the morning"
        );
        assert_eq!(
            said(14, 15),
            "Thursday 3 December, quarter past 2 in the afternoon"
        );
        assert_eq!(
            said(14, 10),
            "Thursday 3 December, 10 past 2 in the afternoon"
        );
        assert_eq!(said(19, 40), "Thursday 3 December, 20 to 8 in the evening");
        assert_eq!(said(12, 0), "Thursday 3 December, 12 midday");
        assert_eq!(
            said(11, 45),
            "Thursday 3 December, quarter to 12 in the morning"
        );
        assert_eq!(said(22, 0), "Thursday 3 December, 10 o'clock at night");
        assert_eq!(said(23, 45), "Thursday 3 December, quarter to 12 at night");
        assert_eq!(
            said(4, 45),
            "Thursday 3 December, quarter to 5 in the morning"
        );
        assert_eq!(
            said(14, 23),
            "Thursday 3 December, 23 minutes past 2 in the afternoon"
        );
        assert_eq!(
            said(15, 59),
            "Thursday 3 December, 1 minute to 4 in the afternoon"
        );
        assert_eq!(said(0, 0), "Thursday 3 December, 12 midnight");
    }

    #[test]
    fn a_spoken_time_is_on_uk_clocks_in_summer_and_winter() {
        // 18:30 UTC is half past 7 in July (BST) and half past 6 in December (GMT).
        let summer = Timestamp(
            Utc.with_ymd_and_hms(2026, 7, 2, 18, 30, 0)
                .unwrap()
                .timestamp_millis(),
        );
        assert_eq!(
            spoken_moment(summer, true),
            "Thursday 2 July, half past 7 in the evening"
        );
        assert_eq!(spoken_moment(summer, false), "Thursday 2 July at 7:30pm");
        let winter = at_london(2026, 12, 3, 19, 0);
        assert_eq!(spoken_moment(winter, false), "Thursday 3 December at 7pm");
    }

    #[test]
    fn easy_read_says_dates_and_lengths_of_time_in_words() {
        assert_eq!(spoken_date("2026-12-03"), "Thursday 3 December 2026");
        assert_eq!(spoken_date("3/12/2026"), "");
        assert_eq!(spoken_duration(45), "45 minutes");
        assert_eq!(spoken_duration(1), "1 minute");
        assert_eq!(spoken_duration(60), "1 hour");
        assert_eq!(spoken_duration(150), "2 hours and 30 minutes");
        assert_eq!(spoken_duration(61), "1 hour and 1 minute");
    }

    fn local(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .and_then(|d| d.and_hms_opt(h, min, 0))
            .unwrap_or_default()
    }

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> Timestamp {
        Timestamp(london_to_utc(local(y, m, d, h, min)).timestamp_millis())
    }

    #[test]
    fn days_are_counted_in_whole_uk_calendar_days() {
        let now = at(2026, 12, 2, 9, 15);
        assert_eq!(uk_days_between(now, now), 0, "due now is due today");
        assert_eq!(uk_days_between(now, now.plus_minutes(1)), 0);
        assert_eq!(
            uk_days_between(now.plus_minutes(1), now),
            0,
            "seconds ago is not overdue"
        );
        assert_eq!(uk_days_between(now, at(2026, 12, 2, 23, 59)), 0);
        assert_eq!(uk_days_between(now, at(2026, 12, 3, 0, 1)), 1);
        assert_eq!(uk_days_between(now, at(2026, 12, 1, 23, 59)), -1);
        // A call a minute ago on a 28-day cadence is due in 28 days, not 27.
        let called = now.plus_minutes(-1);
        assert_eq!(uk_days_between(now, called.plus_days(28)), 28);
    }

    #[test]
    fn a_uk_day_starts_at_midnight_on_uk_clocks() {
        let now = at(2026, 10, 24, 15, 0);
        assert_eq!(uk_day_start(now, 0), at(2026, 10, 24, 0, 0));
        // Past the clocks going back, the day still starts at midnight in London.
        assert_eq!(uk_day_start(now, 2), at(2026, 10, 26, 0, 0));
        assert_eq!(uk_days_between(now, uk_day_start(now, 2)), 2);
        assert_eq!(
            uk_days_between(now, Timestamp(uk_day_start(now, 2).millis() - 1)),
            1
        );
    }

    #[test]
    fn days_are_counted_across_a_clock_change() {
        // The clocks go back at 02:00 on Sunday 25 October 2026: that day has 25 hours.
        let saturday_late = at(2026, 10, 24, 23, 30);
        assert_eq!(uk_days_between(saturday_late, at(2026, 10, 25, 0, 30)), 1);
        assert_eq!(uk_days_between(saturday_late, at(2026, 10, 25, 23, 59)), 1);
        assert_eq!(uk_days_between(saturday_late, at(2026, 10, 26, 0, 0)), 2);
        // They go forward at 01:00 on Sunday 28 March 2027: that day has 23 hours.
        let saturday_noon = at(2027, 3, 27, 12, 0);
        assert_eq!(uk_days_between(saturday_noon, at(2027, 3, 28, 23, 30)), 1);
        assert_eq!(uk_days_between(saturday_noon, at(2027, 3, 29, 0, 30)), 2);
        assert_eq!(uk_days_between(at(2027, 3, 29, 0, 30), saturday_noon), -2);
    }

    #[test]
    fn uk_dates_follow_the_clocks() {
        // 23:30 UTC on 30 June is already 1 July in London (BST); in January it is not.
        let summer = Timestamp(
            Utc.with_ymd_and_hms(2027, 6, 30, 23, 30, 0)
                .unwrap()
                .timestamp_millis(),
        );
        assert_eq!(uk_day(summer).to_string(), "2027-07-01");
        assert_eq!(uk_moment_text(summer), "1 Jul 2027, 00:30");
        let winter = Timestamp(
            Utc.with_ymd_and_hms(2027, 1, 30, 23, 30, 0)
                .unwrap()
                .timestamp_millis(),
        );
        assert_eq!(uk_date_text(winter), "30 Jan 2027");
        assert_eq!(iso_date_text("2027-03-04"), "4 Mar 2027");
        assert_eq!(iso_date_text("4/3/2027"), "");
    }

    #[test]
    fn skipped_times_do_not_happen_and_repeated_ones_do() {
        assert!(!london_time_exists(local(2027, 3, 28, 1, 30)));
        assert!(london_time_exists(local(2027, 3, 28, 2, 30)));
        assert!(
            london_time_exists(local(2027, 10, 31, 1, 30)),
            "a repeated time happens"
        );
        assert_eq!(from_london(local(2027, 3, 28, 1, 30)), None);
        let repeated = from_london(local(2027, 10, 31, 1, 30)).map(in_london);
        assert_eq!(
            repeated.map(|t| t.to_rfc3339()).as_deref(),
            Some("2027-10-31T01:30:00+01:00"),
            "the first of a repeated time"
        );
        assert!(skipped_time_message(local(2027, 3, 28, 1, 30)).contains("28 March 2027, so 01:30"));
        // A skipped time moves on by the gap: 01:30 GMT-to-BST becomes 01:30 UTC (02:30 BST).
        assert_eq!(
            london_to_utc(local(2027, 3, 28, 1, 30)).to_rfc3339(),
            "2027-03-28T01:30:00+00:00"
        );
    }

    #[test]
    fn arithmetic_moves_by_whole_units() {
        let t = Timestamp(1_000_000);
        assert_eq!(t.plus_minutes(1), Timestamp(1_060_000));
        assert_eq!(t.plus_days(-1).millis(), 1_000_000 - 86_400_000);
        assert_eq!(Timestamp(1999).seconds(), 1);
        assert!(Timestamp::now() > Timestamp(1_700_000_000_000));
    }
}
