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
use coproduce_app::people::{PartnerRow, ServiceRow};
use coproduce_app::sign_in::Session;
use coproduce_app::{authorise, Action, Actor, AppError};
use serde::Deserialize;

/// The services routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/services", get(list).post(create))
        .route("/partners", axum::routing::post(create_partner))
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
    if let Err(e) = authorise(&Actor::Staff(session.staff.clone()), Action::ManageServices) {
        return PageError::from(e).into_response();
    }
    let (services, partners) = match tokio::try_join!(state.app.services(), state.app.partners()) {
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

async fn create_partner(
    State(state): State<AppState>,
    SignedIn(session): SignedIn,
    CsrfForm(form): CsrfForm<ServiceForm>,
) -> Response {
    let actor = Actor::Staff(session.staff.clone());
    match state.app.create_partner(&actor, &form.partner_name).await {
        Ok(_) => Redirect::to("/services?saved=1").into_response(),
        Err(AppError::Invalid(list)) => page(&state, &session, form, Errors::from(list)).await,
        Err(e) => PageError::from(e).into_response(),
    }
}
