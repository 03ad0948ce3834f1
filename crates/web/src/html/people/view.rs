//! What several people pages show: code lists as labels, the needs flag, and how due a contact is.

use coproduce_domain::people::{Channel, Need};
use coproduce_domain::relationships::DAY_MS;

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
        let mut need_text = labels(needs, Need::label);
        if !interpreter.is_empty() {
            need_text = need_text.replace(
                "Spoken-language interpreter",
                &format!("{interpreter} interpreter"),
            );
        }
        NeedsFlag {
            name: name.to_owned(),
            channels: labels(channels, Channel::label),
            best_times: best_times.to_owned(),
            needs: need_text,
            notes: notes.to_owned(),
        }
    }

    pub(super) fn is_empty(&self) -> bool {
        self.channels.is_empty() && self.needs.is_empty() && self.notes.is_empty()
    }
}

// ------------------------------------------------------------------------------------------------
// Keep in touch

/// "Overdue by 3 days", "Due today", "Due in 5 days".
pub(super) fn due_text(due_at: i64, now: i64) -> (bool, String) {
    let days = (due_at - now).div_euclid(DAY_MS);
    match days {
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
        let now = 100 * DAY_MS;
        assert_eq!(
            due_text(now - 3 * DAY_MS, now),
            (true, "Overdue by 3 days".to_owned())
        );
        assert_eq!(
            due_text(now - 1, now),
            (true, "Overdue by 1 day".to_owned())
        );
        assert_eq!(due_text(now + 1, now), (false, "Due today".to_owned()));
        assert_eq!(
            due_text(now + 5 * DAY_MS + 1, now),
            (false, "Due in 5 days".to_owned())
        );
    }
}
