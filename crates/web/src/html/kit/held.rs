//! The meetings a group or project has held, as its page lists them, a page at a time.

use super::uk;
use coproduce_domain::meetings::{HeldPage, HELD_PAGE};
use coproduce_domain::MeetingId;
use serde::Deserialize;

/// Which page of held meetings to show (`?held=10`); anything else is the first.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct HeldQuery {
    #[serde(default)]
    held: String,
}

impl HeldQuery {
    /// Where the page starts.
    pub(crate) fn from(&self) -> i64 {
        self.held.trim().parse().unwrap_or(0).max(0)
    }
}

/// One held meeting: when, and what was done about it afterwards.
pub(crate) struct HeldLine {
    pub(crate) id: MeetingId,
    pub(crate) when: String,
    pub(crate) register_taken: bool,
    pub(crate) has_minutes: bool,
    pub(crate) open_actions: i64,
}

/// A page of held meetings with links to the older and newer pages.
pub(crate) struct HeldList {
    pub(crate) lines: Vec<HeldLine>,
    pub(crate) older: Option<String>,
    pub(crate) newer: Option<String>,
}

impl HeldList {
    /// The page starting at `from`, its links going back to `base` (the team's page).
    pub(crate) fn new(page: HeldPage, from: i64, base: &str) -> HeldList {
        let at = |n: i64| {
            if n == 0 {
                format!("{base}#held")
            } else {
                format!("{base}?held={n}#held")
            }
        };
        HeldList {
            lines: page
                .meetings
                .into_iter()
                .map(|m| HeldLine {
                    id: m.id,
                    when: if m.title.is_empty() {
                        uk(m.starts_at)
                    } else {
                        format!("{}: {}", m.title, uk(m.starts_at))
                    },
                    register_taken: m.register_taken,
                    has_minutes: m.has_minutes,
                    open_actions: m.open_actions,
                })
                .collect(),
            older: page.next_from.map(at),
            newer: (from > 0).then(|| at((from - HELD_PAGE).max(0))),
        }
    }
}
