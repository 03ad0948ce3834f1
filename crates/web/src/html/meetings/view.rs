//! What several meeting pages show: where the meeting's team is, and its heading.

use crate::html::kit::team::team_path;
use crate::html::kit::uk;
use coproduce_domain::meetings::Meeting;

/// Where a meeting's group or project lives.
pub(super) fn team_href(m: &Meeting) -> String {
    team_path(m.team())
}

/// A meeting's heading: its group or project, and when.
pub(super) fn heading(m: &Meeting) -> String {
    format!("{}: {}", m.name(), uk(m.starts_at))
}
