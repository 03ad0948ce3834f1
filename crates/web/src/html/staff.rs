//! The staff list, for admins: disable accounts and require a second factor.

use super::kit::{render, Layout, Routes};
use crate::error::PageError;
use crate::extract::CsrfForm;
use crate::extract::SignedIn;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use coproduce_app::staff::StaffSummary;
use coproduce_app::Actor;
use coproduce_domain::{Role, StaffId};
use serde::Deserialize;

/// The staff routes.
pub(super) fn routes() -> Routes {
    Routes::new()
        .route("/staff", get(list))
        .route("/staff/{id}/disable", post(disable))
        .route("/staff/{id}/enable", post(enable))
        .route("/staff/{id}/second-factor", post(second_factor))
}

#[derive(Template)]
#[template(path = "staff/list.html")]
struct ListPage {
    layout: Layout,
    notice: Option<&'static str>,
    staff: Vec<StaffSummary>,
    csrf_token: String,
}

#[derive(Deserialize)]
struct Saved {
    #[serde(default)]
    saved: Option<String>,
}

async fn list(
    State(state): State<AppState>,
    SignedIn(session, _): SignedIn,
    Query(q): Query<Saved>,
) -> Response {
    let actor = Actor::Staff(session.staff.clone());
    match state.app.list_staff(&actor).await {
        Ok(staff) => {
            let page = ListPage {
                layout: Layout::new(&state, Some(&session), "Staff", "/staff"),
                notice: q.saved.map(|_| "Your change is saved."),
                staff,
                csrf_token: session.csrf_token.clone(),
            };
            render(StatusCode::OK, &page)
        }
        Err(e) => PageError::from(e).into_response(),
    }
}

#[derive(Deserialize)]
struct Empty {}

/// Parsed leniently, so the policy answers before the form is read; a missing answer is the
/// app's to refuse, never read as "no".
#[derive(Deserialize, Default)]
#[serde(default)]
struct RequiredForm {
    required: Option<bool>,
}

fn done(result: Result<(), coproduce_app::AppError>) -> Response {
    match result {
        Ok(()) => Redirect::to("/staff?saved=1").into_response(),
        Err(e) => PageError::from(e).into_response(),
    }
}

async fn disable(
    State(state): State<AppState>,
    SignedIn(session, _): SignedIn,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Response {
    done(
        state
            .app
            .set_staff_disabled(&Actor::Staff(session.staff), StaffId(id), true)
            .await,
    )
}

async fn enable(
    State(state): State<AppState>,
    SignedIn(session, _): SignedIn,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Response {
    done(
        state
            .app
            .set_staff_disabled(&Actor::Staff(session.staff), StaffId(id), false)
            .await,
    )
}

async fn second_factor(
    State(state): State<AppState>,
    SignedIn(session, _): SignedIn,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<RequiredForm>,
) -> Response {
    done(
        state
            .app
            .set_second_factor_required(&Actor::Staff(session.staff), StaffId(id), form.required)
            .await,
    )
}
