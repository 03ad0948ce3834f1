//! Standing co-production groups: members' roles and how a group meets.

use crate::ids::{GroupId, PartnerId, PersonId, ProjectId, ServiceId, StaffId};
use serde::Deserialize;

/// A group, with its service's and partner's names.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "sqlx", derive(sqlx::FromRow))]
pub struct Group {
    /// Id.
    pub id: GroupId,
    /// Name.
    pub name: String,
    /// What it is for.
    pub purpose: String,
    /// Its terms of reference.
    pub terms_of_reference: String,
    /// The service it belongs to.
    pub service_id: ServiceId,
    /// The service's name.
    pub service_name: String,
    /// A partner organisation it works with.
    pub partner_id: Option<PartnerId>,
    /// The partner's name.
    pub partner_name: Option<String>,
    /// Its meeting pattern, an RFC 5545 rule in canonical form.
    pub meeting_rrule: Option<String>,
    /// The first meeting's start, London wall-clock time `YYYY-MM-DDTHH:MM`.
    pub first_meeting: Option<String>,
    /// How long meetings last.
    pub meeting_minutes: i64,
    /// The usual video link.
    pub video_link: Option<String>,
    /// The usual phone dial-in.
    pub phone_dial_in: String,
    /// The usual venue.
    pub venue: String,
    /// The venue's access information.
    pub venue_access: String,
    /// How many hours before a meeting reminders go.
    pub reminder_lead_hours: i64,
    /// When to review the group next, `YYYY-MM-DD`.
    pub next_review_on: Option<String>,
    /// Version, for refusing stale writes.
    pub version: i64,
}

/// A current member of a group or project: a person or a staff member.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Member {
    /// The membership's id.
    pub id: i64,
    /// The person, if a person.
    pub person_id: Option<PersonId>,
    /// The staff member, if staff.
    pub staff_id: Option<StaffId>,
    /// Their name.
    pub name: String,
    /// What they do there.
    pub role: GroupRole,
    /// When they joined, `YYYY-MM-DD`.
    pub joined_on: String,
}

/// A group or a project: what has members and meetings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Team {
    /// A group.
    Group(GroupId),
    /// A project.
    Project(ProjectId),
}

impl Team {
    /// Its id, whichever it is.
    pub fn id(self) -> i64 {
        match self {
            Team::Group(GroupId(id)) | Team::Project(ProjectId(id)) => id,
        }
    }
}

/// Who joins a group, is invited, owns an action or follows a calendar: a person or staff.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Joiner {
    /// A person.
    Person(PersonId),
    /// A staff member.
    Staff(StaffId),
}

impl Joiner {
    /// The person or the staff member, whichever it is.
    pub fn ids(self) -> (Option<PersonId>, Option<StaffId>) {
        match self {
            Joiner::Person(p) => (Some(p), None),
            Joiner::Staff(s) => (None, Some(s)),
        }
    }

    /// Its id, whichever it is.
    pub fn id(self) -> i64 {
        match self {
            Joiner::Person(PersonId(id)) | Joiner::Staff(StaffId(id)) => id,
        }
    }
}

code_list!(
    /// What a member does in a group.
    GroupRole {
        /// Chairs the meetings.
        Chair = "chair", "Chair";
        /// Takes part.
        Member = "member", "Member";
        /// The staff member who leads for the service.
        StaffLead = "staff_lead", "Staff lead";
        /// Supports a member (a carer, an advocate, a buddy).
        Supporter = "supporter", "Supporter";
    }
);

/// Reads a video link: it must be an https address (Zoom, Teams or any other).
pub fn parse_video_link(text: &str) -> Result<String, &'static str> {
    crate::text::https_address(
        text,
        "Enter a video link that starts with https://",
        "Enter a video link like https://zoom.us/j/123456789",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn video_links_must_be_https_addresses() {
        assert_eq!(
            parse_video_link(" https://zoom.us/j/123 ").as_deref(),
            Ok("https://zoom.us/j/123")
        );
        assert!(parse_video_link("http://zoom.us/j/123").is_err());
        assert!(parse_video_link("zoom.us/j/123").is_err());
        assert!(parse_video_link("https://").is_err());
        assert!(parse_video_link("https://teams microsoft.com").is_err());
        assert_eq!(GroupRole::parse("staff_lead"), Some(GroupRole::StaffLead));
    }
}

code_list!(
    /// An invitee's reply.
    Rsvp {
        /// Coming.
        Yes = "yes", "Coming";
        /// Not coming.
        No = "no", "Not coming";
        /// Not sure yet.
        Maybe = "maybe", "Not sure yet";
    }
);

