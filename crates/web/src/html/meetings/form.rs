//! Changing a meeting, and adding a one-off meeting to a group or project.

use super::view::team_href;
use crate::error::PageError;
use crate::extract::CsrfForm;
use crate::extract::SignedIn;
use crate::html::kit::team::{team_name, team_path};
use crate::html::kit::uk;
use crate::html::kit::{render, Errors, Layout};
use crate::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use coproduce_app::meetings::{Meeting, MeetingInput, Team};
use coproduce_app::sign_in::Session;
use coproduce_app::AppError;

#[derive(Template)]
#[template(path = "meetings/form.html")]
pub(super) struct FormPage {
    layout: Layout,
    status: StatusCode,
    errors: Errors,
    caption: String,
    caption_href: String,
    heading: String,
    action: String,
    one_off: bool,
    existing: bool,
    cancelled: bool,
    form: MeetingInput,
    csrf_token: String,
}

pub(super) struct FormContext {
    caption: String,
    caption_href: String,
    heading: String,
    action: String,
    one_off: bool,
    existing: bool,
    cancelled: bool,
}

pub(super) fn form_page(
    state: &AppState,
    session: &Session,
    c: FormContext,
    form: MeetingInput,
    errors: Errors,
) -> Response {
    let page = FormPage {
        layout: Layout::new(state, Some(session), errors.title(&c.heading), "/groups"),
        status: errors.status(),
        errors,
        caption: c.caption,
        caption_href: c.caption_href,
        heading: c.heading,
        action: c.action,
        one_off: c.one_off,
        existing: c.existing,
        cancelled: c.cancelled,
        form,
        csrf_token: session.csrf_token.clone(),
    };
    render(page.status, &page)
}

pub(super) fn edit_context(m: &Meeting) -> FormContext {
    FormContext {
        caption: m.host_name.clone(),
        caption_href: team_href(m),
        heading: format!("Change the meeting on {}", uk(m.starts_at)),
        action: format!("/meetings/{}/edit", m.id),
        one_off: m.occurrence.is_none(),
        existing: true,
        cancelled: m.status == "cancelled",
    }
}

pub(super) async fn edit_form(
    State(state): State<AppState>,
    SignedIn(session, actor): SignedIn,
    Path(id): Path<i64>,
) -> Response {
    match state.app.view_meeting(&actor, id).await {
        Ok(v) => {
            let form = MeetingInput::from_meeting(&v.meeting);
            form_page(
                &state,
                &session,
                edit_context(&v.meeting),
                form,
                Errors::default(),
            )
        }
        Err(e) => PageError::from(e).into_response(),
    }
}

pub(super) async fn save(
    State(state): State<AppState>,
    SignedIn(session, actor): SignedIn,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<MeetingInput>,
) -> Response {
    let who = actor;
    let errors = match state.app.change_meeting(&who, id, &form).await {
        Ok(()) => return Redirect::to(&format!("/meetings/{id}?saved=1")).into_response(),
        Err(AppError::Invalid(list)) => Errors::from(list),
        Err(AppError::Conflict { .. }) => Errors::one(
            "date",
            "Someone else changed this meeting while you were changing it. What you typed is below: check it and save again.",
        ),
        Err(e) => return PageError::from(e).into_response(),
    };
    match state.app.view_meeting(&who, id).await {
        Ok(v) => {
            let mut form = form;
            form.version = v.meeting.version;
            form_page(&state, &session, edit_context(&v.meeting), form, errors)
        }
        Err(e) => PageError::from(e).into_response(),
    }
}

/// The context of a new one-off meeting's form for a group or project.
pub(super) async fn new_context(
    state: &AppState,
    session: &Session,
    team: Team,
) -> Result<FormContext, Response> {
    let name = team_name(state, session, team)
        .await
        .map_err(|e| PageError::from(e).into_response())?;
    let base = team_path(team);
    Ok(FormContext {
        caption: name,
        action: format!("{base}/meetings/new"),
        caption_href: base,
        heading: "Add a meeting".into(),
        one_off: true,
        existing: false,
        cancelled: false,
    })
}

pub(super) async fn new_meeting(state: AppState, session: Session, team: Team) -> Response {
    match new_context(&state, &session, team).await {
        Ok(c) => {
            let form = MeetingInput {
                minutes: "60".into(),
                status: "scheduled".into(),
                ..MeetingInput::default()
            };
            form_page(&state, &session, c, form, Errors::default())
        }
        Err(r) => r,
    }
}

pub(super) async fn add_meeting(
    state: AppState,
    session: Session,
    team: Team,
    form: MeetingInput,
) -> Response {
    let errors = match state.app.add_meeting(&session.actor(), team, &form).await {
        Ok(id) => return Redirect::to(&format!("/meetings/{id}?saved=1")).into_response(),
        Err(AppError::Invalid(list)) => Errors::from(list),
        Err(e) => return PageError::from(e).into_response(),
    };
    match new_context(&state, &session, team).await {
        Ok(c) => form_page(&state, &session, c, form, errors),
        Err(r) => r,
    }
}

pub(super) async fn new_group_meeting(
    State(state): State<AppState>,
    SignedIn(session, _): SignedIn,
    Path(id): Path<i64>,
) -> Response {
    new_meeting(state, session, Team::Group(id)).await
}

pub(super) async fn new_project_meeting(
    State(state): State<AppState>,
    SignedIn(session, _): SignedIn,
    Path(id): Path<i64>,
) -> Response {
    new_meeting(state, session, Team::Project(id)).await
}

pub(super) async fn add_group_meeting(
    State(state): State<AppState>,
    SignedIn(session, _): SignedIn,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<MeetingInput>,
) -> Response {
    add_meeting(state, session, Team::Group(id), form).await
}

pub(super) async fn add_project_meeting(
    State(state): State<AppState>,
    SignedIn(session, _): SignedIn,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<MeetingInput>,
) -> Response {
    add_meeting(state, session, Team::Project(id), form).await
}
