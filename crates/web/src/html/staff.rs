//! The staff list, for admins: disable accounts and require a second factor.

use super::kit::{render, Layout, PageResult, Routes};
use crate::extract::{CsrfForm, Staff};
use askama::Template;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use axum::routing::{get, post};
use coproduce_app::staff::StaffSummary;
use coproduce_app::AppError;
use coproduce_domain::{Role, StaffId};
use serde::Deserialize;

/// The staff routes.
pub(super) fn routes() -> Routes {
    Routes::new()
        .route("/staff", get(list))
        .route("/staff/{id}/disable", post(set_disabled::<true>))
        .route("/staff/{id}/enable", post(set_disabled::<false>))
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

async fn list(Staff(state, session, actor): Staff, Query(q): Query<Saved>) -> PageResult {
    let staff = state.app.list_staff(&actor).await?;
    let page = ListPage {
        layout: Layout::new(&state, Some(&session), "Staff", "/staff"),
        notice: q.saved.map(|_| "Your change is saved."),
        staff,
        csrf_token: session.csrf_token.clone(),
    };
    Ok(render(StatusCode::OK, &page))
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

/// Disables an account (`DISABLE`) or enables it again.
async fn set_disabled<const DISABLE: bool>(
    Staff(state, _, actor): Staff,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<Empty>,
) -> PageResult {
    saved(
        state
            .app
            .set_staff_disabled(&actor, StaffId(id), DISABLE)
            .await,
    )
}

async fn second_factor(
    Staff(state, _, actor): Staff,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<RequiredForm>,
) -> PageResult {
    let required = form.required;
    saved(
        state
            .app
            .set_second_factor_required(&actor, StaffId(id), required)
            .await,
    )
}

/// Back to the list, saying the change is saved.
fn saved(result: Result<(), AppError>) -> PageResult {
    result?;
    Ok(Redirect::to("/staff?saved=1").into_response())
}
