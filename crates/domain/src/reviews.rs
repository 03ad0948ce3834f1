//! Reviews ("never done"): a periodic look at a group, project or relationship against the 4Pi
//! National Involvement Standards, what was agreed to adjust, and when to look again.

use crate::groups::{Ladder, Team};
use crate::ids::{GroupId, PersonId, ProjectId, RelationshipId, ReviewId, ServiceId};
use chrono::{Days, Months, NaiveDate};
use serde::Serialize;

code_list!(
    /// How well a review found one standard met.
    Rating {
        /// Not yet.
        NotYet = "not_yet", "Not yet";
        /// In part.
        Partly = "partly", "Partly";
        /// Mostly.
        Mostly = "mostly", "Mostly";
        /// Fully.
        Fully = "fully", "Fully";
    }
);

/// One of the 4Pi National Involvement Standards.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Standard {
    /// Its code: the rating's field and the stored column.
    pub code: &'static str,
    /// The field and column of the notes beside the rating.
    pub notes: &'static str,
    /// Its name.
    pub name: &'static str,
    /// What it asks of the group, project or relationship.
    pub asks: &'static str,
}

/// The five standards, in the order the form asks about them.
pub const STANDARDS: [Standard; 5] = [
    Standard {
        code: "principles",
        notes: "principles_notes",
        name: "Principles",
        asks: "How we relate to each other: respect, equality and trust, agreed and kept.",
    },
    Standard {
        code: "purpose",
        notes: "purpose_notes",
        name: "Purpose",
        asks: "Why people are involved: a clear purpose everyone understands.",
    },
    Standard {
        code: "presence",
        notes: "presence_notes",
        name: "Presence",
        asks: "Who is involved: the people the service is for, with nobody left out.",
    },
    Standard {
        code: "process",
        notes: "process_notes",
        name: "Process",
        asks: "How people are involved: accessible, supported, paid, at times and in ways that suit them.",
    },
    Standard {
        code: "impact",
        notes: "impact_notes",
        name: "Impact",
        asks: "The difference it makes: what changed because people were involved, and telling them.",
    },
];

/// What a review looks at.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum ReviewOf {
    /// A group.
    Group(GroupId),
    /// A project.
    Project(ProjectId),
    /// A person's relationship with a service or group.
    Relationship(RelationshipId),
}

impl ReviewOf {
    /// The kind's code, as typed (`group:3`).
    pub fn kind(self) -> &'static str {
        match self {
            ReviewOf::Group(_) => "group",
            ReviewOf::Project(_) => "project",
            ReviewOf::Relationship(_) => "relationship",
        }
    }

    /// The id of what it names.
    pub fn id(self) -> i64 {
        match self {
            ReviewOf::Group(GroupId(id))
            | ReviewOf::Project(ProjectId(id))
            | ReviewOf::Relationship(RelationshipId(id)) => id,
        }
    }

    /// Reads a kind and id, as stored.
    pub fn of(kind: &str, id: i64) -> Option<ReviewOf> {
        match kind {
            "group" => Some(ReviewOf::Group(GroupId(id))),
            "project" => Some(ReviewOf::Project(ProjectId(id))),
            "relationship" => Some(ReviewOf::Relationship(RelationshipId(id))),
            _ => None,
        }
    }

    /// Reads `kind:id`, as a form or JSON sends it.
    pub fn parse(typed: &str) -> Option<ReviewOf> {
        let (kind, id) = typed.trim().split_once(':')?;
        ReviewOf::of(kind, id.trim().parse().ok()?)
    }

    /// `kind:id`, as a form sends it back.
    pub fn code(self) -> String {
        format!("{}:{}", self.kind(), self.id())
    }

    /// The group or project whose meetings its agreed actions carry forward to.
    pub fn team(self) -> Option<Team> {
        match self {
            ReviewOf::Group(g) => Some(Team::Group(g)),
            ReviewOf::Project(p) => Some(Team::Project(p)),
            ReviewOf::Relationship(_) => None,
        }
    }

    /// How many months after one review the next is due, unless the review says otherwise.
    pub fn cadence_months(self) -> u32 {
        match self {
            ReviewOf::Group(_) => GROUP_MONTHS,
            ReviewOf::Project(_) => PROJECT_MONTHS,
            ReviewOf::Relationship(_) => RELATIONSHIP_MONTHS,
        }
    }

    /// When a review held on `day` makes the next one due by default.
    pub fn next_due(self, day: NaiveDate) -> NaiveDate {
        months_after(day, self.cadence_months())
    }
}

/// How many months a group goes between reviews, unless a review says otherwise.
pub const GROUP_MONTHS: u32 = 6;
/// How many months a project goes between reviews.
pub const PROJECT_MONTHS: u32 = 6;
/// How many months a relationship goes between reviews.
pub const RELATIONSHIP_MONTHS: u32 = 12;

