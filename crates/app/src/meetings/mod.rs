//! One meeting: its details, one-offs, invitees and their replies, the register and the
//! involvement it records, papers, minutes, and actions that carry forward.

mod actions;
mod feedback;
mod feedback_asking;
mod feedback_results;
mod held;
mod invitations;
mod papers;
mod register;

use crate::input::{joining, number, number_or_text, text, FIRST_MEETING_FORMAT};
use crate::write::Done;
use crate::{
    authorise, authorise_or_hide, may, people_scope, Action, Actor, App, AppError, FieldError,
    Resource,
};
use chrono::{NaiveDateTime, NaiveTime};
use coproduce_domain::groups::{ActionStatus, Attendance, AttendanceRole, Rsvp};
use coproduce_domain::groups::{Joiner, Team};
use coproduce_domain::meetings::MeetingStatus;
use coproduce_domain::meetings::{ActionItem, Invitee, Involvement, Meeting, Paper};
use coproduce_domain::outbox::Message;
use coproduce_domain::people::parse_date;
use coproduce_domain::AuditEvent;
use coproduce_domain::StaffId;
use coproduce_domain::Timestamp;
use coproduce_domain::{MeetingId, PersonId};
use coproduce_store::attendance::{self, MeetingInvolvement, RegisterLine};
use coproduce_store::contacts::{self, NewContact};
use coproduce_store::{groups, meetings, opportunities, people, projects, relationships, Tx};

/// One meeting's details as typed: its date, start time and length, whether it goes ahead, its
/// agenda and minutes, and joining details for it alone (empty: the group's).
#[derive(Clone, Debug, Default, serde::Deserialize, serde::Serialize)]
#[serde(default)]
pub struct MeetingInput {
    /// A one-off's title (optional).
    pub title: String,
    /// The date.
    pub date: String,
    /// The start time, `HH:MM` (UK).
    pub time: String,
    /// Minutes.
    pub minutes: String,
    /// `scheduled` or `cancelled`.
    pub status: String,
    /// The agenda.
    pub agenda: String,
    /// The minutes of the meeting.
    pub notes: String,
    /// This meeting's video link (https), if not the group's.
    pub video_link: String,
    /// This meeting's dial-in, if not the group's.
    pub phone_dial_in: String,
    /// This meeting's venue, if not the group's.
    pub venue: String,
    /// Its access information.
    pub venue_access: String,
    /// The version read.
    #[serde(deserialize_with = "number_or_text")]
    pub version: i64,
}

impl MeetingInput {
    /// The input that saves `m` as it is, its start in UK time: the base a change starts from.
    pub fn from_meeting(m: &Meeting) -> MeetingInput {
        let start = coproduce_domain::time::in_london(Timestamp(m.starts_at));
        MeetingInput {
            title: m.title.clone(),
            date: start.format("%-d/%-m/%Y").to_string(),
            time: start.format("%H:%M").to_string(),
            minutes: ((m.ends_at - m.starts_at) / 60_000).to_string(),
            status: m.status.code().to_owned(),
            agenda: m.agenda.clone(),
            notes: m.notes.clone(),
            video_link: m.video_link.clone().unwrap_or_default(),
            phone_dial_in: m.phone_dial_in.clone().unwrap_or_default(),
            venue: m.venue.clone().unwrap_or_default(),
            venue_access: m.venue_access.clone().unwrap_or_default(),
            version: m.version,
        }
    }
}

/// A meeting's details, checked.
struct Checked {
    title: String,
    starts_on: String,
    starts_at: Timestamp,
    ends_at: Timestamp,
    status: MeetingStatus,
    agenda: String,
    notes: String,
    video_link: Option<String>,
    phone_dial_in: Option<String>,
    venue: Option<String>,
    venue_access: Option<String>,
    /// London wall-clock start, for the audit trail.
    local: String,
}

impl Checked {
    fn change(&self) -> meetings::MeetingChange<'_> {
        meetings::MeetingChange {
            title: &self.title,
            starts_on: &self.starts_on,
            starts_at: self.starts_at,
            ends_at: self.ends_at,
            status: self.status,
            agenda: &self.agenda,
            notes: &self.notes,
            video_link: self.video_link.as_deref(),
            phone_dial_in: self.phone_dial_in.as_deref(),
            venue: self.venue.as_deref(),
            venue_access: self.venue_access.as_deref(),
        }
    }
}

fn optional(value: String) -> Option<String> {
    (!value.is_empty()).then_some(value)
}

