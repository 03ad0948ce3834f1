//! Improvements: what changed in a service because people spoke up, what led to it, and the
//! evidence. Published ones make the public "You said, we did" page.

use crate::ids::{ConcernId, GroupId, ImprovementId, MeetingId, PersonId, ProjectId, ServiceId};
use serde::Serialize;

/// Something that led to an improvement.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum LedBy {
    /// A concern someone raised.
    Concern(ConcernId),
    /// A group's work.
    Group(GroupId),
    /// A project's work.
    Project(ProjectId),
    /// One meeting.
    Meeting(MeetingId),
}

impl LedBy {
    /// The kind's code, as stored and typed (`concern:3`).
    pub fn kind(self) -> &'static str {
        match self {
            LedBy::Concern(_) => "concern",
            LedBy::Group(_) => "group",
            LedBy::Project(_) => "project",
            LedBy::Meeting(_) => "meeting",
        }
    }

    /// The id of what it names.
    pub fn id(self) -> i64 {
        match self {
            LedBy::Concern(ConcernId(id))
            | LedBy::Group(GroupId(id))
            | LedBy::Project(ProjectId(id))
            | LedBy::Meeting(MeetingId(id)) => id,
        }
    }

    /// Reads a kind and id, as stored.
    pub fn of(kind: &str, id: i64) -> Option<LedBy> {
        match kind {
            "concern" => Some(LedBy::Concern(ConcernId(id))),
            "group" => Some(LedBy::Group(GroupId(id))),
            "project" => Some(LedBy::Project(ProjectId(id))),
            "meeting" => Some(LedBy::Meeting(MeetingId(id))),
            _ => None,
        }
    }

    /// Reads `kind:id`, as a form or JSON sends it.
    pub fn parse(typed: &str) -> Option<LedBy> {
        let (kind, id) = typed.trim().split_once(':')?;
        LedBy::of(kind, id.trim().parse().ok()?)
    }

    /// `kind:id`, as a form sends it back.
    pub fn code(self) -> String {
        format!("{}:{}", self.kind(), self.id())
    }

    /// Where its staff page is.
    pub fn href(self) -> String {
        format!("/{}s/{}", self.kind(), self.id())
    }
}

/// What led to an improvement, named for its page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Link {
    /// What it is.
    pub led_by: LedBy,
    /// Its name: the group's or project's, the meeting's group and date, or the concern's
    /// number and service.
    pub name: String,
}

/// A file of evidence that an improvement happened.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "sqlx", derive(sqlx::FromRow))]
pub struct EvidenceFile {
    /// Its id.
    pub id: i64,
    /// Its name as uploaded.
    pub file_name: String,
    /// The type its content showed it to be.
    pub content_type: String,
    /// Its size in bytes.
    pub size: i64,
}

/// An improvement as staff see it.
#[derive(Clone, Debug, Serialize)]
pub struct Improvement {
    /// Its id.
    pub id: ImprovementId,
    /// The service that changed.
    pub service_id: ServiceId,
    /// That service's name.
    pub service_name: String,
    /// What people told us, in words fit to publish.
    pub you_said: String,
    /// What changed.
    pub we_did: String,
    /// The evidence that it changed: a leaflet reshaped, training given, a room redesigned.
    pub evidence: String,
    /// The UK date it changed (`YYYY-MM-DD`).
    pub changed_on: String,
    /// Someone's words about it, if any.
    pub quote: String,
    /// Whose words they are.
    pub quote_person: Option<PersonId>,
    /// Their name.
    pub quote_person_name: Option<String>,
    /// What people told us, in Easy Read.
    pub you_said_easy: String,
    /// What changed, in Easy Read.
    pub we_did_easy: String,
    /// Whether it is on the public page.
    pub published: bool,
    /// What led to it.
    pub links: Vec<Link>,
    /// Evidence that it happened.
    pub files: Vec<EvidenceFile>,
    /// When it was recorded (milliseconds).
    pub created_at: i64,
    /// Changes so far, for a stale save to be refused.
    pub version: i64,
}

/// A published improvement, as the public page shows it: nothing that names anyone but a
/// quoted person who consented to it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "sqlx", derive(sqlx::FromRow))]
pub struct Published {
    /// Its id.
    pub id: ImprovementId,
    /// The service that changed.
    pub service_id: ServiceId,
    /// Its name.
    pub service_name: String,
    /// What people told us.
    pub you_said: String,
    /// What changed.
    pub we_did: String,
    /// The evidence.
    pub evidence: String,
    /// The UK date it changed (`YYYY-MM-DD`).
    pub changed_on: String,
    /// The quote, only while its person's consent to be quoted stands; else empty.
    pub quote: String,
    /// What people told us, in Easy Read.
    pub you_said_easy: String,
    /// What changed, in Easy Read.
    pub we_did_easy: String,
}

/// One service's published improvements, newest first.
#[derive(Clone, Debug)]
pub struct ServiceChanges<'a> {
    /// The service.
    pub service_id: ServiceId,
    /// Its name.
    pub service_name: &'a str,
    /// Its improvements, newest first.
    pub items: Vec<&'a Published>,
}

/// Published improvements, a service at a time (services by name), each service's newest first.
pub fn by_service(items: &[Published]) -> Vec<ServiceChanges<'_>> {
    let mut groups: Vec<ServiceChanges<'_>> = Vec::new();
    for item in items {
        match groups.iter_mut().find(|g| g.service_id == item.service_id) {
            Some(g) => g.items.push(item),
            None => groups.push(ServiceChanges {
                service_id: item.service_id,
                service_name: &item.service_name,
                items: vec![item],
            }),
        }
    }
    groups.sort_by(|a, b| a.service_name.cmp(b.service_name));
    for g in &mut groups {
        g.items
            .sort_by(|a, b| b.changed_on.cmp(&a.changed_on).then(b.id.0.cmp(&a.id.0)));
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(id: i64, service: &str, on: &str) -> Published {
        Published {
            id: ImprovementId(id),
            service_id: ServiceId(service.len() as i64),
            service_name: service.into(),
            you_said: String::new(),
            we_did: String::new(),
            evidence: String::new(),
            changed_on: on.into(),
            quote: String::new(),
            you_said_easy: String::new(),
            we_did_easy: String::new(),
        }
    }

    #[test]
    fn what_led_to_an_improvement_reads_back_as_it_was_typed() {
        for typed in ["concern:3", "group:4", "project:5", "meeting:6"] {
            assert_eq!(LedBy::parse(typed).map(LedBy::code).as_deref(), Some(typed));
        }
        assert_eq!(
            LedBy::parse(" meeting: 6 ").map(LedBy::href).as_deref(),
            Some("/meetings/6")
        );
        assert_eq!(LedBy::parse("person:1"), None);
        assert_eq!(LedBy::parse("group:x"), None);
    }

    #[test]
    fn the_public_page_groups_by_service_with_each_services_newest_first() {
        let items = [
            item(1, "Maternity", "2026-01-10"),
            item(2, "Children's", "2026-03-01"),
            item(3, "Maternity", "2026-06-02"),
            item(4, "Maternity", "2026-06-02"),
        ];
        let grouped = by_service(&items);
        let shown: Vec<(&str, Vec<i64>)> = grouped
            .iter()
            .map(|g| (g.service_name, g.items.iter().map(|i| i.id.0).collect()))
            .collect();
        assert_eq!(
            shown,
            [("Children's", vec![2]), ("Maternity", vec![4, 3, 1])]
        );
    }
}
