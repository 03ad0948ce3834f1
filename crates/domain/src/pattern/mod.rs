//! Meeting patterns: the part of RFC 5545 recurrence rules (`RRULE`) a standing group's meetings
//! follow, e.g. `FREQ=WEEKLY;BYDAY=TU` (every Tuesday) or `FREQ=MONTHLY;BYDAY=1TH` (the first
//! Thursday of each month). Occurrences are worked out in Europe/London wall-clock time, so a
//! 10:00 meeting stays at 10:00 across the clock changes.
//!
//! Supported: `FREQ` (`DAILY`, `WEEKLY`, `MONTHLY`, `YEARLY`), `INTERVAL`, `BYDAY` (with an
//! ordinal for monthly rules: `1TU`, `-1FR`), `BYMONTHDAY`, `BYHOUR`, `BYMINUTE`, `COUNT`,
//! `UNTIL` and `WKST=MO`. Anything else is refused with the reason, never ignored.

use crate::time::london_to_utc;
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime};
use chrono::{TimeZone, Timelike, Utc, Weekday};
use chrono_tz::Europe::London;

mod words;
pub use words::{simple_parts, simple_rule};

/// The most occurrences a pattern may give in its first year.
pub const MAX_PER_YEAR: usize = 1_000;

/// How often the pattern repeats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Freq {
    /// Every day (or every `INTERVAL` days).
    Daily,
    /// Every week.
    Weekly,
    /// Every month.
    Monthly,
    /// Every year.
    Yearly,
}

/// A meeting pattern, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MeetingPattern {
    freq: Freq,
    interval: u32,
    /// Weekdays, each with an optional ordinal within the month (1 = first, -1 = last).
    by_day: Vec<(Option<i8>, Weekday)>,
    by_month_day: Vec<i8>,
    by_hour: Vec<u32>,
    by_minute: Vec<u32>,
    count: Option<u32>,
    until: Option<Until>,
}

/// When a pattern stops: on a date (inclusive, London time) or at a moment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Until {
    Date(NaiveDate),
    Moment(DateTime<Utc>),
}

/// Why a pattern was refused, in words for the person who typed it.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PatternError {
    /// Nothing was given.
    #[error("Enter how often the group meets")]
    Empty,
    /// A part could not be read.
    #[error("The meeting pattern could not be read: {0}")]
    Syntax(String),
    /// More often than daily.
    #[error("Meetings can repeat at most daily, not {0}")]
    TooFrequent(String),
    /// A rule part coproduce does not handle.
    #[error("The meeting pattern uses {0}, which coproduce does not support")]
    Unsupported(String),
    /// Too many meetings.
    #[error("The meeting pattern gives {0} meetings in a year; the most is 1,000")]
    TooMany(usize),
    /// Longer than any rule a group needs.
    #[error("The meeting pattern is {0} characters long; the most is 500")]
    TooLong(usize),
}

const WEEKDAYS: [(&str, Weekday); 7] = [
    ("MO", Weekday::Mon),
    ("TU", Weekday::Tue),
    ("WE", Weekday::Wed),
    ("TH", Weekday::Thu),
    ("FR", Weekday::Fri),
    ("SA", Weekday::Sat),
    ("SU", Weekday::Sun),
];

fn weekday_code(day: Weekday) -> &'static str {
    WEEKDAYS
        .iter()
        .find(|(_, d)| *d == day)
        .map_or("MO", |(c, _)| c)
}

fn numbers<T: std::str::FromStr>(name: &str, value: &str) -> Result<Vec<T>, PatternError> {
    value
        .split(',')
        .map(|v| {
            v.trim()
                .parse()
                .map_err(|_| PatternError::Syntax(format!("{name}={value}")))
        })
        .collect()
}

