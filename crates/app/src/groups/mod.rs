//! Standing co-production groups: setting one up with its meeting pattern and joining details,
//! and its members.

mod members;
mod schedule;

pub(crate) use schedule::schedule_from;
use schedule::{schedule, schedule_of};

use crate::input::{joining, number, number_or_text, text, Joining};
use crate::write::Done;
use crate::{
    authorise, authorise_or_hide, may, Action, Actor, App, AppError, FieldError, Resource,
};
use chrono::NaiveDate;
use coproduce_domain::groups::Team;
use coproduce_domain::groups::{Group, Member};
use coproduce_domain::meetings::MeetingStatus;
use coproduce_domain::meetings::{HeldPage, Meeting, HELD_PAGE};
use coproduce_domain::pattern::MeetingPattern;
use coproduce_domain::people::parse_date;
use coproduce_domain::reviews::{months_after, GROUP_MONTHS};
use coproduce_domain::time::uk_day;
use coproduce_domain::AuditEvent;
use coproduce_domain::{GroupId, PartnerId, ServiceId};
use coproduce_store::groups;
use coproduce_store::{meetings, services, Tx};

pub use crate::input::MemberInput;

/// A group's details as typed on the form or sent to the API.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct GroupInput {
    /// Name.
    pub name: String,
    /// What it is for.
    pub purpose: String,
    /// Terms of reference.
    pub terms_of_reference: String,
    /// The service's id.
    pub service_id: String,
    /// A partner organisation's id, or empty.
    pub partner_id: String,
    /// How often it meets: an RFC 5545 rule such as `FREQ=WEEKLY;BYDAY=TU`, or empty.
    pub meeting_rrule: String,
    /// The first meeting's date.
    pub first_meeting_date: String,
    /// The first meeting's start time, `HH:MM` (London).
    pub first_meeting_time: String,
    /// How long meetings last, in minutes.
    pub meeting_minutes: String,
    /// The usual video link (https).
    pub video_link: String,
    /// The usual phone dial-in.
    pub phone_dial_in: String,
    /// The usual venue.
    pub venue: String,
    /// The venue's access information.
    pub venue_access: String,
    /// Hours before a meeting that reminders go.
    pub reminder_lead_hours: String,
    /// When to review the group next.
    pub next_review_on: String,
    /// The version read, when changing a group (a form sends it as text).
    #[serde(deserialize_with = "number_or_text")]
    pub version: i64,
}

impl GroupInput {
    /// The input that saves `g` as it is: the base a change of a few fields starts from.
    pub fn from_group(g: &Group) -> GroupInput {
        let (date, time) = g
            .first_meeting
            .as_deref()
            .and_then(|f| f.split_once('T'))
            .map(|(d, t)| (d.to_owned(), t.to_owned()))
            .unwrap_or_default();
        GroupInput {
            name: g.name.clone(),
            purpose: g.purpose.clone(),
            terms_of_reference: g.terms_of_reference.clone(),
            service_id: g.service_id.to_string(),
            partner_id: g.partner_id.map(|p| p.to_string()).unwrap_or_default(),
            meeting_rrule: g.meeting_rrule.clone().unwrap_or_default(),
            first_meeting_date: date,
            first_meeting_time: time,
            meeting_minutes: g.meeting_minutes.to_string(),
            video_link: g.video_link.clone().unwrap_or_default(),
            phone_dial_in: g.phone_dial_in.clone(),
            venue: g.venue.clone(),
            venue_access: g.venue_access.clone(),
            reminder_lead_hours: g.reminder_lead_hours.to_string(),
            next_review_on: g.next_review_on.clone().unwrap_or_default(),
            version: g.version,
        }
    }
}

/// A group with its members and its next meetings.
#[derive(Clone, Debug)]
pub struct GroupView {
    /// The group.
    pub group: Group,
    /// Its pattern in plain English ("Every week on Tuesday"), if it has one.
    pub pattern: Option<String>,
    /// Its current members.
    pub members: Vec<Member>,
    /// The start of its next few meetings from its pattern.
    pub next_meetings: Vec<Meeting>,
}

/// A group's name (required), purpose and terms of reference, each within its length.
fn group_words(input: &GroupInput, problems: &mut Vec<FieldError>) -> (String, String, String) {
    let name = text("name", &input.name, 200, "The name", problems);
    if name.is_empty() {
        problems.push(FieldError::new("name", "Enter the group's name"));
    }
    let purpose = text("purpose", &input.purpose, 2000, "The purpose", problems);
    let terms = text(
        "terms_of_reference",
        &input.terms_of_reference,
        20_000,
        "The terms of reference",
        problems,
    );
    (name, purpose, terms)
}

