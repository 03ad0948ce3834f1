//! Changing a meeting, and adding a one-off meeting to a group or project.

use super::view::team_href;
use crate::extract::{CsrfForm, Staff};
use crate::html::kit::confirm::{confirm_page, confirmed, fields_of, Confirm, Confirmation};
use crate::html::kit::team::{team_name, team_path};
use crate::html::kit::uk;
use crate::html::kit::{render, Errors, Layout, PageResult, Routes};
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use coproduce_app::meetings::{MeetingInput, MeetingView};
use coproduce_app::sign_in::Session;
use coproduce_app::AppError;
use coproduce_domain::groups::Rsvp;
use coproduce_domain::groups::Team;
use coproduce_domain::meetings::Meeting;
use coproduce_domain::meetings::MeetingStatus;
use coproduce_domain::MeetingId;

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
        cancelled: m.status == MeetingStatus::Cancelled,
    }
}

pub(super) async fn edit_form(
    Staff(state, session, actor): Staff,
    Path(id): Path<MeetingId>,
) -> PageResult {
    let v = state.app.view_meeting(&actor, id).await?;
    let form = MeetingInput::from_meeting(&v.meeting);
    let context = edit_context(&v.meeting);
    Ok(form_page(
        &state,
        &session,
        context,
        form,
        Errors::default(),
    ))
}

pub(super) async fn save(
    Staff(state, session, actor): Staff,
    Path(id): Path<MeetingId>,
    Query(confirmation): Query<Confirmation>,
    CsrfForm(mut form): CsrfForm<MeetingInput>,
) -> PageResult {
    if form.status == MeetingStatus::Cancelled.code() && !confirmation.given() {
        let v = state.app.view_meeting(&actor, id).await?;
        if v.meeting.status != MeetingStatus::Cancelled {
            return Ok(confirm_cancelling(&state, &session, &v, &form));
        }
    }
    let errors = match state.app.change_meeting(&actor, id, &form).await {
        Ok(()) => return Ok(saved(id.0)),
        Err(AppError::Invalid(list)) => Errors::from(list),
        Err(AppError::Conflict { .. }) => Errors::one(
            "date",
            "Someone else changed this meeting while you were changing it. What you typed is below: check it and save again.",
        ),
        Err(e) => return Err(e.into()),
    };
    let v = state.app.view_meeting(&actor, id).await?;
    form.version = v.meeting.version;
    Ok(form_page(
        &state,
        &session,
        edit_context(&v.meeting),
        form,
        errors,
    ))
}

/// The page that asks before a meeting is cancelled, saying who will be told.
fn confirm_cancelling(
    state: &AppState,
    session: &Session,
    v: &MeetingView,
    form: &MeetingInput,
) -> Response {
    let m = &v.meeting;
    let told = v
        .invitees
        .iter()
        .filter(|i| i.person_id.is_some() && i.invited && i.rsvp != Some(Rsvp::No))
        .count();
    let mut consequences = Vec::new();
    if m.starts_at > state.app.now_for_display().millis() {
        consequences.push(match told {
            0 => "Nobody invited will be sent a message: nobody is invited who has not said they cannot come.".to_owned(),
            1 => "We will tell the one person invited that it is cancelled, by email or text as they prefer.".to_owned(),
            n => format!("We will tell the {n} people invited that it is cancelled, by email or text as each prefers (not those who have said they cannot come)."),
        });
    }
    consequences.push(format!(
        "It stays on {}'s page and calendar marked cancelled. You can change it back later.",
        m.host_name
    ));
    let action = format!("/meetings/{}/edit", m.id);
    let c = Confirm {
        caption: m.host_name.clone(),
        heading: format!("Cancel the meeting on {}?", uk(m.starts_at)),
        consequences,
        action: confirmed(&action),
        fields: fields_of(form),
        button: "Yes, cancel the meeting".into(),
        back: (action, "No, go back to the meeting's details".into()),
    };
    confirm_page(state, session, c, "/groups")
}

/// To the meeting's page, saying it is saved.
fn saved(id: i64) -> Response {
    Redirect::to(&format!("/meetings/{id}?saved=1")).into_response()
}

/// The context of a new one-off meeting's form for a group or project.
async fn new_context(
    state: &AppState,
    session: &Session,
    team: Team,
) -> Result<FormContext, AppError> {
    let name = team_name(state, session, team).await?;
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

/// Adding a one-off meeting to a kind of team, at `path` (which names the team `{id}`).
pub(super) fn one_off_routes(path: &'static str, team: fn(i64) -> Team) -> Routes {
    let new = move |Staff(state, session, _): Staff, Path(id): Path<i64>| async move {
        let context = new_context(&state, &session, team(id)).await?;
        let form = MeetingInput {
            minutes: "60".into(),
            status: "scheduled".into(),
            ..MeetingInput::default()
        };
        PageResult::Ok(form_page(
            &state,
            &session,
            context,
            form,
            Errors::default(),
        ))
    };
    let add = move |Staff(state, session, actor): Staff,
                    Path(id): Path<i64>,
                    CsrfForm(form): CsrfForm<MeetingInput>| async move {
        let errors = match state.app.add_meeting(&actor, team(id), &form).await {
            Ok(id) => return Ok(saved(id.0)),
            Err(AppError::Invalid(list)) => Errors::from(list),
            Err(e) => return Err(e.into()),
        };
        let context = new_context(&state, &session, team(id)).await?;
        PageResult::Ok(form_page(&state, &session, context, form, errors))
    };
    Routes::new().route(path, get(new).post(add))
}
