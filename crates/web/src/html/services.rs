//! The services list, for admins.

use super::{render, Errors, Layout};
use crate::csrf::CsrfForm;
use crate::error::PageError;
use crate::session::SignedIn;
use crate::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use coproduce_app::people::ServiceRow;
use coproduce_app::sign_in::Session;
use coproduce_app::{authorise, Action, Actor, AppError};
use serde::Deserialize;

/// The services routes.
pub fn routes() -> Router<AppState> {
    Router::new().route("/services", get(list).post(create))
}

#[derive(Template)]
#[template(path = "services/list.html")]
struct ListPage {
    layout: Layout,
    errors: Errors,
    notice: Option<&'static str>,
    services: Vec<ServiceRow>,
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
}

async fn page(state: &AppState, session: &Session, form: ServiceForm, errors: Errors) -> Response {
    if let Err(e) = authorise(&Actor::Staff(session.staff.clone()), Action::ManageServices) {
        return PageError::from(e).into_response();
    }
    let services = match state.app.services().await {
        Ok(s) => s,
        Err(e) => return PageError::from(e).into_response(),
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    let title = if errors.is_empty() {
        "Services"
    } else {
        "Error: Services"
    };
    let page = ListPage {
        layout: Layout::new(state, Some(session), title, "/services"),
        errors,
        notice: form.saved.map(|_| "Service added."),
        services,
        name: form.name,
        default_cadence_days: form.default_cadence_days,
        csrf_token: session.csrf_token.clone(),
    };
    render(status, &page)
}

async fn list(
    State(state): State<AppState>,
    SignedIn(session): SignedIn,
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
    SignedIn(session): SignedIn,
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