/// The partner a group works with, if one is chosen: one of those listed.
async fn partner_of(
    tx: &mut Tx,
    text: &str,
    problems: &mut Vec<FieldError>,
) -> Result<Option<PartnerId>, AppError> {
    Ok(match text.trim() {
        "" => None,
        p => {
            let known = services::partners(tx).await?;
            let found = p
                .parse::<i64>()
                .ok()
                .map(PartnerId)
                .filter(|id| known.iter().any(|k| k.id == *id));
            if found.is_none() {
                problems.push(FieldError::new(
                    "partner_id",
                    "Choose a partner from the list",
                ));
            }
            found
        }
    })
}

impl App {
    /// Checks a group's details; the row to store, or every problem.
    async fn checked_group(
        &self,
        actor: &Actor,
        tx: &mut Tx,
        input: &GroupInput,
    ) -> Result<Group, AppError> {
        let mut problems = Vec::new();
        let (name, purpose, terms) = group_words(input, &mut problems);
        let service = crate::services::chosen_service(
            tx,
            actor,
            &input.service_id,
            "Choose the group's service",
            &mut problems,
        )
        .await?;
        let partner_id = partner_of(tx, &input.partner_id, &mut problems).await?;
        let (pattern, first_meeting) = schedule_of(input, &mut problems);
        let meeting_minutes = number(
            "meeting_minutes",
            &input.meeting_minutes,
            60,
            5..=720,
            "Enter how long meetings last, in minutes, from 5 to 720",
            &mut problems,
        );
        let Joining {
            video_link,
            phone_dial_in,
            venue,
            venue_access,
        } = joining(
            [
                &input.video_link,
                &input.phone_dial_in,
                &input.venue,
                &input.venue_access,
            ],
            &mut problems,
        );
        let reminder_lead_hours = number(
            "reminder_lead_hours",
            &input.reminder_lead_hours,
            24,
            1..=336,
            "Enter how many hours before a meeting reminders go, from 1 to 336",
            &mut problems,
        );
        // Every group is due a review: with no date typed, a cadence from today.
        let next_review_on = match input.next_review_on.trim() {
            "" => Some(months_after(uk_day(self.now()), GROUP_MONTHS).to_string()),
            d => parse_date(d)
                .map(|d: NaiveDate| d.to_string())
                .map_err(|e| problems.push(FieldError::new("next_review_on", e.0)))
                .ok(),
        };
        if !problems.is_empty() {
            return Err(AppError::Invalid(problems));
        }
        Ok(Group {
            id: GroupId(0),
            name,
            purpose,
            terms_of_reference: terms,
            service_id: service.map_or(ServiceId(0), |s| s.id),
            service_name: String::new(),
            partner_id,
            partner_name: None,
            meeting_rrule: pattern.map(|p| p.to_rrule()),
            first_meeting,
            meeting_minutes,
            video_link,
            phone_dial_in,
            venue,
            venue_access,
            reminder_lead_hours,
            next_review_on,
            version: input.version,
        })
    }

