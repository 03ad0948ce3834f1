//! Adding a person and changing their record.

use crate::extract::{CsrfForm, Staff};
use crate::html::kit::{render, Errors, FormFields, Layout, PageResult};
use crate::AppState;
use askama::Template;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use coproduce_app::people::{PersonInput, PersonView};
use coproduce_app::sign_in::Session;
use coproduce_app::AppError;
use coproduce_app::{Action, Actor};
use coproduce_domain::enquiries::Match;
use coproduce_domain::people::{Channel, Need, PersonStatus};
use coproduce_domain::services::{Partner, Service};
use coproduce_domain::PersonId;

#[derive(Template)]
#[template(path = "people/form.html")]
pub(super) struct FormPage {
    layout: Layout,
    errors: Errors,
    conflict: Option<String>,
    heading: &'static str,
    action: String,
    person_id: i64,
    version: i64,
    form: PersonInput,
    first_channel: String,
    services: Vec<Service>,
    service_id: String,
    partners: Vec<Partner>,
    statuses: &'static [PersonStatus],
    channels: &'static [Channel],
    needs: &'static [Need],
    /// People already on record with the email address or phone number typed, shown before a
    /// new person is saved.
    same_address: Vec<Match>,
    /// Whether they were told of those and said this is a different person, kept when the form
    /// comes back with a problem.
    same_address_confirmed: bool,
    csrf_token: String,
}

impl FormPage {
    /// The form for a new person, or to change person `person_id`, with the partners to choose.
    async fn new(
        state: &AppState,
        session: &Session,
        person_id: Option<i64>,
        form: PersonInput,
    ) -> FormPage {
        let partners = state.app.partners().await.unwrap_or_default();
        let heading = if person_id.is_some() {
            "Change their details"
        } else {
            "Add a person"
        };
        let first_channel = form.channels.first().cloned().unwrap_or_default();
        FormPage {
            partners,
            layout: Layout::new(state, Some(session), heading, ""),
            errors: Errors::default(),
            conflict: None,
            heading,
            action: person_id
                .map_or_else(|| "/people".to_owned(), |id| format!("/people/{id}/edit")),
            person_id: person_id.unwrap_or(0),
            version: 0,
            form,
            first_channel,
            services: Vec::new(),
            service_id: String::new(),
            statuses: PersonStatus::ALL,
            channels: Channel::ALL,
            needs: Need::ALL,
            same_address: Vec::new(),
            same_address_confirmed: false,
            csrf_token: session.csrf_token.clone(),
        }
    }

    fn with_errors(mut self, errors: Errors) -> FormPage {
        self.layout.title = format!("Error: {}", self.layout.title);
        self.errors = errors;
        self
    }
}

/// Reads the person form, whose checkboxes repeat their names.
pub(super) fn person_input(pairs: &[(String, String)]) -> (PersonInput, String, i64) {
    let form = FormFields(pairs);
    let get = |k: &str| form.one(k);
    let all = |k: &str| form.all(k);
    let channels = form.ranked_channels();
    let input = PersonInput {
        name: get("name"),
        preferred_name: get("preferred_name"),
        pronouns: get("pronouns"),
        date_of_birth: get("date_of_birth"),
        email: get("email"),
        phone: get("phone"),
        address: get("address"),
        postcode: get("postcode"),
        status: get("status"),
        status_reason: get("status_reason"),
        channels,
        best_times: get("best_times"),
        needs: all("needs"),
        interpreter_language: get("interpreter_language"),
        needs_notes: get("needs_notes"),
        interests: get("interests"),
        lived_experience: get("lived_experience"),
        lived_experience_restricted: get("lived_experience_restricted") == "true",
        partner_id: get("partner_id"),
    };
    (
        input,
        get("service_id"),
        get("version").parse().unwrap_or(0),
    )
}

pub(super) async fn new_form(Staff(state, session, actor): Staff) -> PageResult {
    let services = state.app.services_for(&actor, Action::EditPeople).await?;
    let form = PersonInput {
        status: PersonStatus::Active.code().to_owned(),
        ..PersonInput::default()
    };
    let mut page = FormPage::new(&state, &session, None, form).await;
    page.services = services;
    Ok(render(StatusCode::OK, &page))
}