impl MeetingPattern {
    /// Reads a rule such as `FREQ=WEEKLY;BYDAY=TU`, with or without `RRULE:` before it.
    /// A rule that repeats more than daily, or gives more than [`MAX_PER_YEAR`] meetings in its
    /// first year, is refused.
    pub fn parse(rule: &str) -> Result<MeetingPattern, PatternError> {
        let rule = rule.trim();
        let rule = rule
            .strip_prefix("RRULE:")
            .or_else(|| rule.strip_prefix("rrule:"))
            .unwrap_or(rule);
        if rule.is_empty() {
            return Err(PatternError::Empty);
        }
        let length = rule.chars().count();
        if length > crate::range::MAX_RULE_CHARS {
            return Err(PatternError::TooLong(length));
        }
        let mut freq = None;
        let mut p = MeetingPattern {
            freq: Freq::Weekly,
            interval: 1,
            by_day: Vec::new(),
            by_month_day: Vec::new(),
            by_hour: Vec::new(),
            by_minute: Vec::new(),
            count: None,
            until: None,
        };
        for part in rule.split(';').filter(|s| !s.trim().is_empty()) {
            let (name, value) = part
                .split_once('=')
                .ok_or_else(|| PatternError::Syntax(part.to_owned()))?;
            let name = name.trim().to_ascii_uppercase();
            let value = value.trim().to_ascii_uppercase();
            match name.as_str() {
                "FREQ" => {
                    freq = Some(match value.as_str() {
                        "DAILY" => Freq::Daily,
                        "WEEKLY" => Freq::Weekly,
                        "MONTHLY" => Freq::Monthly,
                        "YEARLY" => Freq::Yearly,
                        "HOURLY" | "MINUTELY" | "SECONDLY" => {
                            return Err(PatternError::TooFrequent(value.to_lowercase()))
                        }
                        _ => return Err(PatternError::Syntax(format!("FREQ={value}"))),
                    })
                }
                "INTERVAL" => {
                    p.interval = value
                        .parse()
                        .ok()
                        .filter(|n| (1..=1000).contains(n))
                        .ok_or_else(|| PatternError::Syntax(format!("INTERVAL={value}")))?;
                }
                "BYDAY" => {
                    for day in value.split(',') {
                        let day = day.trim();
                        let split = day.len().saturating_sub(2);
                        let (ordinal, code) = day.split_at(split);
                        let weekday = WEEKDAYS
                            .iter()
                            .find(|(c, _)| *c == code)
                            .map(|(_, d)| *d)
                            .ok_or_else(|| PatternError::Syntax(format!("BYDAY={value}")))?;
                        let ordinal = match ordinal.trim_start_matches('+') {
                            "" => None,
                            n => Some(
                                n.parse::<i8>()
                                    .ok()
                                    .filter(|n| *n != 0 && (-5..=5).contains(n))
                                    .ok_or_else(|| {
                                        PatternError::Syntax(format!("BYDAY={value}"))
                                    })?,
                            ),
                        };
                        p.by_day.push((ordinal, weekday));
                    }
                }
                "BYMONTHDAY" => {
                    p.by_month_day = numbers("BYMONTHDAY", &value)?;
                    if p.by_month_day
                        .iter()
                        .any(|d| *d == 0 || !(-31..=31).contains(d))
                    {
                        return Err(PatternError::Syntax(format!("BYMONTHDAY={value}")));
                    }
                }
                "BYHOUR" => {
                    p.by_hour = numbers("BYHOUR", &value)?;
                    if p.by_hour.iter().any(|h| *h > 23) {
                        return Err(PatternError::Syntax(format!("BYHOUR={value}")));
                    }
                }
                "BYMINUTE" => {
                    p.by_minute = numbers("BYMINUTE", &value)?;
                    if p.by_minute.iter().any(|m| *m > 59) {
                        return Err(PatternError::Syntax(format!("BYMINUTE={value}")));
                    }
                }
                "COUNT" => {
                    p.count = Some(
                        value
                            .parse()
                            .ok()
                            .filter(|n| *n >= 1)
                            .ok_or_else(|| PatternError::Syntax(format!("COUNT={value}")))?,
                    );
                }
                "UNTIL" => p.until = Some(parse_until(&value)?),
                "WKST" if value == "MO" => {}
                "WKST" | "BYSECOND" | "BYWEEKNO" | "BYYEARDAY" | "BYMONTH" | "BYSETPOS" => {
                    return Err(PatternError::Unsupported(format!("{name}={value}")))
                }
                _ => return Err(PatternError::Syntax(part.to_owned())),
            }
        }
        p.freq = freq.ok_or_else(|| PatternError::Syntax("FREQ is missing".into()))?;
        if p.count.is_some() && p.until.is_some() {
            return Err(PatternError::Syntax("COUNT and UNTIL together".into()));
        }
        if p.by_day.iter().any(|(o, _)| o.is_some()) && p.freq != Freq::Monthly {
            return Err(PatternError::Unsupported(
                "a numbered weekday outside a monthly pattern".into(),
            ));
        }
        // The same rule gives the most meetings from a start where none are skipped.
        let probe = NaiveDate::from_ymd_opt(2027, 1, 1)
            .unwrap_or_default()
            .and_time(NaiveTime::MIN);
        let year = p.local_occurrences(probe, probe + Duration::days(365), MAX_PER_YEAR + 1);
        if year.len() > MAX_PER_YEAR {
            let all = p.local_occurrences(probe, probe + Duration::days(365), usize::MAX);
            return Err(PatternError::TooMany(all.len()));
        }
        Ok(p)
    }

