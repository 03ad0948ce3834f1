//! Points in time, always UTC.

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arithmetic_moves_by_whole_units() {
        let t = Timestamp(1_000_000);
        assert_eq!(t.plus_minutes(1), Timestamp(1_060_000));
        assert_eq!(t.plus_days(-1).millis(), 1_000_000 - 86_400_000);
        assert_eq!(Timestamp(1999).seconds(), 1);
        assert!(Timestamp::now() > Timestamp(1_700_000_000_000));
    }
}
