//! Groups and their members, as JSON.

use super::extract::{ApiActor, ApiJson, ApiPath};
use super::kit::Page;
use crate::error::{ApiError, Problem};
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use coproduce_app::groups::{GroupInput, GroupView, MemberInput};
use coproduce_app::AppError;
use coproduce_domain::GroupId;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A standing co-production group.
#[derive(Debug, Serialize, ToSchema)]
pub struct Group {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// What it is for.
    pub purpose: String,
    /// Its terms of reference.
    pub terms_of_reference: String,
    /// The service it belongs to.
    pub service_id: i64,
    /// A partner organisation it works with.
    pub partner_id: Option<i64>,
    /// How often it meets: an RFC 5545 rule, e.g. `FREQ=WEEKLY;BYDAY=TU`.
    pub meeting_rrule: Option<String>,
    /// The rule in plain English, e.g. "Every week on Tuesday".
    pub meeting_pattern: Option<String>,
    /// The first meeting's start, London time, `YYYY-MM-DDTHH:MM`.
    pub first_meeting: Option<String>,
    /// How long meetings last, in minutes.
    pub meeting_minutes: i64,
    /// The usual video link.
    pub video_link: Option<String>,
    /// The usual phone dial-in.
    pub phone_dial_in: String,
    /// The usual venue.
    pub venue: String,
    /// The venue's access information.
    pub venue_access: String,
    /// Hours before a meeting that reminders go.
    pub reminder_lead_hours: i64,
    /// When to review the group next.
    pub next_review_on: Option<String>,
    /// The next few meetings' starts, UTC (RFC 3339), from the pattern.
    pub next_meetings: Vec<String>,
    /// Version: send it back when changing the group.
    pub version: i64,
}

impl Group {
    fn from_view(v: GroupView) -> Group {
        let g = v.group;
        Group {
            id: g.id.0,
            name: g.name,
            purpose: g.purpose,
            terms_of_reference: g.terms_of_reference,
            service_id: g.service_id.0,
            partner_id: g.partner_id.map(|v| v.0),
            meeting_rrule: g.meeting_rrule,
            meeting_pattern: v.pattern,
            first_meeting: g.first_meeting,
            meeting_minutes: g.meeting_minutes,
            video_link: g.video_link,
            phone_dial_in: g.phone_dial_in,
            venue: g.venue,
            venue_access: g.venue_access,
            reminder_lead_hours: g.reminder_lead_hours,
            next_review_on: g.next_review_on,
            next_meetings: v
                .next_meetings
                .iter()
                .filter_map(|m| chrono::DateTime::from_timestamp_millis(m.starts_at))
                .map(|m| m.to_rfc3339())
                .collect(),
            version: g.version,
        }
    }
}

/// A group's details. On `POST` the name and service are required; on `PATCH` only what is
/// sent changes, and `version` is required.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[serde(default)]
pub struct GroupFields {
    /// The version read (`PATCH` only); a stale one gets 409.
    pub version: Option<i64>,
    /// Name.
    pub name: Option<String>,
    /// What it is for.
    pub purpose: Option<String>,
    /// Terms of reference.
    pub terms_of_reference: Option<String>,
    /// The service's id.
    pub service_id: Option<i64>,
    /// A partner organisation's id.
    pub partner_id: Option<i64>,
    /// An RFC 5545 rule, e.g. `FREQ=WEEKLY;BYDAY=TU`; more often than daily is refused.
    pub meeting_rrule: Option<String>,
    /// The first meeting's start, London time, `YYYY-MM-DDTHH:MM`.
    pub first_meeting: Option<String>,
    /// Minutes.
    pub meeting_minutes: Option<i64>,
    /// An https video link.
    pub video_link: Option<String>,
    /// Phone dial-in.
    pub phone_dial_in: Option<String>,
    /// Venue.
    pub venue: Option<String>,
    /// Venue access information.
    pub venue_access: Option<String>,
    /// Reminder lead time in hours.
    pub reminder_lead_hours: Option<i64>,
    /// Next review date, `YYYY-MM-DD`.
    pub next_review_on: Option<String>,
}

impl GroupFields {
    /// The input: what was sent, over `base` (the group as it is, or nothing for a new one).
    fn over(self, base: GroupInput) -> GroupInput {
        let (date, time) = match self.first_meeting {
            Some(f) => match f.split_once('T') {
                Some((d, t)) => (d.to_owned(), t.to_owned()),
                None => (f, String::new()),
            },
            None => (base.first_meeting_date, base.first_meeting_time),
        };
        let num = |n: Option<i64>, b: String| n.map_or(b, |n| n.to_string());
        GroupInput {
            name: self.name.unwrap_or(base.name),
            purpose: self.purpose.unwrap_or(base.purpose),
            terms_of_reference: self.terms_of_reference.unwrap_or(base.terms_of_reference),
            service_id: num(self.service_id, base.service_id),
            partner_id: num(self.partner_id, base.partner_id),
            meeting_rrule: self.meeting_rrule.unwrap_or(base.meeting_rrule),
            first_meeting_date: date,
            first_meeting_time: time,
            meeting_minutes: num(self.meeting_minutes, base.meeting_minutes),
            video_link: self.video_link.unwrap_or(base.video_link),
            phone_dial_in: self.phone_dial_in.unwrap_or(base.phone_dial_in),
            venue: self.venue.unwrap_or(base.venue),
            venue_access: self.venue_access.unwrap_or(base.venue_access),
            reminder_lead_hours: num(self.reminder_lead_hours, base.reminder_lead_hours),
            next_review_on: self.next_review_on.unwrap_or(base.next_review_on),
            version: self.version.unwrap_or(base.version),
        }
    }
}