    /// How often it repeats.
    pub fn freq(&self) -> Freq {
        self.freq
    }

    /// Whether it ends (by count or date); a standing group's usually does not.
    pub fn ends(&self) -> bool {
        self.count.is_some() || self.until.is_some()
    }

    /// The meetings from the first, which starts at `start` (London wall-clock time), that begin
    /// in `[from, to)`, as UTC moments. A wall-clock time the clocks skip (spring forward) moves
    /// on by the gap; one that happens twice (autumn) is the first.
    pub fn occurrences(
        &self,
        start: NaiveDateTime,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Vec<DateTime<Utc>> {
        // Local bounds one day wider than the UTC ones cover any offset.
        let local_to = to.with_timezone(&London).naive_local() + Duration::days(1);
        self.local_occurrences(start, local_to, usize::MAX)
            .into_iter()
            .map(london_to_utc)
            .filter(|at| *at >= from && *at < to)
            .collect()
    }

    /// Local occurrences from `start` until before `end` (or the rule's own end), at most `max`.
    fn local_occurrences(
        &self,
        start: NaiveDateTime,
        end: NaiveDateTime,
        max: usize,
    ) -> Vec<NaiveDateTime> {
        let mut out = Vec::new();
        let mut seen = 0u32;
        let times = self.times(start.time());
        // A period with no match (the 31st in a short month) is skipped, not the end: the end
        // is the first period that begins after `end`.
        for period in 0u32.. {
            let Some((begins, days)) = self.period_days(start.date(), period) else {
                break;
            };
            if begins.and_time(NaiveTime::MIN) >= end {
                break;
            }
            for day in days {
                for time in &times {
                    let at = day.and_time(*time);
                    if at < start {
                        continue;
                    }
                    if at >= end || self.past_until(at) {
                        return out;
                    }
                    if self.count.is_some_and(|c| seen >= c) {
                        return out;
                    }
                    seen += 1;
                    out.push(at);
                    if out.len() >= max {
                        return out;
                    }
                }
            }
        }
        out
    }

    fn past_until(&self, at: NaiveDateTime) -> bool {
        match self.until {
            None => false,
            Some(Until::Date(d)) => at.date() > d,
            Some(Until::Moment(m)) => london_to_utc(at) > m,
        }
    }

    /// The times of day meetings start: `BYHOUR` × `BYMINUTE`, else the first meeting's time.
    fn times(&self, first: NaiveTime) -> Vec<NaiveTime> {
        let hours = if self.by_hour.is_empty() {
            vec![first.hour()]
        } else {
            self.by_hour.clone()
        };
        let minutes = if self.by_minute.is_empty() {
            vec![first.minute()]
        } else {
            self.by_minute.clone()
        };
        let mut times: Vec<NaiveTime> = hours
            .iter()
            .flat_map(|h| {
                minutes
                    .iter()
                    .filter_map(move |m| NaiveTime::from_hms_opt(*h, *m, 0))
            })
            .collect();
        times.sort();
        times.dedup();
        times
    }

    /// The day the `n`th period after the first meeting's begins, and its meeting days in order
    /// (`None` past the calendar's end).
    fn period_days(&self, first: NaiveDate, n: u32) -> Option<(NaiveDate, Vec<NaiveDate>)> {
        let step = n.checked_mul(self.interval)?;
        let begins;
        let mut days: Vec<NaiveDate> = match self.freq {
            Freq::Daily => {
                let day = first.checked_add_signed(Duration::days(i64::from(step)))?;
                begins = day;
                vec![day]
                    .into_iter()
                    .filter(|d| {
                        self.by_day.is_empty() || self.by_day.iter().any(|(_, w)| *w == d.weekday())
                    })
                    .filter(|d| self.month_day_matches(*d))
                    .collect()
            }
            Freq::Weekly => {
                let monday = first
                    .checked_sub_signed(Duration::days(i64::from(
                        first.weekday().num_days_from_monday(),
                    )))?
                    .checked_add_signed(Duration::weeks(i64::from(step)))?;
                begins = monday;
                let week: Vec<NaiveDate> = (0..7)
                    .filter_map(|i| monday.checked_add_signed(Duration::days(i)))
                    .collect();
                week.into_iter()
                    .filter(|d| {
                        if self.by_day.is_empty() {
                            d.weekday() == first.weekday()
                        } else {
                            self.by_day.iter().any(|(_, w)| *w == d.weekday())
                        }
                    })
                    .filter(|d| self.month_day_matches(*d))
                    .collect()
            }
            Freq::Monthly => {
                let months = i64::from(first.month0()) + i64::from(step);
                let year = i32::try_from(i64::from(first.year()) + months / 12).ok()?;
                let month = u32::try_from(months % 12).ok()? + 1;
                let month_start = NaiveDate::from_ymd_opt(year, month, 1)?;
                begins = month_start;
                let month_days: Vec<NaiveDate> = month_start
                    .iter_days()
                    .take_while(|d| d.month() == month)
                    .collect();
                month_days
                    .iter()
                    .copied()
                    .filter(|d| {
                        if self.by_day.is_empty() && self.by_month_day.is_empty() {
                            return d.day() == first.day();
                        }
                        let day_ok = self.by_day.is_empty()
                            || self.by_day.iter().any(|(ordinal, w)| {
                                *w == d.weekday()
                                    && ordinal.is_none_or(|o| nth_matches(*d, &month_days, o))
                            });
                        day_ok && self.month_day_matches(*d)
                    })
                    .collect()
            }
            Freq::Yearly => {
                let year = first.year().checked_add(i32::try_from(step).ok()?)?;
                begins = NaiveDate::from_ymd_opt(year, 1, 1)?;
                NaiveDate::from_ymd_opt(year, first.month(), first.day())
                    .into_iter()
                    .collect()
            }
        };
        days.sort();
        Some((begins, days))
    }

    fn month_day_matches(&self, d: NaiveDate) -> bool {
        if self.by_month_day.is_empty() {
            return true;
        }
        let last = last_day_of_month(d);
        self.by_month_day.iter().any(|md| {
            let want = if *md > 0 {
                i64::from(*md)
            } else {
                i64::from(last) + 1 + i64::from(*md)
            };
            want == i64::from(d.day())
        })
    }

    /// The rule written out in canonical form, e.g. `FREQ=WEEKLY;BYDAY=TU`.
    pub fn to_rrule(&self) -> String {
        let mut parts = vec![format!(
            "FREQ={}",
            match self.freq {
                Freq::Daily => "DAILY",
                Freq::Weekly => "WEEKLY",
                Freq::Monthly => "MONTHLY",
                Freq::Yearly => "YEARLY",
            }
        )];
        if self.interval != 1 {
            parts.push(format!("INTERVAL={}", self.interval));
        }
        let join = |v: Vec<String>| v.join(",");
        if !self.by_day.is_empty() {
            parts.push(format!(
                "BYDAY={}",
                join(
                    self.by_day
                        .iter()
                        .map(|(o, d)| format!(
                            "{}{}",
                            o.map(|o| o.to_string()).unwrap_or_default(),
                            weekday_code(*d)
                        ))
                        .collect()
                )
            ));
        }
        if !self.by_month_day.is_empty() {
            parts.push(format!(
                "BYMONTHDAY={}",
                join(self.by_month_day.iter().map(i8::to_string).collect())
            ));
        }
        if !self.by_hour.is_empty() {
            parts.push(format!(
                "BYHOUR={}",
                join(self.by_hour.iter().map(u32::to_string).collect())
            ));
        }
        if !self.by_minute.is_empty() {
            parts.push(format!(
                "BYMINUTE={}",
                join(self.by_minute.iter().map(u32::to_string).collect())
            ));
        }
        if let Some(c) = self.count {
            parts.push(format!("COUNT={c}"));
        }
        match self.until {
            Some(Until::Date(d)) => parts.push(format!("UNTIL={}", d.format("%Y%m%d"))),
            Some(Until::Moment(m)) => parts.push(format!("UNTIL={}", m.format("%Y%m%dT%H%M%SZ"))),
            None => {}
        }
        parts.join(";")
    }
}

/// Whether `d` is the `ordinal`th of its weekday in the month (negative: from the end).
fn nth_matches(d: NaiveDate, month_days: &[NaiveDate], ordinal: i8) -> bool {
    let same: Vec<&NaiveDate> = month_days
        .iter()
        .filter(|x| x.weekday() == d.weekday())
        .collect();
    let index = if ordinal > 0 {
        usize::try_from(ordinal - 1).ok()
    } else {
        same.len()
            .checked_sub(usize::try_from(-ordinal).unwrap_or(usize::MAX))
    };
    index.and_then(|i| same.get(i)).is_some_and(|x| **x == d)
}

fn last_day_of_month(d: NaiveDate) -> u32 {
    (28..=31)
        .rev()
        .find(|day| NaiveDate::from_ymd_opt(d.year(), d.month(), *day).is_some())
        .unwrap_or(28)
}

fn parse_until(value: &str) -> Result<Until, PatternError> {
    let bad = || PatternError::Syntax(format!("UNTIL={value}"));
    let year: i32 = value
        .get(..4)
        .and_then(|y| y.parse().ok())
        .ok_or_else(bad)?;
    if !crate::range::YEARS.contains(&year) {
        return Err(PatternError::Syntax(format!(
            "UNTIL={value} ({})",
            crate::range::year_message()
        )));
    }
    if let Some(moment) = value.strip_suffix('Z') {
        let at = NaiveDateTime::parse_from_str(moment, "%Y%m%dT%H%M%S").map_err(|_| bad())?;
        return Ok(Until::Moment(Utc.from_utc_datetime(&at)));
    }
    if value.contains('T') {
        let at = NaiveDateTime::parse_from_str(value, "%Y%m%dT%H%M%S").map_err(|_| bad())?;
        return Ok(Until::Moment(london_to_utc(at)));
    }
    NaiveDate::parse_from_str(value, "%Y%m%d")
        .map(Until::Date)
        .map_err(|_| bad())
}

#[cfg(test)]
mod tests;
