//! Groups: the list, setting one up or changing it, its page with members and next meetings,
//! and adding a person found by name.

use super::kit::held::{HeldList, HeldQuery};
use super::kit::team::{member_routes, MemberItem, Notice};
use super::kit::{date_text, uk, Routes};
use super::kit::{render, Errors, Layout, PageResult, ReviewHistory};
use crate::extract::{CsrfForm, Staff};
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use coproduce_app::groups::{GroupInput, GroupView};
use coproduce_app::sign_in::Session;
use coproduce_app::Action;
use coproduce_app::{AppError, FieldError};
use coproduce_domain::groups::{Group, Team};
use coproduce_domain::pattern::{simple_parts, simple_rule};
use coproduce_domain::reviews::ReviewOf;
use coproduce_domain::services::{Partner, Service};
use coproduce_domain::GroupId;
use coproduce_domain::MeetingId;
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
            |id| Team::Group(GroupId(id)),
        ))
}

struct GroupItem {
    id: GroupId,
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

async fn list(Staff(state, session, actor): Staff) -> PageResult {
    let groups = state
        .app
        .groups(&actor)
        .await?
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
    Ok(render(StatusCode::OK, &page))
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
    services: Vec<Service>,
    partners: Vec<Partner>,
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
    id: Option<GroupId>,
    form: GroupForm,
    errors: Errors,
) -> PageResult {
    let (services, partners) = state
        .app
        .services_and_partners_for(&session.actor(), Action::EditGroups)
        .await?;
    let heading = if id.is_some() {
        "Change the group"
    } else {
        "Set up a group"
    };
    let status = errors.status();
    let page = FormPage {
        layout: Layout::new(state, Some(session), errors.title(heading), "/groups"),
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
    Ok(render(status, &page))
}

async fn new_form(Staff(state, session, _): Staff) -> PageResult {
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
    id: Option<GroupId>,
    form: GroupForm,
    result: Result<GroupId, AppError>,
) -> PageResult {
    match result {
        Ok(id) => Ok(Redirect::to(&format!("/groups/{id}?saved=1")).into_response()),
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
        Err(e) => Err(e.into()),
    }
}

async fn create(
    Staff(state, session, actor): Staff,
    CsrfForm(form): CsrfForm<GroupForm>,
) -> PageResult {
    let (input, problems) = form.input();
    if !problems.is_empty() {
        return form_page(&state, &session, None, form, Errors::from(problems)).await;
    }
    let result = state.app.create_group(&actor, &input).await;
    after_submit(&state, &session, None, form, result).await
}

async fn edit_form(Staff(state, session, actor): Staff, Path(id): Path<GroupId>) -> PageResult {
    let form = GroupForm::from_group(&state.app.view_group(&actor, id).await?.group);
    form_page(&state, &session, Some(id), form, Errors::default()).await
}

async fn save(
    Staff(state, session, actor): Staff,
    Path(id): Path<GroupId>,
    CsrfForm(form): CsrfForm<GroupForm>,
) -> PageResult {
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

#[derive(Template)]
#[template(path = "groups/show.html")]
struct ShowPage {
    layout: Layout,
    notice: Option<&'static str>,
    group: Group,
    pattern: String,
    first_meeting: String,
    next_review: String,
    next_meetings: Vec<(MeetingId, String)>,
    held: HeldList,
    members: Vec<MemberItem>,
    reviews: ReviewHistory,
}

fn show_page(
    state: &AppState,
    session: &Session,
    view: GroupView,
    held: HeldList,
    reviews: ReviewHistory,
    notice: Option<&'static str>,
) -> Response {
    let g = view.group;
    let members = view
        .members
        .iter()
        .map(|m| MemberItem::new(m.id, m.person_id, &m.name, m.role, &m.joined_on))
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
        held,
        members,
        reviews,
        group: g,
    };
    render(StatusCode::OK, &page)
}

async fn show(
    Staff(state, session, actor): Staff,
    Path(id): Path<GroupId>,
    Query(q): Query<Notice>,
    Query(page): Query<HeldQuery>,
) -> PageResult {
    let notice = q.text(
        "Added to the group.",
        "Removed from the group. Their membership stays in the history.",
    );
    let from = page.from();
    let of = ReviewOf::Group(id);
    let ((v, held), reviews) = tokio::try_join!(
        state.app.group_page(&actor, id, from),
        state.app.review_history(&actor, of)
    )?;
    let held = HeldList::new(held, from, &format!("/groups/{id}"));
    let next = v.group.next_review_on.as_deref();
    let reviews = ReviewHistory::new(of, &reviews.0, next, &reviews.1);
    Ok(show_page(&state, &session, v, held, reviews, notice))
}