pub(super) async fn create(
    Staff(state, session, actor): Staff,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> PageResult {
    let (input, service_id, _) = person_input(&pairs);
    // Someone with the same email address or phone number is shown first; the form saves when
    // sent again with "they are a different person".
    let confirmed = FormFields(&pairs).one("same_address") == "yes";
    if !confirmed {
        let same = state
            .app
            .people_with_address(&actor, &input.email, &input.phone)
            .await?;
        if !same.is_empty() {
            let mut page = add_page(&state, &session, &actor, input, service_id).await;
            page.same_address = same;
            return Ok(render(StatusCode::OK, &page));
        }
    }
    match state.app.create_person(&actor, &input, &service_id).await {
        Ok(id) => Ok(saved(id.0)),
        Err(AppError::Invalid(list)) => {
            let page = add_page(&state, &session, &actor, input, service_id).await;
            let mut page = page.with_errors(Errors::from(list));
            page.same_address_confirmed = confirmed;
            Ok(render(StatusCode::BAD_REQUEST, &page))
        }
        Err(e) => Err(e.into()),
    }
}

/// The form to add a person, filled in as sent.
async fn add_page(
    state: &AppState,
    session: &Session,
    actor: &Actor,
    input: PersonInput,
    service_id: String,
) -> FormPage {
    let services = state
        .app
        .services_for(actor, Action::EditPeople)
        .await
        .unwrap_or_default();
    let mut page = FormPage::new(state, session, None, input).await;
    page.services = services;
    page.service_id = service_id;
    page
}

/// To the person's page, saying their record is saved.
fn saved(id: i64) -> Response {
    Redirect::to(&format!("/people/{id}?saved=1")).into_response()
}

/// A stored record as the form shows it, its date of birth as its hint asks dates to be typed
/// (a date shown as "27 Mar 1985" was refused when the form came back).
pub(super) fn input_from(p: &PersonView) -> PersonInput {
    let mut input = p.input();
    input.date_of_birth = p
        .person
        .date_of_birth
        .map(|d| d.format("%-d/%-m/%Y").to_string())
        .unwrap_or_default();
    input
}

pub(super) async fn edit_form(
    Staff(state, session, actor): Staff,
    Path(id): Path<PersonId>,
) -> PageResult {
    let view = state.app.view_person(&actor, id).await?;
    let mut page = FormPage::new(&state, &session, Some(id.0), input_from(&view)).await;
    page.version = view.person.version;
    Ok(render(StatusCode::OK, &page))
}

pub(super) fn field_label(field: &str) -> &'static str {
    match field {
        "name" => "name",
        "preferred_name" => "what they like to be called",
        "pronouns" => "pronouns",
        "date_of_birth" => "date of birth",
        "email" => "email address",
        "phone" => "phone number",
        "address" => "address",
        "postcode" => "postcode",
        "status" => "status",
        "channels" => "ways to reach them",
        "best_times" => "best times",
        "needs" => "needs",
        "needs_notes" => "notes about needs",
        "partner_id" => "partner",
        _ => "details",
    }
}

pub(super) async fn update(
    Staff(state, session, actor): Staff,
    Path(id): Path<PersonId>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> PageResult {
    let (input, _, version) = person_input(&pairs);
    match state.app.update_person(&actor, id, version, &input).await {
        Ok(()) => Ok(saved(id.0)),
        Err(AppError::Invalid(list)) => {
            let page = FormPage::new(&state, &session, Some(id.0), input).await;
            let mut page = page.with_errors(Errors::from(list));
            page.version = version;
            Ok(render(StatusCode::BAD_REQUEST, &page))
        }
        Err(AppError::Conflict {
            version: current,
            changed,
        }) => {
            let mut page = FormPage::new(&state, &session, Some(id.0), input).await;
            page.version = current;
            let what: Vec<&str> = changed.iter().map(|f| field_label(f)).collect();
            page.conflict = Some(if what.is_empty() {
                "some details".to_owned()
            } else {
                what.join(", ")
            });
            Ok(render(StatusCode::CONFLICT, &page))
        }
        Err(e) => Err(e.into()),
    }
}

// ------------------------------------------------------------------------------------------------
// The person page

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_choice_channel_leads_the_ranking() {
        let pairs: Vec<(String, String)> = [
            ("channels", "phone"),
            ("channels", "email"),
            ("first_channel", "email"),
            ("name", "A"),
        ]
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
        let (input, _, _) = person_input(&pairs);
        assert_eq!(input.channels, vec!["email", "phone"]);
    }
}
