//! Meetings, as stored: a group's or project's occurrences and one-offs, with the actions agreed
//! at them, their papers, who was invited and who came.

use crate::groups::{ActionStatus, Attendance, AttendanceRole, GroupRole, Rsvp, Team};
use crate::ids::{GroupId, MeetingId, PersonId, ProjectId, ReviewId, ServiceId, StaffId};
use crate::people::Need;
use serde::Deserialize;

code_list!(
    /// Whether a meeting is going ahead.
    MeetingStatus {
        /// Going ahead.
        Scheduled = "scheduled", "Scheduled";
        /// Called off.
        Cancelled = "cancelled", "Cancelled";
    }
);

/// A meeting.
#[derive(Clone, Debug, Deserialize)]
pub struct Meeting {
    /// Id.
    pub id: MeetingId,
    /// The group, or none for a project's meeting.
    pub group_id: Option<GroupId>,
    /// The project, or none for a group's meeting.
    pub project_id: Option<ProjectId>,
    /// The pattern's London start this came from (`YYYY-MM-DDTHH:MM`); none for a one-off.
    pub occurrence: Option<String>,
    /// A one-off's title (empty for the group's regular meetings).
    pub title: String,
    /// The group's or project's name.
    pub host_name: String,
    /// The group's or project's service.
    pub service_id: ServiceId,
    /// The UK date it starts on, `YYYY-MM-DD`.
    pub starts_on: String,
    /// Start, UTC milliseconds.
    pub starts_at: i64,
    /// End, UTC milliseconds.
    pub ends_at: i64,
    /// Going ahead or called off.
    pub status: MeetingStatus,
    /// When staff changed this meeting alone, if they did.
    pub changed_at: Option<i64>,
    /// How many times it changed, for calendars.
    pub sequence: i64,
    /// The agenda.
    pub agenda: String,
    /// The minutes.
    pub notes: String,
    /// This meeting's video link, or none for the group's.
    pub video_link: Option<String>,
    /// This meeting's dial-in, or none for the group's.
    pub phone_dial_in: Option<String>,
    /// This meeting's venue, or none for the group's.
    pub venue: Option<String>,
    /// This meeting's venue access information, or none for the group's.
    pub venue_access: Option<String>,
    /// How to join by video: this meeting's link, else the group's.
    pub join_video_link: Option<String>,
    /// How to join by phone: this meeting's dial-in, else the group's.
    pub join_phone_dial_in: String,
    /// Where: this meeting's venue, else the group's.
    pub join_venue: String,
    /// The venue's access information: this meeting's, else the group's.
    pub join_venue_access: String,
    /// How many hours before it reminders go (the group's setting).
    pub reminder_lead_hours: i64,
    /// Version, for refusing stale writes.
    pub version: i64,
    /// The register's version, for refusing a stale register.
    pub register_version: i64,
}

impl Meeting {
    /// The group or project it belongs to.
    pub fn team(&self) -> Team {
        match (self.group_id, self.project_id) {
            (Some(g), _) => Team::Group(g),
            (None, Some(p)) => Team::Project(p),
            (None, None) => Team::Group(GroupId(0)),
        }
    }

    /// What it is called: a one-off's title, else its group's or project's name.
    pub fn name(&self) -> &str {
        if self.title.is_empty() {
            &self.host_name
        } else {
            &self.title
        }
    }
}

/// Where an action was agreed: at a meeting, or at a review of the group, project or
/// relationship.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AgreedAt {
    /// At a meeting.
    Meeting(MeetingId),
    /// At a review.
    Review(ReviewId),
}

impl AgreedAt {
    /// The part of its page that lists its actions.
    pub fn href(self) -> String {
        match self {
            AgreedAt::Meeting(m) => format!("/meetings/{m}#actions"),
            AgreedAt::Review(r) => format!("/reviews/{r}#adjustments"),
        }
    }
}

/// An action agreed at a meeting or a review, with its owner's name.
#[derive(Clone, Debug, Deserialize)]
pub struct ActionItem {
    /// Id.
    pub id: i64,
    /// The meeting it was agreed at, if a meeting.
    pub meeting_id: Option<MeetingId>,
    /// The review it was agreed at, if a review.
    pub review_id: Option<ReviewId>,
    /// That meeting's start, or the start of the review's day.
    pub raised_at: i64,
    /// What is to be done.
    pub description: String,
    /// Its owner, if a person.
    pub owner_person_id: Option<PersonId>,
    /// Its owner, if staff.
    pub owner_staff_id: Option<StaffId>,
    /// The owner's name.
    pub owner_name: Option<String>,
    /// When it is due, `YYYY-MM-DD`.
    pub due_on: Option<String>,
    /// `open`, `done` or `dropped`.
    pub status: ActionStatus,
    /// When it was done or dropped.
    pub closed_at: Option<i64>,
    /// Version, for refusing stale writes.
    pub version: i64,
}

