//! An opportunity as the public pages, the portal and the staff list show it.

use super::date_text;
use coproduce_domain::easy_read::{self, Line};
use coproduce_domain::opportunities::Opportunity;
use coproduce_domain::opportunities::{Requirement, Support};

/// An opportunity as the public pages show it.
pub(crate) struct Shown {
    pub(crate) o: Opportunity,
    pub(crate) kind: &'static str,
    pub(crate) starts: String,
    pub(crate) times: String,
    pub(crate) closes: String,
    pub(crate) place: &'static str,
    pub(crate) support: Vec<&'static str>,
    pub(crate) requirements: Vec<&'static str>,
    pub(crate) easy_read: Vec<(Line, Option<String>)>,
}

impl Shown {
    pub(crate) fn new(o: Opportunity) -> Shown {
        let times = match (o.start_time.as_str(), o.end_time.as_str()) {
            ("", _) => String::new(),
            (s, "") => format!("from {s}"),
            (s, e) => format!("{s} to {e}"),
        };
        Shown {
            kind: o.kind.label(),
            starts: date_text(&o.starts_on),
            times,
            closes: date_text(&o.closes_on),
            place: o.place.label(),
            support: o
                .support
                .split(',')
                .filter_map(|c| Support::parse(c).map(Support::label))
                .collect(),
            requirements: o
                .requirements
                .split(',')
                .filter_map(|c| Requirement::parse(c).map(Requirement::label))
                .collect(),
            easy_read: easy_read::parse(&o.easy_read)
                .into_iter()
                .map(|l| {
                    let src = l.picture_src();
                    (l, src)
                })
                .collect(),
            o,
        }
    }
}
