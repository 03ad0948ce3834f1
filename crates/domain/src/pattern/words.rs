//! A pattern in plain English, and the everyday choices a form offers for one.

use super::{weekday_code, Freq, MeetingPattern, Until, WEEKDAYS};
use chrono::Weekday;
use chrono_tz::Europe::London;
use std::fmt;

/// The everyday choices a form offers ("every week on Tuesday", "every month on the first
/// Thursday"): `repeat` is `weekly`, `fortnightly` or `monthly`, `weekday` a two-letter code
/// (`MO` … `SU`), `week` for monthly patterns `1` to `4` or `-1` (last). Gives the rule, or
/// `None` when the choices do not make one.
pub fn simple_rule(repeat: &str, weekday: &str, week: &str) -> Option<String> {
    let day = WEEKDAYS.iter().find(|(c, _)| *c == weekday)?.0;
    match repeat {
        "weekly" => Some(format!("FREQ=WEEKLY;BYDAY={day}")),
        "fortnightly" => Some(format!("FREQ=WEEKLY;INTERVAL=2;BYDAY={day}")),
        "monthly" => {
            let n: i8 = week.parse().ok().filter(|n| matches!(n, 1..=4 | -1))?;
            Some(format!("FREQ=MONTHLY;BYDAY={n}{day}"))
        }
        _ => None,
    }
}

/// The everyday choices behind a rule [`simple_rule`] makes, to fill the form again:
/// `(repeat, weekday, week)`.
pub fn simple_parts(rule: &str) -> Option<(&'static str, &'static str, String)> {
    let p = MeetingPattern::parse(rule).ok()?;
    let plain =
        p.by_month_day.is_empty() && p.by_hour.is_empty() && p.by_minute.is_empty() && !p.ends();
    let [(ordinal, day)] = p.by_day.as_slice() else {
        return None;
    };
    let code = weekday_code(*day);
    match (p.freq, p.interval, ordinal) {
        (Freq::Weekly, 1, None) if plain => Some(("weekly", code, String::new())),
        (Freq::Weekly, 2, None) if plain => Some(("fortnightly", code, String::new())),
        (Freq::Monthly, 1, Some(n)) if plain => Some(("monthly", code, n.to_string())),
        _ => None,
    }
}

impl fmt::Display for MeetingPattern {
    /// Plain English: "Every week on Tuesday", "Every 2 weeks on Monday and Thursday",
    /// "Every month on the first Thursday".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let unit = match self.freq {
            Freq::Daily => "day",
            Freq::Weekly => "week",
            Freq::Monthly => "month",
            Freq::Yearly => "year",
        };
        if self.interval == 1 {
            write!(f, "Every {unit}")?;
        } else {
            write!(f, "Every {} {unit}s", self.interval)?;
        }
        if !self.by_day.is_empty() {
            let days: Vec<String> = self
                .by_day
                .iter()
                .map(|(o, d)| match o {
                    None => day_name(*d).to_owned(),
                    Some(o) => format!("the {} {}", ordinal_word(*o), day_name(*d)),
                })
                .collect();
            write!(f, " on {}", and_list(&days))?;
        }
        if !self.by_month_day.is_empty() {
            let days: Vec<String> = self
                .by_month_day
                .iter()
                .map(|d| match d {
                    -1 => "the last day".to_owned(),
                    d => format!("day {d}"),
                })
                .collect();
            write!(f, " on {}", and_list(&days))?;
        }
        match (self.count, self.until) {
            (Some(c), _) => write!(f, ", {c} times"),
            (None, Some(Until::Date(d))) => write!(f, ", until {}", d.format("%-d %B %Y")),
            (None, Some(Until::Moment(m))) => write!(
                f,
                ", until {}",
                m.with_timezone(&London).format("%-d %B %Y")
            ),
            (None, None) => Ok(()),
        }
    }
}

fn day_name(d: Weekday) -> &'static str {
    match d {
        Weekday::Mon => "Monday",
        Weekday::Tue => "Tuesday",
        Weekday::Wed => "Wednesday",
        Weekday::Thu => "Thursday",
        Weekday::Fri => "Friday",
        Weekday::Sat => "Saturday",
        Weekday::Sun => "Sunday",
    }
}

fn ordinal_word(o: i8) -> &'static str {
    match o {
        1 => "first",
        2 => "second",
        3 => "third",
        4 => "fourth",
        5 => "fifth",
        -1 => "last",
        -2 => "second to last",
        _ => "nth",
    }
}

fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}
