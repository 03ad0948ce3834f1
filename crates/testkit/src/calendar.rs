//! Calendar feeds as a standard parser reads them, for the tests of groups' and people's feeds.

use crate::Response;
use icalendar::parser::{Calendar, Component};

/// The feed's text unfolded for a parser, once it is checked to be served as a calendar.
pub fn unfolded(feed: &Response) -> String {
    assert_eq!(
        feed.header("content-type"),
        Some("text/calendar; charset=utf-8")
    );
    icalendar::parser::unfold(&feed.body)
}

/// The events among a parsed calendar's components.
pub fn events<'c, 'a>(calendar: &'c Calendar<'a>) -> Vec<&'c Component<'a>> {
    calendar
        .components
        .iter()
        .filter(|c| c.name == "VEVENT")
        .collect()
}