    /// Sets up a group. Returns its id.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn create_group(
        &self,
        actor: &Actor,
        input: &GroupInput,
    ) -> Result<GroupId, AppError> {
        let now = self.now();
        self.write(actor, Action::EditGroups, &Resource::ANY, async |tx| {
            let row = self.checked_group(actor, tx, input).await?;
            let id = groups::insert(tx, &row, now)
                .await
                .map_err(AppError::from_store_for("name"))?;
            schedule(tx, id, &row, now).await?;
            Ok(Done::new(
                id,
                AuditEvent::GroupAdd,
                format!("group:{id}"),
                row.name,
            ))
        })
        .await
    }

    /// Changes a group's details if nobody saved it since `input.version` was read.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn update_group(
        &self,
        actor: &Actor,
        id: GroupId,
        input: &GroupInput,
    ) -> Result<(), AppError> {
        let now = self.now();
        self.write(actor, Action::EditGroups, &Resource::ANY, async |tx| {
            let current = self.group_for_editing(actor, tx, id).await?;
            let mut row = self.checked_group(actor, tx, input).await?;
            row.id = id;
            if !groups::update(tx, &row, now)
                .await
                .map_err(AppError::from_store_for("name"))?
            {
                return Err(AppError::Conflict {
                    version: current.version,
                    changed: changed_fields(&current, &row),
                });
            }
            schedule(tx, id, &row, now).await?;
            Ok(Done::new(
                (),
                AuditEvent::GroupChange,
                format!("group:{id}"),
                row.name,
            ))
        })
        .await
    }

    /// A group the actor may change (admins: any; staff: their services').
    pub(crate) async fn group_for_editing(
        &self,
        actor: &Actor,
        tx: &mut Tx,
        id: GroupId,
    ) -> Result<Group, AppError> {
        let group = groups::find(tx, id).await?.ok_or(AppError::NotFound)?;
        authorise(
            actor,
            Action::EditGroups,
            &Resource::in_service(group.service_id),
        )?;
        Ok(group)
    }

    /// The groups the actor works with (every group, for the participation team), by name.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn groups(&self, actor: &Actor) -> Result<Vec<Group>, AppError> {
        authorise(actor, Action::ViewGroups, &Resource::ANY)?;
        let mut tx = self.db().read().await?;
        let all = groups::list(&mut tx, None).await?;
        tx.commit().await?;
        Ok(all
            .into_iter()
            .filter(|g| {
                may(
                    actor,
                    Action::ViewGroups,
                    &Resource::in_service(g.service_id),
                )
            })
            .collect())
    }

    /// One group with its members and next meetings.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn view_group(&self, actor: &Actor, id: GroupId) -> Result<GroupView, AppError> {
        let mut tx = self.db().read().await?;
        let (group, members) = seen_group(actor, &mut tx, id).await?;
        let next_meetings =
            meetings::for_team(&mut tx, Team::Group(id), Some(self.now()), None, 12).await?;
        tx.commit().await?;
        Ok(group_view(group, members, next_meetings))
    }

    /// A group's page: the group as [`App::view_group`] gives it, and a page of the meetings it
    /// has held from the `held_from`th, newest first, read together in one transaction.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn group_page(
        &self,
        actor: &Actor,
        id: GroupId,
        held_from: i64,
    ) -> Result<(GroupView, HeldPage), AppError> {
        let held_from = held_from.max(0);
        let mut tx = self.db().read().await?;
        let (group, members) = seen_group(actor, &mut tx, id).await?;
        let (next, held) = meetings::team_page(
            &mut tx,
            Team::Group(id),
            self.now(),
            12,
            HELD_PAGE + 1,
            held_from,
        )
        .await?;
        tx.commit().await?;
        Ok((
            group_view(group, members, next),
            HeldPage::of(held, held_from),
        ))
    }
}

/// A group the actor may see (404 for another service's), with its current members.
async fn seen_group(
    actor: &Actor,
    tx: &mut Tx,
    id: GroupId,
) -> Result<(Group, Vec<Member>), AppError> {
    authorise(actor, Action::ViewGroups, &Resource::ANY)?;
    let group = groups::find(tx, id).await?.ok_or(AppError::NotFound)?;
    authorise_or_hide(
        actor,
        Action::ViewGroups,
        &Resource::in_service(group.service_id),
    )?;
    let members = groups::members(tx, Team::Group(id)).await?;
    Ok((group, members))
}

/// A group's view: its pattern in words and its next six meetings still to happen.
fn group_view(group: Group, members: Vec<Member>, upcoming: Vec<Meeting>) -> GroupView {
    let pattern = group
        .meeting_rrule
        .as_deref()
        .and_then(|r| MeetingPattern::parse(r).ok());
    GroupView {
        pattern: pattern.map(|p| p.to_string()),
        group,
        members,
        next_meetings: upcoming
            .into_iter()
            .filter(|m| m.status == MeetingStatus::Scheduled)
            .take(6)
            .collect(),
    }
}

/// The fields someone else changed, for the conflict message.
fn changed_fields(current: &Group, mine: &Group) -> Vec<&'static str> {
    let pairs = [
        ("name", current.name != mine.name),
        ("purpose", current.purpose != mine.purpose),
        (
            "terms_of_reference",
            current.terms_of_reference != mine.terms_of_reference,
        ),
        ("service_id", current.service_id != mine.service_id),
        ("partner_id", current.partner_id != mine.partner_id),
        ("meeting_rrule", current.meeting_rrule != mine.meeting_rrule),
        ("first_meeting", current.first_meeting != mine.first_meeting),
        (
            "meeting_minutes",
            current.meeting_minutes != mine.meeting_minutes,
        ),
        ("video_link", current.video_link != mine.video_link),
        ("phone_dial_in", current.phone_dial_in != mine.phone_dial_in),
        ("venue", current.venue != mine.venue),
        ("venue_access", current.venue_access != mine.venue_access),
        (
            "reminder_lead_hours",
            current.reminder_lead_hours != mine.reminder_lead_hours,
        ),
        (
            "next_review_on",
            current.next_review_on != mine.next_review_on,
        ),
    ];
    pairs
        .into_iter()
        .filter(|(_, d)| *d)
        .map(|(f, _)| f)
        .collect()
}