fn check(input: &MeetingInput) -> Result<Checked, AppError> {
    let mut problems = Vec::new();
    let title = text("title", &input.title, 200, "The title", &mut problems);
    let date = parse_date(&input.date)
        .map_err(|e| problems.push(FieldError::new("date", e.0)))
        .ok();
    let time = NaiveTime::parse_from_str(input.time.trim(), "%H:%M")
        .map_err(|_| problems.push(FieldError::new("time", "Enter a time like 10:00 or 18:30")))
        .ok();
    if let (Some(d), Some(t)) = (date, time) {
        if !coproduce_domain::time::london_time_exists(d.and_time(t)) {
            problems.push(FieldError::new(
                "time",
                coproduce_domain::time::skipped_time_message(d.and_time(t)),
            ));
        }
    }
    let minutes = number(
        "minutes",
        &input.minutes,
        60,
        5..=720,
        "Enter how long the meeting lasts, in minutes, from 5 to 720",
        &mut problems,
    );
    let status = match input.status.as_str() {
        "" => MeetingStatus::Scheduled,
        code => MeetingStatus::parse(code).unwrap_or_else(|| {
            problems.push(FieldError::new(
                "status",
                "Choose whether the meeting goes ahead",
            ));
            MeetingStatus::Scheduled
        }),
    };
    let agenda = text("agenda", &input.agenda, 20_000, "The agenda", &mut problems);
    let notes = text("notes", &input.notes, 100_000, "The minutes", &mut problems);
    let join = joining(
        [
            &input.video_link,
            &input.phone_dial_in,
            &input.venue,
            &input.venue_access,
        ],
        &mut problems,
    );
    let (Some(date), Some(time), true) = (date, time, problems.is_empty()) else {
        return Err(AppError::Invalid(problems));
    };
    let local = NaiveDateTime::new(date, time);
    let starts_at = Timestamp(coproduce_domain::time::london_to_utc(local).timestamp_millis());
    Ok(Checked {
        title,
        starts_on: date.to_string(),
        starts_at,
        ends_at: Timestamp(starts_at.millis() + minutes * 60_000),
        status,
        agenda,
        notes,
        video_link: join.video_link,
        phone_dial_in: optional(join.phone_dial_in),
        venue: optional(join.venue),
        venue_access: optional(join.venue_access),
        local: local.format(FIRST_MEETING_FORMAT).to_string(),
    })
}

/// A meeting with everyone it concerns, its papers and the actions it shows.
#[derive(Clone, Debug)]
pub struct MeetingView {
    /// The meeting, with its group's or project's name and joining details.
    pub meeting: Meeting,
    /// Its invitees (and members taken off it), with replies and the register.
    pub invitees: Vec<Invitee>,
    /// Its papers.
    pub papers: Vec<Paper>,
    /// Actions agreed at it, and open ones carried forward from earlier meetings.
    pub actions: Vec<ActionItem>,
    /// Reminders and notices about it, with how each is getting on.
    pub messages: Vec<Message>,
    /// The staff who may own its actions: the service's and the participation team's.
    pub staff: Vec<(StaffId, String)>,
}

/// An invitee's reply as recorded by staff: `who` is `person:ID` or `staff:ID`.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct ReplyInput {
    /// `person:ID` or `staff:ID`.
    pub who: String,
    /// `yes`, `no`, `maybe`, or empty to clear it.
    pub rsvp: String,
}

/// One line of the register as typed.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct RegisterLineInput {
    /// `person:ID` or `staff:ID`.
    pub who: String,
    /// `attended`, `apologies`, `absent`, or empty when not taken.
    pub attendance: String,
    /// Minutes attended (empty: the whole meeting).
    pub minutes_attended: String,
    /// `member`, `co_chair` or `presenter` (empty: member).
    pub role: String,
}

/// The register as typed: a line per invitee, and the register version read.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct RegisterInput {
    /// The lines.
    pub lines: Vec<RegisterLineInput>,
    /// The version read.
    #[serde(deserialize_with = "number_or_text")]
    pub version: i64,
}

/// A paper as typed; the file, if any, comes separately.
#[derive(Clone, Debug, Default)]
pub struct PaperInput {
    /// Its title (empty: the file's name).
    pub title: String,
    /// A link to it, or empty when a file is uploaded.
    pub link: String,
    /// Whether it is Easy Read.
    pub easy_read: bool,
}

pub use crate::input::{parse_who, ActionInput, Upload};
pub use feedback::{FeedbackAsk, FeedbackInput, FeedbackLink, MeetingFeedback};
pub use feedback_results::FeedbackResults;

