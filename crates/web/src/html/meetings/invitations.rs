//! Invitations: inviting someone found by name, and recording a reply.

use super::record::back_to_meeting;
use super::view::heading;
use crate::extract::{CsrfForm, Staff};
use crate::html::kit::team::people_named;
use crate::html::kit::{render, Errors, Layout, PageResult};
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use coproduce_app::meetings::{parse_who, ReplyInput};
use coproduce_app::people::Person;
use coproduce_app::sign_in::Session;
use coproduce_app::AppError;
use coproduce_domain::meetings::Meeting;
use coproduce_domain::MeetingId;
use serde::Deserialize;

pub(super) async fn reply(
    Staff(state, session, actor): Staff,
    Path(id): Path<MeetingId>,
    CsrfForm(form): CsrfForm<ReplyInput>,
) -> PageResult {
    let result = state.app.record_reply(&actor, id, &form).await;
    let to = format!("/meetings/{id}?reply=1#invitees");
    back_to_meeting(&state, &session, id, result, to, None).await
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
    id: MeetingId,
    q: String,
    errors: Errors,
) -> PageResult {
    let who = session.actor();
    let v = state.app.view_meeting(&who, id).await?;
    let (searched, people) = people_named(state, &who, &q).await?;
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
    Ok(render(page.status, &page))
}

pub(super) async fn find_invitee(
    Staff(state, session, _): Staff,
    Path(id): Path<MeetingId>,
    Query(q): Query<Find>,
) -> PageResult {
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
    Staff(state, session, actor): Staff,
    Path(id): Path<MeetingId>,
    CsrfForm(form): CsrfForm<Invitation>,
) -> PageResult {
    let invited = form.invited != "no";
    let result = state
        .app
        .set_invitation(&actor, id, &form.who, invited)
        .await;
    match result {
        Err(AppError::Invalid(list)) if parse_who(&form.who).is_some() || !form.q.is_empty() => {
            let message = list.first().map_or_else(String::new, |e| e.message.clone());
            invite_page(&state, &session, id, form.q, Errors::one("q", message)).await
        }
        result => {
            let to = format!("/meetings/{id}?invited=1#invitees");
            back_to_meeting(&state, &session, id, result, to, None).await
        }
    }
}
