//! The ranges of values anyone could mean, in one place for every form and endpoint: a year
//! from 1900 to 2200, whole numbers and decimals within the bounds each field gives, and
//! repetition rules of a sensible length.

use chrono::{Datelike, NaiveDate};
use std::ops::RangeInclusive;

/// The years a date may fall in.
pub const YEARS: RangeInclusive<i32> = 1900..=2200;

/// The longest repetition rule (RRULE) taken: a weekly rule with every part is under 200.
pub const MAX_RULE_CHARS: usize = 500;

/// What to say about a date outside [`YEARS`].
pub fn year_message() -> String {
    format!("Enter a year from {} to {}", YEARS.start(), YEARS.end())
}

/// The date, if its year is one anyone could mean.
pub fn date(d: NaiveDate) -> Result<NaiveDate, String> {
    if YEARS.contains(&d.year()) {
        Ok(d)
    } else {
        Err(year_message())
    }
}

/// A whole number typed as text, if it is within `range`.
pub fn whole(text: &str, range: RangeInclusive<i64>) -> Option<i64> {
    text.trim()
        .parse::<i64>()
        .ok()
        .filter(|n| range.contains(n))
}

/// A decimal typed as text (`2.5`), if it is a finite number within `range`.
pub fn decimal(text: &str, range: RangeInclusive<f64>) -> Option<f64> {
    text.trim()
        .parse::<f64>()
        .ok()
        .filter(|n| n.is_finite() && range.contains(n))
        // -0 is 0.
        .map(|n| n + 0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_outside_1900_to_2200_and_numbers_outside_their_bounds_are_refused() {
        let day = |y: i32| NaiveDate::from_ymd_opt(y, 6, 1).unwrap();
        assert!(date(day(1900)).is_ok() && date(day(2200)).is_ok());
        assert_eq!(
            date(day(1899)),
            Err("Enter a year from 1900 to 2200".to_owned())
        );
        assert!(date(day(2201)).is_err() && date(day(9999)).is_err());
        assert_eq!(whole(" 12 ", 1..=500), Some(12));
        assert_eq!(whole("0", 1..=500), None);
        assert_eq!(whole("-3", 0..=10), None);
        assert_eq!(whole("9223372036854775808", 0..=10), None);
        assert_eq!(decimal("2.5", 0.0..=100.0), Some(2.5));
        assert_eq!(decimal("-0.5", 0.0..=100.0), None);
        assert_eq!(decimal("NaN", 0.0..=100.0), None);
        assert_eq!(decimal("inf", 0.0..=100.0), None);
        assert!(decimal("-0", 0.0..=100.0).is_some_and(|n| n.is_sign_positive()));
    }
}
