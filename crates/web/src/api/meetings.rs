//! Meetings, their attendance and their actions, as JSON.

use super::extract::{ApiActor, ApiJson, ApiPath};
use super::kit::{created_action, ActionItem, NewAction, Page};
use crate::error::{ApiError, Problem};
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use coproduce_app::meetings::{who_key, MeetingInput, RegisterInput, RegisterLineInput};
use coproduce_app::{authorise, Action, AppError, Resource};
use coproduce_domain::groups::{Joiner, Team};
use coproduce_domain::meetings as record;
use coproduce_domain::MeetingId;
use coproduce_domain::{GroupId, PersonId, ProjectId, StaffId};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A meeting of a group or a project.
#[derive(Debug, Serialize, ToSchema)]
pub struct Meeting {
    /// Id.
    pub id: i64,
    /// The group, for a group's meeting.
    pub group_id: Option<i64>,
    /// The project, for a project's meeting.
    pub project_id: Option<i64>,
    /// A one-off's title (empty for a group's regular meetings).
    pub title: String,
    /// Start, UTC (RFC 3339).
    pub starts_at: String,
    /// End, UTC (RFC 3339).
    pub ends_at: String,
    /// `scheduled` or `cancelled`.
    pub status: String,
    /// How many times it changed (the iCalendar `SEQUENCE`).
    pub sequence: i64,
    /// The agenda.
    pub agenda: String,
    /// The minutes.
    pub notes: String,
    /// How to join by video (this meeting's link, else the group's).
    pub video_link: Option<String>,
    /// How to join by phone.
    pub phone_dial_in: String,
    /// Where.
    pub venue: String,
    /// The venue's access information.
    pub venue_access: String,
    /// Version, for changing it.
    pub version: i64,
    /// The register's version, for saving the register.
    pub register_version: i64,
}

impl From<record::Meeting> for Meeting {
    fn from(m: record::Meeting) -> Meeting {
        Meeting {
            id: m.id.0,
            group_id: m.group_id.map(|v| v.0),
            project_id: m.project_id.map(|v| v.0),
            title: m.title,
            starts_at: rfc3339(m.starts_at),
            ends_at: rfc3339(m.ends_at),
            status: m.status.code().to_owned(),
            sequence: m.sequence,
            agenda: m.agenda,
            notes: m.notes,
            video_link: m.join_video_link,
            phone_dial_in: m.join_phone_dial_in,
            venue: m.join_venue,
            venue_access: m.join_venue_access,
            version: m.version,
            register_version: m.register_version,
        }
    }
}

/// Which meetings: those of one group, one project, or one person, in a date range.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MeetingsQuery {
    /// A group's id.
    pub group_id: Option<i64>,
    /// A project's id.
    pub project_id: Option<i64>,
    /// A person's id: the meetings they are invited to.
    pub person_id: Option<i64>,
    /// Meetings starting on or after this: a date (`YYYY-MM-DD`, from midnight UK time) or an
    /// RFC 3339 moment.
    pub from: Option<String>,
    /// Meetings starting before this, written as `from` is.
    pub to: Option<String>,
}

fn moment(
    field: &'static str,
    text: Option<&str>,
) -> Result<Option<coproduce_domain::Timestamp>, ApiError> {
    let Some(t) = text.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    let at = chrono::DateTime::parse_from_rfc3339(t)
        .map(|d| d.timestamp_millis())
        .or_else(|_| {
            coproduce_domain::people::parse_date(t).map(|d| {
                coproduce_domain::time::london_to_utc(d.and_time(chrono::NaiveTime::MIN))
                    .timestamp_millis()
            })
        })
        .map_err(|_| {
            AppError::field(
                field,
                "Send a date like 2026-01-31 or a moment like 2026-01-31T10:00:00Z",
            )
        })?;
    let day = chrono::DateTime::from_timestamp_millis(at).map(|d| d.date_naive());
    if let Some(Err(message)) = day.map(coproduce_domain::range::date) {
        return Err(AppError::field(field, message).into());
    }
    Ok(Some(coproduce_domain::Timestamp(at)))
}

