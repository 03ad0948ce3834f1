//! What several people pages show: code lists as labels, the needs flag, and how due a contact is.

use coproduce_domain::people::{needs_text, Channel, Need};
use coproduce_domain::time::uk_days_between;
use coproduce_domain::Timestamp;

pub(super) fn labels<T: Copy>(items: &[T], label: impl Fn(T) -> &'static str) -> String {
    items
        .iter()
        .map(|i| label(*i))
        .collect::<Vec<_>>()
        .join(", ")
}

/// What the needs flag says before anyone contacts a person.
pub(super) struct NeedsFlag {
    pub(super) name: String,
    pub(super) channels: String,
    pub(super) best_times: String,
    pub(super) needs: String,
    pub(super) notes: String,
}

impl NeedsFlag {
    pub(super) fn new(
        name: &str,
        channels: &[Channel],
        best_times: &str,
        needs: &[Need],
        interpreter: &str,
        notes: &str,
    ) -> NeedsFlag {
        NeedsFlag {
            name: name.to_owned(),
            channels: labels(channels, Channel::label),
            best_times: best_times.to_owned(),
            needs: needs_text(needs, interpreter),
            notes: notes.to_owned(),
        }
    }

    pub(super) fn is_empty(&self) -> bool {
        self.channels.is_empty() && self.needs.is_empty() && self.notes.is_empty()
    }
}

// ------------------------------------------------------------------------------------------------
// Keep in touch

/// "Overdue by 3 days", "Due today", "Due in 5 days", counted in UK calendar days.
pub(super) fn due_text(due_at: i64, now: i64) -> (bool, String) {
    match uk_days_between(Timestamp(now), Timestamp(due_at)) {
        d if d < -1 => (true, format!("Overdue by {} days", -d)),
        -1 => (true, "Overdue by 1 day".to_owned()),
        0 => (false, "Due today".to_owned()),
        1 => (false, "Due tomorrow".to_owned()),
        d => (false, format!("Due in {d} days")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn due_dates_read_as_people_say_them() {
        // 09:00 on 2 December 2026, UK time (GMT).
        let now = 1_796_202_000_000;
        let day = 86_400_000;
        let due = |at: i64| due_text(at, now);
        assert_eq!(due(now - 3 * day), (true, "Overdue by 3 days".to_owned()));
        assert_eq!(due(now - day), (true, "Overdue by 1 day".to_owned()));
        assert_eq!(
            due(now - 1_000),
            (false, "Due today".to_owned()),
            "due seconds ago"
        );
        assert_eq!(due(now + 1), (false, "Due today".to_owned()));
        assert_eq!(due(now + day), (false, "Due tomorrow".to_owned()));
        assert_eq!(due(now + 5 * day + 1), (false, "Due in 5 days".to_owned()));
        assert_eq!(
            due(now - 60_000 + 28 * day),
            (false, "Due in 28 days".to_owned()),
            "a call a minute ago on a 28-day cadence"
        );
    }
}
