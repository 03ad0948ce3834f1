//! The services list, for admins.

use super::kit::{render, Errors, Layout, PageResult, Routes};
use crate::error::PageError;
use crate::extract::{CsrfForm, Staff};
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query};
use axum::response::{IntoResponse, Redirect};
use axum::routing::{get, post};
use coproduce_app::sign_in::Session;
use coproduce_app::{authorise, Action, AppError, Resource};
use coproduce_domain::services::{Archivable, Partner, Service};
use coproduce_domain::{PartnerId, ServiceId};
use serde::Deserialize;

/// The services routes. A service's and a partner's pages differ only in what they change, so
/// each route names it (and whether it archives) for one handler.
pub(super) fn routes() -> Routes {
    Routes::new()
        .route("/services", get(list).post(create))
        .route("/partners", post(create_partner))
        .merge(archivable_routes(Archivable::Service))
        .merge(archivable_routes(Archivable::Partner))
}

/// Changing one kind of thing, and archiving it.
fn archivable_routes(what: Archivable) -> Routes {
    type Form = CsrfForm<ServiceForm>;
    let (path, archive_path) = match what {
        Archivable::Service => ("/services/{id}", "/services/{id}/archive"),
        Archivable::Partner => ("/partners/{id}", "/partners/{id}/archive"),
    };
    let show = move |Staff(state, session, _): Staff, Path(id): Path<i64>| async move {
        edit_page(&state, &session, what, id, None, Errors::default()).await
    };
    let change = move |staff: Staff, Path(id): Path<i64>, CsrfForm(form): Form| {
        save(what, false, staff, id, form)
    };
    let archive = move |staff: Staff, Path(id): Path<i64>, CsrfForm(form): Form| {
        save(what, true, staff, id, form)
    };
    Routes::new()
        .route(path, get(show).post(change))
        .route(archive_path, post(archive))
}

#[derive(Template)]
#[template(path = "services/list.html")]
struct ListPage {
    layout: Layout,
    errors: Errors,
    notice: Option<&'static str>,
    services: Vec<Service>,
    partners: Vec<Partner>,
    partner_name: String,
    name: String,
    default_cadence_days: String,
    csrf_token: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ServiceForm {
    saved: Option<String>,
    name: String,
    default_cadence_days: String,
    partner_name: String,
}

async fn page(
    state: &AppState,
    session: &Session,
    form: ServiceForm,
    errors: Errors,
) -> PageResult {
    authorise(&session.actor(), Action::ManageServices, &Resource::ANY)?;
    let (services, partners) = state.app.services_and_partners().await?;
    let status = errors.status();
    let page = ListPage {
        layout: Layout::new(
            state,
            Some(session),
            errors.title("Services and partners"),
            "/services",
        ),
        errors,
        notice: form.saved.map(|_| "Saved."),
        services,
        partners,
        partner_name: form.partner_name,
        name: form.name,
        default_cadence_days: form.default_cadence_days,
        csrf_token: session.csrf_token.clone(),
    };
    Ok(render(status, &page))
}

async fn list(Staff(state, session, _): Staff, Query(q): Query<ServiceForm>) -> PageResult {
    page(
        &state,
        &session,
        ServiceForm {
            saved: q.saved,
            ..ServiceForm::default()
        },
        Errors::default(),
    )
    .await
}

/// After adding a service or partner: the list again, with the problems and what was typed.
async fn after_create(
    state: &AppState,
    session: &Session,
    form: ServiceForm,
    result: Result<i64, AppError>,
) -> PageResult {
    match result {
        Ok(_) => Ok(Redirect::to("/services?saved=1").into_response()),
        Err(AppError::Invalid(list)) => page(state, session, form, Errors::from(list)).await,
        Err(e) => Err(e.into()),
    }
}

async fn create(
    Staff(state, session, actor): Staff,
    CsrfForm(form): CsrfForm<ServiceForm>,
) -> PageResult {
    let result = state
        .app
        .create_service(&actor, &form.name, &form.default_cadence_days)
        .await;
    after_create(&state, &session, form, result).await
}

async fn create_partner(
    Staff(state, session, actor): Staff,
    CsrfForm(form): CsrfForm<ServiceForm>,
) -> PageResult {
    let result = state.app.create_partner(&actor, &form.partner_name).await;
    after_create(&state, &session, form, result).await
}

#[derive(Template)]
#[template(path = "services/edit.html")]
struct EditPage {
    layout: Layout,
    errors: Errors,
    heading: &'static str,
    path: String,
    name: String,
    cadence: Option<String>,
    csrf_token: String,
}

/// The form to change a service (with its cadence) or a partner (without).
async fn edit_page(
    state: &AppState,
    session: &Session,
    what: Archivable,
    id: i64,
    typed: Option<ServiceForm>,
    errors: Errors,
) -> PageResult {
    authorise(&session.actor(), Action::ManageServices, &Resource::ANY)?;
    let (heading, path, stored) = match what {
        Archivable::Service => (
            "Change a service",
            format!("/services/{id}"),
            state
                .app
                .services()
                .await?
                .into_iter()
                .find(|s| s.id.0 == id)
                .map(|s| (s.name, Some(s.default_cadence_days.to_string()))),
        ),
        Archivable::Partner => (
            "Change a partner",
            format!("/partners/{id}"),
            state
                .app
                .partners()
                .await?
                .into_iter()
                .find(|p| p.id.0 == id)
                .map(|p| (p.name, None)),
        ),
    };
    let (name, cadence) = stored.ok_or_else(PageError::not_found)?;
    let (name, cadence) = match typed {
        Some(t) => (t.name, cadence.map(|_| t.default_cadence_days)),
        None => (name, cadence),
    };
    let status = errors.status();
    let page = EditPage {
        layout: Layout::new(state, Some(session), errors.title(heading), ""),
        errors,
        heading,
        path,
        name,
        cadence,
        csrf_token: session.csrf_token.clone(),
    };
    Ok(render(status, &page))
}

/// Saves a service's or partner's changes, or archives it (`archive`), then to the list; or
/// the form again with the problems and what was typed.
async fn save(
    what: Archivable,
    archive: bool,
    Staff(state, session, actor): Staff,
    id: i64,
    form: ServiceForm,
) -> PageResult {
    let result = match (what, archive) {
        (_, true) => state.app.archive(&actor, what, id).await,
        (Archivable::Service, false) => {
            let cadence = &form.default_cadence_days;
            state
                .app
                .update_service(&actor, ServiceId(id), &form.name, cadence)
                .await
        }
        (Archivable::Partner, false) => {
            state
                .app
                .update_partner(&actor, PartnerId(id), &form.name)
                .await
        }
    };
    match result {
        Ok(()) => Ok(Redirect::to("/services?saved=1").into_response()),
        Err(AppError::Invalid(list)) => {
            edit_page(&state, &session, what, id, Some(form), Errors::from(list)).await
        }
        Err(e) => Err(e.into()),
    }
}
