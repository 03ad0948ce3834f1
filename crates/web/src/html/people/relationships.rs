//! A person's relationships with services: adding one from the person's page, and changing one.

use super::record::after_person_form;
use crate::error::PageError;
use crate::extract::CsrfForm;
use crate::extract::SignedIn;
use crate::html::kit::date_text;
use crate::html::kit::{render, Errors, Layout};
use crate::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use coproduce_app::people::{ContactInput, RelationshipInput};
use coproduce_app::sign_in::Session;
use coproduce_app::AppError;
use serde::Deserialize;

#[derive(Deserialize)]
pub(super) struct RelationshipForm {
    #[serde(default)]
    service_id: String,
    #[serde(default)]
    cadence_days: String,
}

pub(super) async fn add_relationship(
    State(state): State<AppState>,
    SignedIn(session, actor): SignedIn,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<RelationshipForm>,
) -> Response {
    let contact = Some(session.staff.id.0);
    let who = actor;
    let result = state
        .app
        .add_relationship(&who, id, &f.service_id, contact, &f.cadence_days)
        .await;
    after_person_form(
        &state,
        &session,
        id,
        result,
        "saved",
        ContactInput::default(),
    )
    .await
}

// ------------------------------------------------------------------------------------------------
// Changing a relationship

#[derive(Template)]
#[template(path = "people/relationship.html")]
pub(super) struct RelationshipPage {
    layout: Layout,
    errors: Errors,
    conflict: bool,
    person_id: i64,
    person_name: String,
    id: i64,
    service: String,
    version: i64,
    form: RelationshipInput,
    statuses: [(&'static str, &'static str); 3],
    contacts: Vec<(i64, String)>,
    csrf_token: String,
}

pub(super) async fn relationship_page(
    state: &AppState,
    session: &Session,
    (person, id): (i64, i64),
    typed: Option<RelationshipInput>,
    errors: Errors,
    conflict: bool,
) -> Response {
    let actor = session.actor();
    let (form, person_row) = match tokio::try_join!(
        state.app.relationship_form(&actor, person, id),
        state.app.view_person(&actor, person)
    ) {
        Ok(r) => r,
        Err(e) => return PageError::from(e).into_response(),
    };
    let r = &form.relationship;
    let stored = RelationshipInput {
        version: r.version,
        status: r.status.clone(),
        staff_contact_id: r
            .staff_contact_id
            .map(|c| c.to_string())
            .unwrap_or_default(),
        cadence_days: r.cadence_days.to_string(),
        next_review_on: r
            .next_review_on
            .as_deref()
            .map(date_text)
            .unwrap_or_default(),
    };
    let status = if conflict {
        StatusCode::CONFLICT
    } else if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    let title = if errors.is_empty() {
        r.with_whom()
    } else {
        format!("Error: {}", r.with_whom())
    };
    let page = RelationshipPage {
        layout: Layout::new(state, Some(session), title, ""),
        errors,
        conflict,
        person_id: person,
        person_name: person_row.person.name,
        id,
        service: r.with_whom(),
        version: r.version,
        form: typed.unwrap_or(stored),
        statuses: [
            ("active", "Active"),
            ("paused", "Paused"),
            ("ended", "Ended"),
        ],
        contacts: form.possible_contacts,
        csrf_token: session.csrf_token.clone(),
    };
    render(status, &page)
}

pub(super) async fn relationship_form(
    State(state): State<AppState>,
    SignedIn(session, _): SignedIn,
    Path(ids): Path<(i64, i64)>,
) -> Response {
    relationship_page(&state, &session, ids, None, Errors::default(), false).await
}

pub(super) async fn update_relationship(
    State(state): State<AppState>,
    SignedIn(session, actor): SignedIn,
    Path((person, id)): Path<(i64, i64)>,
    CsrfForm(input): CsrfForm<RelationshipInput>,
) -> Response {
    match state
        .app
        .update_relationship(&actor, person, id, &input)
        .await
    {
        Ok(()) => Redirect::to(&format!("/people/{person}?saved=1")).into_response(),
        Err(AppError::Invalid(list)) => {
            relationship_page(
                &state,
                &session,
                (person, id),
                Some(input),
                Errors::from(list),
                false,
            )
            .await
        }
        Err(AppError::Conflict { .. }) => {
            relationship_page(
                &state,
                &session,
                (person, id),
                Some(input),
                Errors::default(),
                true,
            )
            .await
        }
        Err(e) => PageError::from(e).into_response(),
    }
}
