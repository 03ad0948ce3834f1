//! A person's relationships with services and groups, and the keep-in-touch queue they make, as
//! stored; and the contacts that count towards them.

use crate::ids::{GroupId, PersonId, RelationshipId, ServiceId, StaffId};
use crate::people::{Channel, Direction};
use serde::Deserialize;

code_list!(
    /// Where a relationship is.
    RelationshipStatus {
        /// Keeping in touch.
        Active = "active", "Active";
        /// Resting for now.
        Paused = "paused", "Paused";
        /// Over.
        Ended = "ended", "Ended";
    }
);

code_list!(
    /// What a tag on a person says.
    TagKind {
        /// Something they are interested in.
        Interest = "interest", "Interest";
        /// Lived experience they bring.
        LivedExperience = "lived_experience", "Lived experience";
    }
);

/// A day in milliseconds: cadences are whole days.
pub const DAY_MS: i64 = 86_400_000;

/// A relationship with its service's and contact's names.
#[derive(Clone, Debug, Deserialize)]
#[cfg_attr(feature = "sqlx", derive(sqlx::FromRow))]
pub struct Relationship {
    /// Id.
    pub id: RelationshipId,
    /// The person.
    pub person_id: PersonId,
    /// The service.
    pub service_id: ServiceId,
    /// The service's name.
    pub service_name: String,
    /// The group, for a relationship with a group.
    pub group_id: Option<GroupId>,
    /// The group's name.
    pub group_name: Option<String>,
    /// The named staff contact.
    pub staff_contact_id: Option<StaffId>,
    /// Their name.
    pub staff_contact_name: Option<String>,
    /// When it started, `YYYY-MM-DD`.
    pub started_on: String,
    /// Active, paused or ended.
    pub status: RelationshipStatus,
    /// Keep in touch every this many days.
    pub cadence_days: i64,
    /// When to review it next, `YYYY-MM-DD`.
    pub next_review_on: Option<String>,
    /// The last contact that counted towards it.
    pub last_contact_at: Option<i64>,
    /// When the next contact is due.
    pub due_at: i64,
    /// Version.
    pub version: i64,
}

/// A row of the keep-in-touch queue.
#[derive(Clone, Debug, Deserialize)]
pub struct QueueEntry {
    /// The relationship.
    pub relationship_id: RelationshipId,
    /// The person.
    pub person_id: PersonId,
    /// Their name.
    pub name: String,
    /// What they like to be called.
    pub preferred_name: String,
    /// Their phone.
    pub phone: Option<String>,
    /// Their email.
    pub email: Option<String>,
    /// Ranked channel codes.
    pub channels: String,
    /// Best times to reach them.
    pub best_times: String,
    /// Need codes.
    pub needs: String,
    /// Interpreter language.
    pub interpreter_language: String,
    /// The service.
    pub service_name: String,
    /// The group's name, for a relationship with a group.
    pub group_name: Option<String>,
    /// The named contact.
    pub staff_contact_id: Option<StaffId>,
    /// Their name.
    pub staff_contact_name: Option<String>,
    /// The last contact.
    pub last_contact_at: Option<i64>,
    /// When the next is due.
    pub due_at: i64,
}

/// A stored contact, with who logged it.
#[derive(Clone, Debug, Deserialize)]
pub struct Contact {
    /// Id.
    pub id: i64,
    /// The person.
    pub person_id: PersonId,
    /// The relationship it counts towards.
    pub relationship_id: Option<RelationshipId>,
    /// When it happened.
    pub occurred_at: i64,
    /// How it happened.
    pub channel: Channel,
    /// Who got in touch.
    pub direction: Direction,
    /// Who (staff).
    pub staff_id: Option<StaffId>,
    /// Their name.
    pub staff_name: Option<String>,
    /// What was said.
    pub summary: String,
    /// A date to follow up, `YYYY-MM-DD`.
    pub follow_up_on: Option<String>,
}

/// A tag on a person.
#[derive(Clone, Debug, Deserialize)]
pub struct Tag {
    /// Interest or lived experience.
    pub kind: TagKind,
    /// The tag.
    pub name: String,
    /// Whether only admins and the person's named contacts may see it.
    #[serde(deserialize_with = "crate::json_bool")]
    pub restricted: bool,
}

impl Relationship {
    /// Who the relationship is with, as staff read it: the service, or the group.
    pub fn with_whom(&self) -> String {
        with_whom(&self.service_name, self.group_name.as_deref())
    }
}

impl QueueEntry {
    /// Who the relationship is with, as staff read it: the service, or the group.
    pub fn with_whom(&self) -> String {
        with_whom(&self.service_name, self.group_name.as_deref())
    }
}

fn with_whom(service: &str, group: Option<&str>) -> String {
    match group {
        Some(g) => format!("{g} (group)"),
        None => service.to_owned(),
    }
}
