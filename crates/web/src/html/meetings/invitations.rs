//! Invitations: inviting someone found by name, and recording a reply.

use super::record::show_with;
use super::view::heading;
use crate::error::PageError;
use crate::extract::CsrfForm;
use crate::extract::SignedIn;
use crate::html::kit::team::people_named;
use crate::html::kit::{render, Errors, Layout};
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use coproduce_app::meetings::{parse_who, Meeting, ReplyInput};
use coproduce_app::people::Person;
use coproduce_app::sign_in::Session;
use coproduce_app::AppError;
use serde::Deserialize;

pub(super) async fn reply(
    State(state): State<AppState>,
    SignedIn(session, actor): SignedIn,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<ReplyInput>,
) -> Response {
    match state.app.record_reply(&actor, id, &form).await {
        Ok(()) => Redirect::to(&format!("/meetings/{id}?reply=1#invitees")).into_response(),
        Err(AppError::Invalid(list)) => {
            show_with(&state, &session, id, Errors::from(list), None).await
        }
        Err(e) => PageError::from(e).into_response(),
    }
}

#[derive(Template)]
#[template(path = "meetings/invite.html")]
pub(super) struct InvitePage {
    layout: Layout,
    status: StatusCode,
    errors: Errors,
    m: Meeting,
    q: String,
    searched: bool,
    people: Vec<Person>,
    csrf_token: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct Find {
    q: String,
}

pub(super) async fn invite_page(
    state: &AppState,
    session: &Session,
    id: i64,
    q: String,
    errors: Errors,
) -> Response {
    let who = session.actor();
    let v = match state.app.view_meeting(&who, id).await {
        Ok(v) => v,
        Err(e) => return PageError::from(e).into_response(),
    };
    let (searched, people) = match people_named(state, &who, &q).await {
        Ok(found) => found,
        Err(e) => return PageError::from(e).into_response(),
    };
    let title = format!("Invite someone: {}", heading(&v.meeting));
    let page = InvitePage {
        layout: Layout::new(state, Some(session), errors.title(&title), "/groups"),
        status: errors.status(),
        errors,
        m: v.meeting,
        q,
        searched,
        people,
        csrf_token: session.csrf_token.clone(),
    };
    render(page.status, &page)
}

pub(super) async fn find_invitee(
    State(state): State<AppState>,
    SignedIn(session, _): SignedIn,
    Path(id): Path<i64>,
    Query(q): Query<Find>,
) -> Response {
    invite_page(&state, &session, id, q.q, Errors::default()).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct Invitation {
    who: String,
    /// `no` to take someone off this meeting.
    invited: String,
    q: String,
}

pub(super) async fn invite(
    State(state): State<AppState>,
    SignedIn(session, actor): SignedIn,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<Invitation>,
) -> Response {
    let invited = form.invited != "no";
    match state
        .app
        .set_invitation(&actor, id, &form.who, invited)
        .await
    {
        Ok(()) => Redirect::to(&format!("/meetings/{id}?invited=1#invitees")).into_response(),
        Err(AppError::Invalid(list)) if parse_who(&form.who).is_some() || !form.q.is_empty() => {
            let message = list.first().map_or_else(String::new, |e| e.message.clone());
            invite_page(&state, &session, id, form.q, Errors::one("q", message)).await
        }
        Err(AppError::Invalid(list)) => {
            show_with(&state, &session, id, Errors::from(list), None).await
        }
        Err(e) => PageError::from(e).into_response(),
    }
}
