//! Reviews as several pages show them: what is due one (the keep-in-touch queue, the reviews
//! page) and the reviews held of a group or project (their pages).

use super::date_text;
use coproduce_domain::reviews::{DueReview, Review, ReviewOf, STANDARDS};

/// One row of what is due a review.
pub(crate) struct DueRow {
    /// Its staff page.
    pub href: String,
    /// Its name.
    pub name: String,
    /// Its service.
    pub service: String,
    /// Whether its date has passed.
    pub overdue: bool,
    /// Its date, as people read it.
    pub due: String,
    /// The form for its review.
    pub review_href: String,
}

impl DueRow {
    /// The row for `d`, told overdue against `today` (`YYYY-MM-DD`).
    pub(crate) fn of(d: &DueReview, today: &str) -> DueRow {
        DueRow {
            href: d.href(),
            name: d.name.clone(),
            service: d.service_name.clone(),
            overdue: d.due_on.as_str() < today,
            due: date_text(&d.due_on),
            review_href: format!("/reviews/new?of={}", d.of.code()),
        }
    }
}

/// A review held, as a group's or project's page lists it.
pub(crate) struct ReviewLine {
    /// Its page.
    pub href: String,
    /// When it was held.
    pub held_on: String,
    /// Each standard's rating, in a line.
    pub ratings: String,
    /// A move on the ladder it made.
    pub ladder: Option<String>,
}

/// The review history on a group's or project's page, with the next date and the form's link.
pub(crate) struct ReviewHistory {
    /// Past reviews, newest first.
    pub held: Vec<ReviewLine>,
    /// When the next is due, as people read it.
    pub next: String,
    /// Whether that day has passed.
    pub overdue: bool,
    /// The form for the next review.
    pub new_href: String,
}

impl ReviewHistory {
    /// The history of `of`, due next on `next` (`YYYY-MM-DD`), told overdue against `today`.
    pub(crate) fn new(of: ReviewOf, held: &[Review], next: Option<&str>, today: &str) -> Self {
        let held = held
            .iter()
            .map(|r| ReviewLine {
                href: format!("/reviews/{}", r.id),
                held_on: date_text(&r.held_on),
                ratings: STANDARDS
                    .iter()
                    .zip(&r.assessments)
                    .map(|(s, a)| format!("{} {}", s.name, a.rating.label().to_lowercase()))
                    .collect::<Vec<_>>()
                    .join(", "),
                ladder: r
                    .ladder
                    .as_ref()
                    .map(|l| format!("Moved from {} to {}", l.from.label(), l.to.label())),
            })
            .collect();
        ReviewHistory {
            held,
            next: next.map(date_text).unwrap_or_default(),
            overdue: next.is_some_and(|n| n < today),
            new_href: format!("/reviews/new?of={}", of.code()),
        }
    }
}
