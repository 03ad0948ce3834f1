//! A person's relationships with services: adding one from the person's page, and changing one.

use super::record::after_person_form;
use crate::extract::{CsrfForm, Staff};
use crate::html::kit::confirm::{confirm_page, confirmed, fields_of, Confirm, Confirmation};
use crate::html::kit::date_text;
use crate::html::kit::{render, Errors, Layout, PageResult};
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use coproduce_app::people::{ContactInput, RelationshipInput};
use coproduce_app::sign_in::Session;
use coproduce_app::AppError;
use coproduce_domain::relationships::RelationshipStatus;
use coproduce_domain::PersonId;
use coproduce_domain::{RelationshipId, StaffId};
use serde::Deserialize;

#[derive(Deserialize)]
pub(super) struct RelationshipForm {
    #[serde(default)]
    service_id: String,
    #[serde(default)]
    cadence_days: String,
}

pub(super) async fn add_relationship(
    Staff(state, session, actor): Staff,
    Path(id): Path<PersonId>,
    CsrfForm(f): CsrfForm<RelationshipForm>,
) -> PageResult {
    let contact = Some(session.staff.id);
    let result = state
        .app
        .add_relationship(&actor, id, &f.service_id, contact, &f.cadence_days)
        .await;
    let typed = ContactInput::default();
    after_person_form(&state, &session, id, result, "saved", typed).await
}

// ------------------------------------------------------------------------------------------------
// Changing a relationship

#[derive(Template)]
#[template(path = "people/relationship.html")]
pub(super) struct RelationshipPage {
    layout: Layout,
    errors: Errors,
    conflict: bool,
    person_id: PersonId,
    person_name: String,
    id: RelationshipId,
    service: String,
    version: i64,
    form: RelationshipInput,
    statuses: &'static [RelationshipStatus],
    contacts: Vec<(StaffId, String)>,
    csrf_token: String,
}

pub(super) async fn relationship_page(
    state: &AppState,
    session: &Session,
    (person, id): (PersonId, RelationshipId),
    typed: Option<RelationshipInput>,
    errors: Errors,
    conflict: bool,
) -> PageResult {
    let actor = session.actor();
    let (form, person_row) = tokio::try_join!(
        state.app.relationship_form(&actor, person, id),
        state.app.view_person(&actor, person)
    )?;
    let r = &form.relationship;
    let stored = RelationshipInput {
        version: r.version,
        status: r.status.code().to_owned(),
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
    } else {
        errors.status()
    };
    let page = RelationshipPage {
        layout: Layout::new(state, Some(session), errors.title(r.with_whom()), ""),
        errors,
        conflict,
        person_id: person,
        person_name: person_row.person.name,
        id,
        service: r.with_whom(),
        version: r.version,
        form: typed.unwrap_or(stored),
        statuses: RelationshipStatus::ALL,
        contacts: form.possible_contacts,
        csrf_token: session.csrf_token.clone(),
    };
    Ok(render(status, &page))
}

pub(super) async fn relationship_form(
    Staff(state, session, _): Staff,
    Path(ids): Path<(PersonId, RelationshipId)>,
) -> PageResult {
    relationship_page(&state, &session, ids, None, Errors::default(), false).await
}

pub(super) async fn update_relationship(
    Staff(state, session, actor): Staff,
    Path((person, id)): Path<(PersonId, RelationshipId)>,
    Query(confirmation): Query<Confirmation>,
    CsrfForm(input): CsrfForm<RelationshipInput>,
) -> PageResult {
    if input.status == RelationshipStatus::Ended.code() && !confirmation.given() {
        let (form, p) = tokio::try_join!(
            state.app.relationship_form(&actor, person, id),
            state.app.view_person(&actor, person)
        )?;
        if form.relationship.status != RelationshipStatus::Ended {
            let with_whom = form.relationship.with_whom();
            let name = p.person.name;
            let action = format!("/people/{person}/relationships/{id}");
            let c = Confirm {
                caption: name.clone(),
                heading: format!("End {name}'s relationship with {with_whom}?"),
                consequences: vec![
                    format!("{name} comes off the keep-in-touch queue for {with_whom}: nobody will be reminded to get in touch."),
                    "The relationship and its history stay on their page, and you can make it active again.".to_owned(),
                ],
                action: confirmed(&action),
                fields: fields_of(&input),
                button: "Yes, end the relationship".into(),
                back: (action, "No, go back to the relationship".into()),
            };
            return Ok(confirm_page(&state, &session, c, ""));
        }
    }
    let result = state
        .app
        .update_relationship(&actor, person, id, &input)
        .await;
    let (errors, conflict) = match result {
        Ok(()) => return Ok(Redirect::to(&format!("/people/{person}?saved=1")).into_response()),
        Err(AppError::Invalid(list)) => (Errors::from(list), false),
        Err(AppError::Conflict { .. }) => (Errors::default(), true),
        Err(e) => return Err(e.into()),
    };
    let ids = (person, id);
    relationship_page(&state, &session, ids, Some(input), errors, conflict).await
}
