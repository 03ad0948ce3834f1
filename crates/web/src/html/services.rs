//! The services list, for admins.

use super::kit::{render, Errors, Layout, Routes};
use crate::error::PageError;
use crate::extract::CsrfForm;
use crate::extract::SignedIn;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use coproduce_app::people::{PartnerRow, ServiceRow};
use coproduce_app::services::Archivable;
use coproduce_app::sign_in::Session;
use coproduce_app::{authorise, Action, Actor, AppError, Resource};
use serde::Deserialize;

/// The services routes.
pub(super) fn routes() -> Routes {
    Routes::new()
        .route("/services", get(list).post(create))
        .route("/partners", axum::routing::post(create_partner))
        .route("/services/{id}", get(edit_service).post(save_service))
        .route(
            "/services/{id}/archive",
            axum::routing::post(archive_service),
        )
        .route("/partners/{id}", get(edit_partner).post(save_partner))
        .route(
            "/partners/{id}/archive",
            axum::routing::post(archive_partner),
        )
}

#[derive(Template)]
#[template(path = "services/list.html")]
struct ListPage {
    layout: Layout,
    errors: Errors,
    notice: Option<&'static str>,
    services: Vec<ServiceRow>,
    partners: Vec<PartnerRow>,
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

async fn page(state: &AppState, session: &Session, form: ServiceForm, errors: Errors) -> Response {
    if let Err(e) = authorise(&session.actor(), Action::ManageServices, &Resource::ANY) {
        return PageError::from(e).into_response();
    }
    let (services, partners) = match state.app.services_and_partners().await {
        Ok(r) => r,
        Err(e) => return PageError::from(e).into_response(),
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    let title = if errors.is_empty() {
        "Services and partners"
    } else {
        "Error: Services and partners"
    };
    let page = ListPage {
        layout: Layout::new(state, Some(session), title, "/services"),
        errors,
        notice: form.saved.map(|_| "Saved."),
        services,
        partners,
        partner_name: form.partner_name,
        name: form.name,
        default_cadence_days: form.default_cadence_days,
        csrf_token: session.csrf_token.clone(),
    };
    render(status, &page)
}

async fn list(
    State(state): State<AppState>,
    SignedIn(session, _): SignedIn,
    Query(q): Query<ServiceForm>,
) -> Response {
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

async fn create(
    State(state): State<AppState>,
    SignedIn(session, _): SignedIn,
    CsrfForm(form): CsrfForm<ServiceForm>,
) -> Response {
    match state
        .app
        .create_service(
            &Actor::Staff(session.staff.clone()),
            &form.name,
            &form.default_cadence_days,
        )
        .await
    {
        Ok(_) => Redirect::to("/services?saved=1").into_response(),
        Err(AppError::Invalid(list)) => page(&state, &session, form, Errors::from(list)).await,
        Err(e) => PageError::from(e).into_response(),
    }
}

async fn create_partner(
    State(state): State<AppState>,
    SignedIn(session, _): SignedIn,
    CsrfForm(form): CsrfForm<ServiceForm>,
) -> Response {
    let actor = Actor::Staff(session.staff.clone());
    match state.app.create_partner(&actor, &form.partner_name).await {
        Ok(_) => Redirect::to("/services?saved=1").into_response(),
        Err(AppError::Invalid(list)) => page(&state, &session, form, Errors::from(list)).await,
        Err(e) => PageError::from(e).into_response(),
    }
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
) -> Response {
    let actor = Actor::Staff(session.staff.clone());
    if let Err(e) = authorise(&actor, Action::ManageServices, &Resource::ANY) {
        return PageError::from(e).into_response();
    }
    let (heading, path, stored) = match what {
        Archivable::Service => match state.app.services().await {
            Ok(all) => (
                "Change a service",
                format!("/services/{id}"),
                all.into_iter()
                    .find(|s| s.id == id)
                    .map(|s| (s.name, Some(s.default_cadence_days.to_string()))),
            ),
            Err(e) => return PageError::from(e).into_response(),
        },
        Archivable::Partner => match state.app.partners().await {
            Ok(all) => (
                "Change a partner",
                format!("/partners/{id}"),
                all.into_iter().find(|p| p.id == id).map(|p| (p.name, None)),
            ),
            Err(e) => return PageError::from(e).into_response(),
        },
    };
    let Some((name, cadence)) = stored else {
        return PageError::not_found().into_response();
    };
    let (name, cadence) = match typed {
        Some(t) => (t.name, cadence.map(|_| t.default_cadence_days)),
        None => (name, cadence),
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    let title = if errors.is_empty() {
        heading.to_owned()
    } else {
        format!("Error: {heading}")
    };
    let page = EditPage {
        layout: Layout::new(state, Some(session), title, ""),
        errors,
        heading,
        path,
        name,
        cadence,
        csrf_token: session.csrf_token.clone(),
    };
    render(status, &page)
}

async fn edit_service(
    State(state): State<AppState>,
    SignedIn(session, _): SignedIn,
    Path(id): Path<i64>,
) -> Response {
    edit_page(
        &state,
        &session,
        Archivable::Service,
        id,
        None,
        Errors::default(),
    )
    .await
}

async fn edit_partner(
    State(state): State<AppState>,
    SignedIn(session, _): SignedIn,
    Path(id): Path<i64>,
) -> Response {
    edit_page(
        &state,
        &session,
        Archivable::Partner,
        id,
        None,
        Errors::default(),
    )
    .await
}

async fn after_save(
    state: &AppState,
    session: &Session,
    what: Archivable,
    id: i64,
    form: ServiceForm,
    result: Result<(), AppError>,
) -> Response {
    match result {
        Ok(()) => Redirect::to("/services?saved=1").into_response(),
        Err(AppError::Invalid(list)) => {
            edit_page(state, session, what, id, Some(form), Errors::from(list)).await
        }
        Err(e) => PageError::from(e).into_response(),
    }
}

async fn save_service(
    State(state): State<AppState>,
    SignedIn(session, _): SignedIn,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<ServiceForm>,
) -> Response {
    let actor = Actor::Staff(session.staff.clone());
    let result = state
        .app
        .update_service(&actor, id, &form.name, &form.default_cadence_days)
        .await;
    after_save(&state, &session, Archivable::Service, id, form, result).await
}

async fn save_partner(
    State(state): State<AppState>,
    SignedIn(session, _): SignedIn,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<ServiceForm>,
) -> Response {
    let actor = Actor::Staff(session.staff.clone());
    let result = state.app.update_partner(&actor, id, &form.name).await;
    after_save(&state, &session, Archivable::Partner, id, form, result).await
}

async fn archive_service(
    State(state): State<AppState>,
    SignedIn(session, _): SignedIn,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<ServiceForm>,
) -> Response {
    let result = state
        .app
        .archive(
            &Actor::Staff(session.staff.clone()),
            Archivable::Service,
            id,
        )
        .await;
    after_save(&state, &session, Archivable::Service, id, form, result).await
}

async fn archive_partner(
    State(state): State<AppState>,
    SignedIn(session, _): SignedIn,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<ServiceForm>,
) -> Response {
    let result = state
        .app
        .archive(
            &Actor::Staff(session.staff.clone()),
            Archivable::Partner,
            id,
        )
        .await;
    after_save(&state, &session, Archivable::Partner, id, form, result).await
}
