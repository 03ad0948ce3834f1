//! Groups: the list, setting one up or changing it, its page with members and next meetings,
//! and adding a person found by name.

use super::kit::team::{member_routes, Notice};
use super::kit::{date_text, uk, Routes};
use super::kit::{render, Errors, Layout};
use crate::error::PageError;
use crate::extract::CsrfForm;
use crate::extract::SignedIn;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use coproduce_app::groups::{Group, GroupInput, GroupView};
use coproduce_app::meetings::Team;
use coproduce_app::people::{PartnerRow, ServiceRow};
use coproduce_app::sign_in::Session;
use coproduce_app::Action;
use coproduce_app::{AppError, FieldError};
use coproduce_domain::groups::GroupRole;
use coproduce_domain::pattern::{simple_parts, simple_rule};
use serde::Deserialize;

/// The groups routes.
pub(super) fn routes() -> Routes {
    Routes::new()
        .route("/groups", get(list).post(create))
        .route("/groups/new", get(new_form))
        .route("/groups/{id}", get(show))
        .route("/groups/{id}/edit", get(edit_form).post(save))
        .merge(member_routes(
            "/groups/{id}/members",
            "/groups/{id}/members/{member}/end",
            Team::Group,
        ))
}

struct GroupItem {
    id: i64,
    name: String,
    service: String,
    pattern: String,
}

#[derive(Template)]
#[template(path = "groups/list.html")]
struct ListPage {
    layout: Layout,
    groups: Vec<GroupItem>,
}

async fn list(State(state): State<AppState>, SignedIn(session, actor): SignedIn) -> Response {
    let groups = match state.app.groups(&actor).await {
        Ok(g) => g,
        Err(e) => return PageError::from(e).into_response(),
    };
    let groups = groups
        .into_iter()
        .map(|g| GroupItem {
            pattern: g
                .meeting_rrule
                .as_deref()
                .and_then(|r| coproduce_domain::pattern::MeetingPattern::parse(r).ok())
                .map_or_else(|| "No regular meetings".to_owned(), |p| p.to_string()),
            id: g.id,
            name: g.name,
            service: g.service_name,
        })
        .collect();
    let page = ListPage {
        layout: Layout::new(&state, Some(&session), "Groups", "/groups"),
        groups,
    };
    render(StatusCode::OK, &page)
}

/// The form as typed: the group's fields plus the everyday meeting-pattern choices.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
struct GroupForm {
    #[serde(flatten)]
    group: GroupInput,
    /// `none`, `weekly`, `fortnightly`, `monthly` or `custom`.
    repeat: String,
    weekday: String,
    week: String,
}

impl GroupForm {
    /// The form filled from a stored group.
    fn from_group(g: &Group) -> GroupForm {
        let group = GroupInput::from_group(g);
        let (repeat, weekday, week) = match simple_parts(&group.meeting_rrule) {
            Some((r, d, w)) => (r.to_owned(), d.to_owned(), w),
            None if group.meeting_rrule.is_empty() => {
                ("none".to_owned(), String::new(), String::new())
            }
            None => ("custom".to_owned(), String::new(), String::new()),
        };
        GroupForm {
            group,
            repeat,
            weekday,
            week,
        }
    }

    /// The input for the use case, with the everyday choices made into a rule, and any
    /// problems with those choices.
    fn input(&self) -> (GroupInput, Vec<FieldError>) {
        let mut input = self.group.clone();
        let mut problems = Vec::new();
        match self.repeat.as_str() {
            "custom" => {}
            "" | "none" => input.meeting_rrule = String::new(),
            repeat => match simple_rule(repeat, &self.weekday, &self.week) {
                Some(rule) => input.meeting_rrule = rule,
                None => {
                    input.meeting_rrule = String::new();
                    if self.weekday.is_empty() {
                        problems.push(FieldError::new("weekday", "Choose the day the group meets"));
                    } else {
                        problems.push(FieldError::new("week", "Choose which week of the month"));
                    }
                }
            },
        }
        (input, problems)
    }
}

#[derive(Template)]
#[template(path = "groups/form.html")]
struct FormPage {
    layout: Layout,
    errors: Errors,
    action: String,
    heading: &'static str,
    form: GroupForm,
    services: Vec<ServiceRow>,
    partners: Vec<PartnerRow>,
    weekdays: [(&'static str, &'static str); 7],
    weeks: [(&'static str, &'static str); 5],
    csrf_token: String,
}

const WEEKDAYS: [(&str, &str); 7] = [
    ("MO", "Monday"),
    ("TU", "Tuesday"),
    ("WE", "Wednesday"),
    ("TH", "Thursday"),
    ("FR", "Friday"),
    ("SA", "Saturday"),
    ("SU", "Sunday"),
];

const WEEKS: [(&str, &str); 5] = [
    ("1", "First"),
    ("2", "Second"),
    ("3", "Third"),
    ("4", "Fourth"),
    ("-1", "Last"),
];