/// How many days ahead a review counts as due: four weeks, time to arrange one.
pub const DUE_WITHIN_DAYS: u64 = 28;

/// The day before which a review counts as due: four weeks after `today`.
pub fn due_horizon(today: NaiveDate) -> String {
    (today + Days::new(DUE_WITHIN_DAYS + 1)).to_string()
}

/// When a relationship that started on `started_on` (`YYYY-MM-DD`) is first due a review.
pub fn first_relationship_review(started_on: &str) -> Option<String> {
    let day: NaiveDate = started_on.parse().ok()?;
    Some(months_after(day, RELATIONSHIP_MONTHS).to_string())
}

/// The day `months` after `day`. A day past the end of a shorter month is its last day, as
/// PostgreSQL counts it (the migration that dated the first reviews counts the same way).
pub fn months_after(day: NaiveDate, months: u32) -> NaiveDate {
    day.checked_add_months(Months::new(months)).unwrap_or(day)
}

/// What a review found for one standard.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Assessment {
    /// How well it is met.
    pub rating: Rating,
    /// What was said about it.
    pub notes: String,
}

/// A change of a project's level on the ladder, with why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LadderChange {
    /// The level it was.
    pub from: Ladder,
    /// The level it is now.
    pub to: Ladder,
    /// Why it moved.
    pub reason: String,
}

/// A review as held.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Review {
    /// Its id.
    pub id: ReviewId,
    /// What it looked at.
    pub of: ReviewOf,
    /// Its name: the group's or project's, or the person's and the service's.
    pub subject_name: String,
    /// The person, for a relationship's review.
    pub person_id: Option<PersonId>,
    /// The service.
    pub service_id: ServiceId,
    /// The service's name.
    pub service_name: String,
    /// The UK day it was held, `YYYY-MM-DD`.
    pub held_on: String,
    /// What it found for each standard, in [`STANDARDS`] order.
    pub assessments: Vec<Assessment>,
    /// The views gathered from members.
    pub views: String,
    /// When to look again, `YYYY-MM-DD`.
    pub next_review_on: String,
    /// A project's change of level on the ladder.
    pub ladder: Option<LadderChange>,
    /// Who recorded it.
    pub recorded_by: String,
    /// When it was recorded.
    pub created_at: i64,
}

/// A group, project or relationship due a review.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DueReview {
    /// What is due a review.
    pub of: ReviewOf,
    /// Its name.
    pub name: String,
    /// The person, for a relationship.
    pub person_id: Option<PersonId>,
    /// The service.
    pub service_id: ServiceId,
    /// The service's name.
    pub service_name: String,
    /// When it is due, `YYYY-MM-DD`.
    pub due_on: String,
}

impl DueReview {
    /// Where its staff page is.
    pub fn href(&self) -> String {
        subject_page(self.of, self.person_id)
    }
}

impl Review {
    /// Where what it looked at has its staff page.
    pub fn subject_href(&self) -> String {
        subject_page(self.of, self.person_id)
    }
}

/// The staff page of a group or project, or of the person whose relationship it is.
fn subject_page(of: ReviewOf, person: Option<PersonId>) -> String {
    match (of, person) {
        (ReviewOf::Relationship(_), Some(p)) => format!("/people/{p}#relationships"),
        (of, _) => format!("/{}s/{}", of.kind(), of.id()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn a_groups_next_review_is_six_months_on_and_a_relationships_twelve() {
        let group = ReviewOf::Group(GroupId(1));
        let rel = ReviewOf::Relationship(RelationshipId(1));
        assert_eq!(group.next_due(day("2026-12-04")), day("2027-06-04"));
        assert_eq!(rel.next_due(day("2026-12-04")), day("2027-12-04"));
    }

    #[test]
    fn six_months_from_the_end_of_august_is_the_end_of_february() {
        let group = ReviewOf::Group(GroupId(1));
        assert_eq!(group.next_due(day("2026-08-31")), day("2027-02-28"));
        assert_eq!(group.next_due(day("2027-08-31")), day("2028-02-29"));
    }

    #[test]
    fn what_a_review_looks_at_reads_back_as_it_was_written() {
        for of in [
            ReviewOf::Group(GroupId(3)),
            ReviewOf::Project(ProjectId(4)),
            ReviewOf::Relationship(RelationshipId(5)),
        ] {
            assert_eq!(ReviewOf::parse(&of.code()), Some(of));
        }
        assert_eq!(ReviewOf::parse("meeting:3"), None);
        assert_eq!(ReviewOf::parse("group:x"), None);
    }
}