/// The groups the caller works with.
#[utoipa::path(get, path = "/api/v1/groups", tag = "groups", security(("bearer" = [])),
    responses((status = 200, body = Page<Group>), (status = 401, body = Problem, content_type = "application/problem+json")))]
pub async fn list(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
) -> Result<Json<Page<Group>>, ApiError> {
    let mut items = Vec::new();
    for g in state.app.groups(&actor).await? {
        items.push(Group::from_view(state.app.view_group(&actor, g.id).await?));
    }
    Ok(Page::whole(items))
}

/// Sets up a group.
#[utoipa::path(post, path = "/api/v1/groups", tag = "groups", request_body = GroupFields, security(("bearer" = [])),
    responses((status = 201, body = Group), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn create(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiJson(body): ApiJson<GroupFields>,
) -> Result<(StatusCode, Json<Group>), ApiError> {
    let id = state
        .app
        .create_group(&actor, &body.over(GroupInput::default()))
        .await?;
    let view = state.app.view_group(&actor, id).await?;
    Ok((StatusCode::CREATED, Json(Group::from_view(view))))
}

/// One group, with its next meetings.
#[utoipa::path(get, path = "/api/v1/groups/{id}", tag = "groups", params(("id" = i64, Path, description = "The group's id")),
    security(("bearer" = [])),
    responses((status = 200, body = Group), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn show(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<GroupId>,
) -> Result<Json<Group>, ApiError> {
    Ok(Json(Group::from_view(
        state.app.view_group(&actor, id).await?,
    )))
}

/// Changes a group: only the fields sent change. `version` is required.
#[utoipa::path(patch, path = "/api/v1/groups/{id}", tag = "groups", params(("id" = i64, Path, description = "The group's id")),
    request_body = GroupFields, security(("bearer" = [])),
    responses((status = 200, body = Group), (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn update(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<GroupId>,
    ApiJson(change): ApiJson<GroupFields>,
) -> Result<Json<Group>, ApiError> {
    let current = state.app.view_group(&actor, id).await?.group;
    if change.version.is_none() {
        return Err(AppError::field("version", "Send the version you read").into());
    }
    let base = GroupInput::from_group(&current);
    state
        .app
        .update_group(&actor, id, &change.over(base))
        .await?;
    Ok(Json(Group::from_view(
        state.app.view_group(&actor, id).await?,
    )))
}

/// A current member of a group.
#[derive(Debug, Serialize, ToSchema)]
pub struct Member {
    /// The membership's id.
    pub id: i64,
    /// The person, when a person.
    pub person_id: Option<i64>,
    /// The staff member, when staff.
    pub staff_id: Option<i64>,
    /// Their name.
    pub name: String,
    /// `chair`, `member`, `staff_lead` or `supporter`.
    pub role: String,
    /// When they joined, `YYYY-MM-DD`.
    pub joined_on: String,
}

/// Someone joining: a person (as `chair`, `member` or `supporter`) or a staff member (as
/// `staff_lead` or `supporter`).
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[serde(default)]
pub struct NewMember {
    /// A person's id.
    pub person_id: Option<i64>,
    /// A staff member's id.
    pub staff_id: Option<i64>,
    /// Their role.
    pub role: String,
}

fn members_of(view: GroupView) -> Vec<Member> {
    view.members
        .into_iter()
        .map(|m| Member {
            id: m.id,
            person_id: m.person_id.map(|v| v.0),
            staff_id: m.staff_id.map(|v| v.0),
            name: m.name,
            role: m.role.code().to_owned(),
            joined_on: m.joined_on,
        })
        .collect()
}

/// A group's current members, chair first.
#[utoipa::path(get, path = "/api/v1/groups/{id}/members", tag = "groups", params(("id" = i64, Path, description = "The group's id")),
    security(("bearer" = [])),
    responses((status = 200, body = Page<Member>), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn members(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<GroupId>,
) -> Result<Json<Page<Member>>, ApiError> {
    Ok(Page::whole(members_of(
        state.app.view_group(&actor, id).await?,
    )))
}

/// Ends a membership; it stays in the group's history.
#[utoipa::path(delete, path = "/api/v1/groups/{id}/members/{member}", tag = "groups",
    params(("id" = i64, Path, description = "The group's id"), ("member" = i64, Path, description = "The membership's id")),
    security(("bearer" = [])),
    responses((status = 204, description = "The membership ended"), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn end_member(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath((id, member)): ApiPath<(GroupId, i64)>,
) -> Result<StatusCode, ApiError> {
    state.app.remove_group_member(&actor, id, member).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Adds a member.
#[utoipa::path(post, path = "/api/v1/groups/{id}/members", tag = "groups", params(("id" = i64, Path, description = "The group's id")),
    request_body = NewMember, security(("bearer" = [])),
    responses((status = 201, body = Member), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn add_member(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<GroupId>,
    ApiJson(body): ApiJson<NewMember>,
) -> Result<(StatusCode, Json<Member>), ApiError> {
    let input = MemberInput {
        person_id: body.person_id.map(|p| p.to_string()).unwrap_or_default(),
        staff_id: body.staff_id.map(|s| s.to_string()).unwrap_or_default(),
        role: body.role,
    };
    let member = state.app.add_group_member(&actor, id, &input).await?;
    let added = members_of(state.app.view_group(&actor, id).await?)
        .into_iter()
        .find(|m| m.id == member)
        .ok_or(ApiError::not_found())?;
    Ok((StatusCode::CREATED, Json(added)))
}