/// The largest paper that can be uploaded.
pub const MAX_PAPER_BYTES: usize = 10 * 1024 * 1024;

/// The kinds of file a paper can be, by extension, with the type it is served as.
const PAPER_TYPES: &[(&str, &str)] = &[
    ("pdf", "application/pdf"),
    ("doc", "application/msword"),
    (
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    ("odt", "application/vnd.oasis.opendocument.text"),
    ("ppt", "application/vnd.ms-powerpoint"),
    (
        "pptx",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ),
    ("odp", "application/vnd.oasis.opendocument.presentation"),
    (
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    ("ods", "application/vnd.oasis.opendocument.spreadsheet"),
    ("rtf", "application/rtf"),
    ("txt", "text/plain; charset=utf-8"),
    ("png", "image/png"),
    ("jpg", "image/jpeg"),
    ("jpeg", "image/jpeg"),
];

/// Writes `person:ID` or `staff:ID`.
pub fn who_key(person: Option<PersonId>, staff: Option<StaffId>) -> String {
    match (person, staff) {
        (Some(p), _) => format!("person:{p}"),
        (None, Some(s)) => format!("staff:{s}"),
        _ => String::new(),
    }
}

fn is(invitee: &Invitee, who: Joiner) -> bool {
    match who {
        Joiner::Person(p) => invitee.person_id == Some(p),
        Joiner::Staff(s) => invitee.staff_id == Some(s),
    }
}

impl App {
    /// A meeting the actor works with (its group's or project's service), for reading or, with
    /// `edit`, for changing.
    pub(crate) async fn meeting_for(
        &self,
        actor: &Actor,
        tx: &mut Tx,
        id: MeetingId,
        edit: bool,
    ) -> Result<Meeting, AppError> {
        let action = if edit {
            Action::EditGroups
        } else {
            Action::ViewGroups
        };
        authorise(actor, action, &Resource::ANY)?;
        let meeting = meetings::find(tx, id).await?.ok_or(AppError::NotFound)?;
        authorise_or_hide(actor, action, &Resource::in_service(meeting.service_id))?;
        Ok(meeting)
    }

    /// A group's or project's meetings starting in `[from, to)`, soonest first (cancelled ones
    /// included, so calendars can say so).
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn team_meetings(
        &self,
        actor: &Actor,
        team: Team,
        from: Option<Timestamp>,
        to: Option<Timestamp>,
    ) -> Result<Vec<Meeting>, AppError> {
        let mut tx = self.db().read().await?;
        see_team(actor, &mut tx, team).await?;
        let rows = meetings::for_team(&mut tx, team, from, to, 1000).await?;
        tx.commit().await?;
        Ok(rows)
    }

    /// The meetings a person or staff member is invited to, starting in `[from, to)`.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn attendee_meetings(
        &self,
        actor: &Actor,
        who: Joiner,
        from: Timestamp,
        to: Timestamp,
    ) -> Result<Vec<Meeting>, AppError> {
        authorise(actor, Action::ViewGroups, &Resource::ANY)?;
        let mut tx = self.db().read().await?;
        if let Joiner::Person(p) = who {
            people::find(&mut tx, p, people_scope(actor))
                .await?
                .ok_or(AppError::NotFound)?;
        }
        let rows =
            meetings::for_attendee(&mut tx, who, from, to, 2000, meetings::Texts::All).await?;
        tx.commit().await?;
        Ok(rows
            .into_iter()
            .filter(|m| {
                may(
                    actor,
                    Action::ViewGroups,
                    &Resource::in_service(m.service_id),
                )
            })
            .collect())
    }

    /// One meeting with its invitees, papers and actions.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn view_meeting(
        &self,
        actor: &Actor,
        id: MeetingId,
    ) -> Result<MeetingView, AppError> {
        let mut tx = self.db().read().await?;
        let meeting = self.meeting_for(actor, &mut tx, id, false).await?;
        let team = meeting.team();
        let invitees = attendance::invitees(&mut tx, id, team, &meeting.starts_on).await?;
        let papers = coproduce_store::papers::for_meeting(&mut tx, id).await?;
        let actions =
            coproduce_store::actions::for_meeting(&mut tx, id, team, meeting.starts_at).await?;
        let messages = coproduce_store::outbox::for_meeting(&mut tx, id).await?;
        let staff =
            coproduce_store::relationships::possible_contacts(&mut tx, meeting.service_id).await?;
        tx.commit().await?;
        Ok(MeetingView {
            meeting,
            invitees,
            papers,
            actions,
            messages,
            staff,
        })
    }

    /// Moves, re-times, cancels or reinstates one meeting, or changes its agenda, minutes or
    /// joining details, without touching the rest of the series (which leaves it alone from
    /// then on).
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn change_meeting(
        &self,
        actor: &Actor,
        id: MeetingId,
        input: &MeetingInput,
    ) -> Result<(), AppError> {
        let now = self.now();
        self.write(actor, Action::EditGroups, &Resource::ANY, async |tx| {
            let checked = check(input)?;
            let current = self.meeting_for(actor, tx, id, true).await?;
            if !meetings::change(tx, id, input.version, &checked.change(), now).await? {
                return Err(AppError::Conflict {
                    version: current.version,
                    changed: Vec::new(),
                });
            }
            let moved = checked.starts_at.millis() != current.starts_at
                || checked.ends_at.millis() != current.ends_at
                || checked.status != current.status;
            let upcoming = current.starts_at.max(checked.starts_at.millis()) > now.millis();
            if moved && upcoming {
                // Tell the people invited, in this same transaction: the change and its notices
                // are stored together or not at all.
                let changed = meetings::find(tx, id).await?.ok_or(AppError::NotFound)?;
                let key = |p: PersonId| format!("changed:{id}:{p}:{}", changed.version);
                let channels = self.channels();
                crate::outbox::queue_for_invitees(
                    tx,
                    channels,
                    &changed,
                    "meeting_changed",
                    &key,
                    now,
                    now,
                )
                .await?;
            }
            let detail = format!(
                "meeting:{id} {} at {}",
                checked.status.code(),
                checked.local
            );
            let object = meeting_object(&current);
            Ok(Done::new((), AuditEvent::MeetingChange, object, detail))
        })
        .await
    }

    /// Adds a one-off meeting to a group or project. Returns its id.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn add_meeting(
        &self,
        actor: &Actor,
        team: Team,
        input: &MeetingInput,
    ) -> Result<MeetingId, AppError> {
        let now = self.now();
        self.write(actor, Action::EditGroups, &Resource::ANY, async |tx| {
            let checked = check(input)?;
            match team {
                Team::Group(g) => drop(self.group_for_editing(actor, tx, g).await?),
                Team::Project(p) => drop(self.project_for_editing(actor, tx, p).await?),
            }
            let id = meetings::insert(tx, team, &checked.change(), now).await?;
            let m = meetings::find(tx, id).await?.ok_or(AppError::NotFound)?;
            let detail = format!("meeting:{id} one-off at {}", checked.local);
            Ok(Done::new(
                id,
                AuditEvent::MeetingAdd,
                meeting_object(&m),
                detail,
            ))
        })
        .await
    }

    async fn meeting_audit(
        &self,
        tx: &mut Tx,
        actor: &Actor,
        m: &Meeting,
        action: AuditEvent,
        detail: &str,
    ) -> Result<(), AppError> {
        self.audit(tx, actor, action, &meeting_object(m), detail)
            .await
    }

    /// Checks someone can be named on a meeting: a person the actor can see, or a staff member.
    async fn known(&self, actor: &Actor, tx: &mut Tx, who: Joiner) -> Result<(), AppError> {
        let found = match who {
            Joiner::Person(p) => people::find(tx, p, people_scope(actor)).await?.is_some(),
            Joiner::Staff(s) => coproduce_store::staff::find(tx, s).await?.is_some(),
        };
        if found {
            Ok(())
        } else {
            Err(AppError::field("who", "Choose someone from the list"))
        }
    }
}

/// Refuses unless the actor may see the group or project (404 for another service's).
async fn see_team(actor: &Actor, tx: &mut Tx, team: Team) -> Result<String, AppError> {
    authorise(actor, Action::ViewGroups, &Resource::ANY)?;
    let (service, name) = match team {
        Team::Group(g) => groups::find(tx, g).await?.map(|g| (g.service_id, g.name)),
        Team::Project(p) => projects::find(tx, p).await?.map(|p| (p.service_id, p.name)),
    }
    .ok_or(AppError::NotFound)?;
    authorise_or_hide(actor, Action::ViewGroups, &Resource::in_service(service))?;
    Ok(name)
}

/// What a meeting's audit entries are about: its group or project (`group:3`, `project:5`).
fn meeting_object(m: &Meeting) -> String {
    match m.team() {
        Team::Group(g) => format!("group:{g}"),
        Team::Project(p) => format!("project:{p}"),
    }
}

fn who_key_of(who: Joiner) -> String {
    match who {
        Joiner::Person(p) => who_key(Some(p), None),
        Joiner::Staff(s) => who_key(None, Some(s)),
    }
}