fn rfc3339(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
        .unwrap_or_default()
}

/// Meetings of a group, a project or a person (exactly one), soonest first; cancelled ones are
/// included and say so.
#[utoipa::path(get, path = "/api/v1/meetings", tag = "meetings", params(MeetingsQuery), security(("bearer" = [])),
    responses((status = 200, body = Page<Meeting>), (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn meetings(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    super::ApiQuery(q): super::ApiQuery<MeetingsQuery>,
) -> Result<Json<Page<Meeting>>, ApiError> {
    // The policy answers before the query is read.
    authorise(&actor, Action::ViewGroups, &Resource::ANY)?;
    let from = moment("from", q.from.as_deref())?;
    let to = moment("to", q.to.as_deref())?;
    let rows = match (q.group_id, q.project_id, q.person_id) {
        (Some(g), None, None) => {
            state
                .app
                .team_meetings(&actor, Team::Group(GroupId(g)), from, to)
                .await?
        }
        (None, Some(p), None) => {
            state
                .app
                .team_meetings(&actor, Team::Project(ProjectId(p)), from, to)
                .await?
        }
        (None, None, Some(p)) => {
            let from = from.unwrap_or(coproduce_domain::Timestamp(0));
            let to = to.unwrap_or(coproduce_domain::Timestamp(i64::MAX / 2));
            state
                .app
                .attendee_meetings(&actor, Joiner::Person(PersonId(p)), from, to)
                .await?
        }
        _ => {
            return Err(AppError::field(
                "group_id",
                "Send one of group_id, project_id or person_id",
            )
            .into())
        }
    };
    Ok(Page::whole(rows.into_iter().map(Meeting::from).collect()))
}

/// A one-off meeting for a group or a project (exactly one).
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[serde(default)]
pub struct NewMeeting {
    /// The group's id.
    pub group_id: Option<i64>,
    /// The project's id.
    pub project_id: Option<i64>,
    /// A title (optional).
    pub title: String,
    /// The start, UK time, `YYYY-MM-DDTHH:MM`.
    pub starts_at_local: String,
    /// Length in minutes (default 60).
    pub minutes: Option<i64>,
    /// The agenda.
    pub agenda: String,
    /// A video link for this meeting (https), if not the group's.
    pub video_link: String,
    /// A dial-in, if not the group's.
    pub phone_dial_in: String,
    /// A venue, if not the group's.
    pub venue: String,
    /// Its access information.
    pub venue_access: String,
}

/// The API sends one start, `starts_at_local`, where the pages have a date and a time: their
/// problems are the start's.
fn as_start(e: AppError) -> ApiError {
    match e {
        AppError::Invalid(list) => AppError::Invalid(
            list.into_iter()
                .map(|mut f| {
                    if matches!(f.field, "date" | "time") {
                        f.field = "starts_at_local";
                    }
                    f
                })
                .collect(),
        )
        .into(),
        other => other.into(),
    }
}

fn split_start(start: &str) -> Result<(String, String), ApiError> {
    start
        .split_once('T')
        .map(|(d, t)| (d.to_owned(), t.to_owned()))
        .ok_or_else(|| {
            AppError::field("starts_at_local", "Send a start like 2026-01-31T10:00").into()
        })
}

/// Adds a one-off meeting to a group or project.
#[utoipa::path(post, path = "/api/v1/meetings", tag = "meetings", request_body = NewMeeting, security(("bearer" = [])),
    responses((status = 201, body = Meeting), (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn add_meeting(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiJson(body): ApiJson<NewMeeting>,
) -> Result<(StatusCode, Json<Meeting>), ApiError> {
    authorise(&actor, Action::EditGroups, &Resource::ANY)?;
    let team = match (body.group_id, body.project_id) {
        (Some(g), None) => Team::Group(GroupId(g)),
        (None, Some(p)) => Team::Project(ProjectId(p)),
        _ => return Err(AppError::field("group_id", "Send one of group_id or project_id").into()),
    };
    let (date, time) = split_start(&body.starts_at_local)?;
    let input = MeetingInput {
        title: body.title,
        date,
        time,
        minutes: body.minutes.unwrap_or(60).to_string(),
        status: "scheduled".into(),
        agenda: body.agenda,
        notes: String::new(),
        video_link: body.video_link,
        phone_dial_in: body.phone_dial_in,
        venue: body.venue,
        venue_access: body.venue_access,
        version: 0,
    };
    let id = state
        .app
        .add_meeting(&actor, team, &input)
        .await
        .map_err(as_start)?;
    let m = state.app.view_meeting(&actor, id).await?.meeting;
    Ok((StatusCode::CREATED, Json(Meeting::from(m))))
}

/// Changes to one meeting: only the fields sent change. `version` is required. The rest of the
/// series is untouched and leaves this meeting alone from then on.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[serde(default)]
pub struct MeetingChange {
    /// The version read; a stale one gets 409.
    pub version: Option<i64>,
    /// The new start, UK time, `YYYY-MM-DDTHH:MM`.
    pub starts_at_local: Option<String>,
    /// The new length in minutes.
    pub minutes: Option<i64>,
    /// `scheduled` or `cancelled`.
    pub status: Option<String>,
    /// The agenda.
    pub agenda: Option<String>,
    /// The minutes of the meeting.
    pub notes: Option<String>,
}

/// One meeting.
#[utoipa::path(get, path = "/api/v1/meetings/{id}", tag = "meetings", params(("id" = i64, Path, description = "The meeting's id")),
    security(("bearer" = [])),
    responses((status = 200, body = Meeting), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn show_meeting(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<MeetingId>,
) -> Result<Json<Meeting>, ApiError> {
    let m = state.app.view_meeting(&actor, id).await?.meeting;
    Ok(Json(Meeting::from(m)))
}

/// Moves, re-times, cancels or reinstates one meeting, or sets its agenda or minutes.
#[utoipa::path(patch, path = "/api/v1/meetings/{id}", tag = "meetings", params(("id" = i64, Path, description = "The meeting's id")),
    request_body = MeetingChange, security(("bearer" = [])),
    responses((status = 200, body = Meeting), (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn change_meeting(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<MeetingId>,
    ApiJson(change): ApiJson<MeetingChange>,
) -> Result<Json<Meeting>, ApiError> {
    let current = state.app.view_meeting(&actor, id).await?.meeting;
    let Some(version) = change.version else {
        return Err(AppError::field("version", "Send the version you read").into());
    };
    let mut input = MeetingInput::from_meeting(&current);
    if let Some(start) = change.starts_at_local.as_deref() {
        (input.date, input.time) = split_start(start)?;
    }
    if let Some(minutes) = change.minutes {
        input.minutes = minutes.to_string();
    }
    input.status = change.status.unwrap_or(input.status);
    input.agenda = change.agenda.unwrap_or(input.agenda);
    input.notes = change.notes.unwrap_or(input.notes);
    input.version = version;
    state
        .app
        .change_meeting(&actor, id, &input)
        .await
        .map_err(as_start)?;
    let m = state.app.view_meeting(&actor, id).await?.meeting;
    Ok(Json(Meeting::from(m)))
}

/// Someone a meeting concerns, with their reply and register line.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AttendanceLine {
    /// The person, if a person.
    pub person_id: Option<i64>,
    /// The staff member, if staff.
    pub staff_id: Option<i64>,
    /// Their name (ignored when sent).
    #[serde(default)]
    pub name: String,
    /// Whether they are invited (ignored when sent).
    #[serde(default)]
    pub invited: bool,
    /// `yes`, `no` or `maybe` (ignored when sent).
    #[serde(default)]
    pub rsvp: Option<String>,
    /// `attended`, `apologies`, `absent`, or null when not taken.
    #[serde(default)]
    pub attendance: Option<String>,
    /// Minutes attended (for those who attended; default the whole meeting).
    #[serde(default)]
    pub minutes_attended: Option<i64>,
    /// `member`, `co_chair` or `presenter` (for those who attended; default member).
    #[serde(default)]
    pub role: Option<String>,
}

/// A meeting's register.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Register {
    /// The register's version; send it back when saving (a stale one gets 409).
    pub version: i64,
    /// A line per invitee.
    pub lines: Vec<AttendanceLine>,
}

async fn register_of(
    state: &AppState,
    actor: &coproduce_app::Actor,
    id: MeetingId,
) -> Result<Register, ApiError> {
    let v = state.app.view_meeting(actor, id).await?;
    Ok(Register {
        version: v.meeting.register_version,
        lines: v
            .invitees
            .into_iter()
            .map(|i| AttendanceLine {
                person_id: i.person_id.map(|v| v.0),
                staff_id: i.staff_id.map(|v| v.0),
                name: i.name,
                invited: i.invited,
                rsvp: i.rsvp.map(|r| r.code().to_owned()),
                attendance: i.attendance.map(|a| a.code().to_owned()),
                minutes_attended: i.minutes_attended,
                role: i.role.map(|r| r.code().to_owned()),
            })
            .collect(),
    })
}

/// A meeting's invitees with their replies and the register.
#[utoipa::path(get, path = "/api/v1/meetings/{id}/attendance", tag = "meetings", params(("id" = i64, Path, description = "The meeting's id")),
    security(("bearer" = [])),
    responses((status = 200, body = Register), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn attendance(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<MeetingId>,
) -> Result<Json<Register>, ApiError> {
    Ok(Json(register_of(&state, &actor, id).await?))
}

/// Saves the register: each person who attended gets an involvement record and a contact.
#[utoipa::path(put, path = "/api/v1/meetings/{id}/attendance", tag = "meetings", params(("id" = i64, Path, description = "The meeting's id")),
    request_body = Register, security(("bearer" = [])),
    responses((status = 200, body = Register), (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn save_attendance(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<MeetingId>,
    ApiJson(body): ApiJson<Register>,
) -> Result<Json<Register>, ApiError> {
    let input = RegisterInput {
        version: body.version,
        lines: body
            .lines
            .into_iter()
            .map(|l| RegisterLineInput {
                who: who_key(l.person_id.map(PersonId), l.staff_id.map(StaffId)),
                attendance: l.attendance.unwrap_or_default(),
                minutes_attended: l
                    .minutes_attended
                    .map(|n| n.to_string())
                    .unwrap_or_default(),
                role: l.role.unwrap_or_default(),
            })
            .collect(),
    };
    state.app.save_register(&actor, id, &input).await?;
    Ok(Json(register_of(&state, &actor, id).await?))
}

/// A meeting's actions: those agreed at it and open ones carried forward from earlier meetings.
#[utoipa::path(get, path = "/api/v1/meetings/{id}/actions", tag = "meetings", params(("id" = i64, Path, description = "The meeting's id")),
    security(("bearer" = [])),
    responses((status = 200, body = Page<ActionItem>), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn actions(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<MeetingId>,
) -> Result<Json<Page<ActionItem>>, ApiError> {
    let v = state.app.view_meeting(&actor, id).await?;
    Ok(Page::whole(
        v.actions.into_iter().map(ActionItem::from).collect(),
    ))
}

/// Adds an action to a meeting.
#[utoipa::path(post, path = "/api/v1/meetings/{id}/actions", tag = "meetings", params(("id" = i64, Path, description = "The meeting's id")),
    request_body = NewAction, security(("bearer" = [])),
    responses((status = 201, body = ActionItem), (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn add_action(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<MeetingId>,
    ApiJson(body): ApiJson<NewAction>,
) -> Result<(StatusCode, Json<ActionItem>), ApiError> {
    let input = body.input(&format!("api:{id}"));
    let action = state.app.add_action(&actor, id, &input).await?;
    created_action(state.app.view_meeting(&actor, id).await?.actions, action)
}