code_list!(
    /// An invitee's line in the register.
    Attendance {
        /// Came.
        Attended = "attended", "Attended";
        /// Told us they could not come.
        Apologies = "apologies", "Sent apologies";
        /// Did not come.
        Absent = "absent", "Absent";
    }
);

code_list!(
    /// What someone who attended did at the meeting.
    AttendanceRole {
        /// Took part.
        Member = "member", "Member";
        /// Chaired with another.
        CoChair = "co_chair", "Co-chair";
        /// Presented.
        Presenter = "presenter", "Presenter";
    }
);

code_list!(
    /// Where an action is.
    ActionStatus {
        /// Still to do.
        Open = "open", "Open";
        /// Done.
        Done = "done", "Done";
        /// No longer needed.
        Dropped = "dropped", "Dropped";
    }
);

code_list!(
    /// Where a project is.
    ProjectStage {
        /// Being planned.
        Planning = "planning", "Planning";
        /// Under way.
        UnderWay = "under_way", "Under way";
        /// Looking back at what it did.
        Reviewing = "reviewing", "Reviewing";
        /// Finished.
        Finished = "finished", "Finished";
    }
);

code_list!(
    /// The Think Local Act Personal ladder of co-production, lowest rung first.
    Ladder {
        /// People made to attend and told what will happen.
        Coercion = "coercion", "Coercion";
        /// Helping people understand decisions already made.
        Educating = "educating", "Educating";
        /// Telling people what is happening.
        Informing = "informing", "Informing";
        /// Asking people's views, without a promise they will shape what happens.
        Consultation = "consultation", "Consultation";
        /// More say for people, though decisions are still ours.
        Engagement = "engagement", "Engagement";
        /// People involved in designing, but not all decisions.
        CoDesign = "co_design", "Co-design";
        /// An equal relationship: designed, delivered and decided together.
        CoProduction = "co_production", "Co-production";
    }
);

/// A block of minutes as written: plain text with simple formatting.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Block {
    /// A line starting `# `.
    Heading(String),
    /// Lines starting `- ` or `* `.
    List(Vec<String>),
    /// Anything else, up to a blank line.
    Paragraph(String),
}

/// Reads minutes written as plain text: a blank line separates paragraphs, a line starting
/// `- ` or `* ` is a bullet, and a line starting `# ` is a heading. Nothing else is markup, so
/// whatever is typed shows as typed.
pub fn minutes_blocks(text: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut paragraph: Vec<&str> = Vec::new();
    let mut list: Vec<String> = Vec::new();
    fn flush(blocks: &mut Vec<Block>, paragraph: &mut Vec<&str>, list: &mut Vec<String>) {
        if !paragraph.is_empty() {
            blocks.push(Block::Paragraph(paragraph.join("\n")));
            paragraph.clear();
        }
        if !list.is_empty() {
            blocks.push(Block::List(std::mem::take(list)));
        }
    }
    for line in text.lines() {
        let t = line.trim();
        if t.is_empty() {
            flush(&mut blocks, &mut paragraph, &mut list);
        } else if let Some(item) = t.strip_prefix("- ").or_else(|| t.strip_prefix("* ")) {
            if !paragraph.is_empty() {
                let mut none = Vec::new();
                flush(&mut blocks, &mut paragraph, &mut none);
            }
            list.push(item.trim().to_owned());
        } else if let Some(h) = t.strip_prefix("# ") {
            flush(&mut blocks, &mut paragraph, &mut list);
            blocks.push(Block::Heading(h.trim().to_owned()));
        } else {
            if !list.is_empty() {
                let mut none = Vec::new();
                flush(&mut blocks, &mut none, &mut list);
            }
            paragraph.push(t);
        }
    }
    flush(&mut blocks, &mut paragraph, &mut list);
    blocks
}

#[cfg(test)]
mod minutes_tests {
    use super::*;

    #[test]
    fn minutes_read_as_headings_paragraphs_and_bullets() {
        let text = "# Welcome\nAmara chaired.\nEveryone introduced themselves.\n\n- Leaflet agreed\n* Next: <b>waiting list</b>\nAfter the list\n\n\n";
        assert_eq!(
            minutes_blocks(text),
            vec![
                Block::Heading("Welcome".into()),
                Block::Paragraph("Amara chaired.\nEveryone introduced themselves.".into()),
                Block::List(vec![
                    "Leaflet agreed".into(),
                    "Next: <b>waiting list</b>".into()
                ]),
                Block::Paragraph("After the list".into()),
            ]
        );
        assert!(minutes_blocks("  \n\n").is_empty());
    }
}