async fn form_page(
    state: &AppState,
    session: &Session,
    id: Option<i64>,
    form: GroupForm,
    errors: Errors,
) -> Response {
    let found = state
        .app
        .services_and_partners_for(&session.actor(), Action::EditGroups)
        .await;
    let (services, partners) = match found {
        Ok(r) => r,
        Err(e) => return PageError::from(e).into_response(),
    };
    let heading = if id.is_some() {
        "Change the group"
    } else {
        "Set up a group"
    };
    let title = if errors.is_empty() {
        heading.to_owned()
    } else {
        format!("Error: {heading}")
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    let page = FormPage {
        layout: Layout::new(state, Some(session), title, "/groups"),
        errors,
        action: id.map_or_else(|| "/groups".to_owned(), |id| format!("/groups/{id}/edit")),
        heading,
        form,
        services,
        partners,
        weekdays: WEEKDAYS,
        weeks: WEEKS,
        csrf_token: session.csrf_token.clone(),
    };
    render(status, &page)
}

async fn new_form(State(state): State<AppState>, SignedIn(session, _): SignedIn) -> Response {
    let form = GroupForm {
        repeat: "weekly".into(),
        group: GroupInput {
            meeting_minutes: "60".into(),
            reminder_lead_hours: "24".into(),
            ..GroupInput::default()
        },
        ..GroupForm::default()
    };
    form_page(&state, &session, None, form, Errors::default()).await
}

/// After a submitted form: to the group's page, or the form again with the problems and
/// what was typed.
async fn after_submit(
    state: &AppState,
    session: &Session,
    id: Option<i64>,
    form: GroupForm,
    result: Result<i64, AppError>,
) -> Response {
    match result {
        Ok(id) => Redirect::to(&format!("/groups/{id}?saved=1")).into_response(),
        Err(AppError::Invalid(list)) => {
            form_page(state, session, id, form, Errors::from(list)).await
        }
        Err(AppError::Conflict { changed, .. }) => {
            let what = changed.join(", ");
            let message = if what.is_empty() {
                "Someone else saved this group while you were changing it. Check the details below and save again.".to_owned()
            } else {
                format!("Someone else changed this group ({what}) while you were changing it. What you typed is below: check it and save again.")
            };
            let mut form = form;
            if let Some(id) = id {
                if let Ok(v) = state.app.view_group(&session.actor(), id).await {
                    form.group.version = v.group.version;
                }
            }
            form_page(state, session, id, form, Errors::one("name", message)).await
        }
        Err(e) => PageError::from(e).into_response(),
    }
}

async fn create(
    State(state): State<AppState>,
    SignedIn(session, actor): SignedIn,
    CsrfForm(form): CsrfForm<GroupForm>,
) -> Response {
    let (input, problems) = form.input();
    if !problems.is_empty() {
        return form_page(&state, &session, None, form, Errors::from(problems)).await;
    }
    let result = state.app.create_group(&actor, &input).await;
    after_submit(&state, &session, None, form, result).await
}

async fn edit_form(
    State(state): State<AppState>,
    SignedIn(session, actor): SignedIn,
    Path(id): Path<i64>,
) -> Response {
    match state.app.view_group(&actor, id).await {
        Ok(v) => {
            form_page(
                &state,
                &session,
                Some(id),
                GroupForm::from_group(&v.group),
                Errors::default(),
            )
            .await
        }
        Err(e) => PageError::from(e).into_response(),
    }
}

async fn save(
    State(state): State<AppState>,
    SignedIn(session, actor): SignedIn,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<GroupForm>,
) -> Response {
    let (input, problems) = form.input();
    if !problems.is_empty() {
        return form_page(&state, &session, Some(id), form, Errors::from(problems)).await;
    }
    let result = state
        .app
        .update_group(&actor, id, &input)
        .await
        .map(|()| id);
    after_submit(&state, &session, Some(id), form, result).await
}

struct MemberItem {
    id: i64,
    name: String,
    href: Option<String>,
    role: &'static str,
    since: String,
}

#[derive(Template)]
#[template(path = "groups/show.html")]
struct ShowPage {
    layout: Layout,
    notice: Option<&'static str>,
    group: Group,
    pattern: String,
    first_meeting: String,
    next_review: String,
    next_meetings: Vec<(i64, String)>,
    members: Vec<MemberItem>,
    csrf_token: String,
}

fn show_page(
    state: &AppState,
    session: &Session,
    view: GroupView,
    notice: Option<&'static str>,
) -> Response {
    let g = view.group;
    let members = view
        .members
        .into_iter()
        .map(|m| MemberItem {
            id: m.id,
            href: m.person_id.map(|p| format!("/people/{p}")),
            name: m.name,
            role: GroupRole::parse(&m.role).map_or("", GroupRole::label),
            since: date_text(&m.joined_on),
        })
        .collect();
    let page = ShowPage {
        layout: Layout::new(state, Some(session), g.name.clone(), "/groups"),
        notice,
        pattern: view
            .pattern
            .unwrap_or_else(|| "No regular meetings".to_owned()),
        first_meeting: g
            .first_meeting
            .as_deref()
            .and_then(|f| chrono::NaiveDateTime::parse_from_str(f, "%Y-%m-%dT%H:%M").ok())
            .map(|f| f.format("%-d %b %Y, %H:%M").to_string())
            .unwrap_or_default(),
        next_review: g
            .next_review_on
            .as_deref()
            .map(date_text)
            .unwrap_or_default(),
        next_meetings: view
            .next_meetings
            .iter()
            .map(|m| (m.id, uk(m.starts_at)))
            .collect(),
        members,
        group: g,
        csrf_token: session.csrf_token.clone(),
    };
    render(StatusCode::OK, &page)
}

async fn show(
    State(state): State<AppState>,
    SignedIn(session, actor): SignedIn,
    Path(id): Path<i64>,
    Query(q): Query<Notice>,
) -> Response {
    let notice = q.text(
        "Added to the group.",
        "Removed from the group. Their membership stays in the history.",
    );
    match state.app.view_group(&actor, id).await {
        Ok(v) => show_page(&state, &session, v, notice),
        Err(e) => PageError::from(e).into_response(),
    }
}