impl ActionItem {
    /// Where it was agreed. The store keeps exactly one of the two.
    pub fn agreed_at(&self) -> AgreedAt {
        match self.review_id {
            Some(r) => AgreedAt::Review(r),
            None => AgreedAt::Meeting(self.meeting_id.unwrap_or_default()),
        }
    }
}

/// A meeting that has been held, as its group's or project's page lists it: what was done
/// about it afterwards.
#[derive(Clone, Debug, Deserialize)]
pub struct HeldMeeting {
    /// Id.
    pub id: MeetingId,
    /// A one-off's title; empty for a series' meeting.
    pub title: String,
    /// Start, UTC milliseconds.
    pub starts_at: i64,
    /// Whether anyone's attendance is recorded.
    #[serde(deserialize_with = "crate::json_bool")]
    pub register_taken: bool,
    /// Whether it has minutes.
    #[serde(deserialize_with = "crate::json_bool")]
    pub has_minutes: bool,
    /// How many actions agreed at it are still open.
    pub open_actions: i64,
}

/// How many held meetings a page lists.
pub const HELD_PAGE: i64 = 10;

/// A page of held meetings.
#[derive(Clone, Debug)]
pub struct HeldPage {
    /// The meetings, newest first.
    pub meetings: Vec<HeldMeeting>,
    /// Where the next (older) page starts, if there is one.
    pub next_from: Option<i64>,
}

impl HeldPage {
    /// The page starting at `from`, from up to one more than a page of meetings read there
    /// (the one more says whether there is an older page).
    pub fn of(mut meetings: Vec<HeldMeeting>, from: i64) -> HeldPage {
        let next_from = (meetings.len() as i64 > HELD_PAGE).then_some(from + HELD_PAGE);
        meetings.truncate(HELD_PAGE as usize);
        HeldPage {
            meetings,
            next_from,
        }
    }
}

/// A paper, without its file's bytes.
#[derive(Clone, Debug, Deserialize)]
pub struct Paper {
    /// Id.
    pub id: i64,
    /// The meeting.
    pub meeting_id: MeetingId,
    /// Its title.
    pub title: String,
    /// Where it is, if a link.
    pub link: Option<String>,
    /// The file's name, if a file.
    pub file_name: Option<String>,
    /// The file's type.
    pub content_type: Option<String>,
    /// The file's size in bytes.
    pub size: Option<i64>,
    /// Whether it is Easy Read.
    #[serde(deserialize_with = "crate::json_bool")]
    pub easy_read: bool,
}

/// Someone a meeting concerns, with their reply and register entry.
#[derive(Clone, Debug, Deserialize)]
pub struct Invitee {
    /// The person, if a person.
    pub person_id: Option<PersonId>,
    /// The staff member, if staff.
    pub staff_id: Option<StaffId>,
    /// Their name.
    pub name: String,
    /// Their role in the group or project on the day, if a member then.
    pub member_role: Option<GroupRole>,
    /// Whether they are invited (false: a member taken off this meeting).
    #[serde(deserialize_with = "crate::json_bool")]
    pub invited: bool,
    /// Their reply to this meeting, once they replied.
    pub rsvp: Option<Rsvp>,
    /// Whether, as a member, they said they are coming to all the group's meetings (before this
    /// one began, and it is one they are invited to): their answer where `rsvp` is empty.
    #[serde(deserialize_with = "crate::json_bool")]
    pub coming_to_all: bool,
    /// Their line in the register, once it is taken.
    pub attendance: Option<Attendance>,
    /// Minutes attended.
    pub minutes_attended: Option<i64>,
    /// What they did there, for those who attended.
    pub role: Option<AttendanceRole>,
    /// A person's communication and access needs, to arrange before the day (none for staff).
    #[serde(deserialize_with = "crate::code_list")]
    pub needs: Vec<Need>,
    /// The language their interpreter speaks, if they need one.
    pub interpreter_language: String,
}

/// Time a person gave: what payments turn into claims.
#[derive(Clone, Debug, Deserialize)]
pub struct Involvement {
    /// Id.
    pub id: i64,
    /// The person.
    pub person_id: PersonId,
    /// The meeting, if it was one.
    pub meeting_id: Option<MeetingId>,
    /// `meeting`.
    pub kind: String,
    /// The day, `YYYY-MM-DD`.
    pub occurred_on: String,
    /// Minutes given.
    pub minutes: i64,
    /// Their role.
    pub role: String,
    /// What it was ("Parent carer forum meeting").
    pub description: String,
}
