//! Actions agreed at a meeting: adding one, and marking it done or dropped.

use super::record::show_with;
use crate::error::PageError;
use crate::extract::CsrfForm;
use crate::extract::SignedIn;
use crate::html::kit::Errors;
use crate::AppState;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use coproduce_app::meetings::ActionInput;
use coproduce_app::AppError;
use serde::Deserialize;

pub(super) async fn add_action(
    State(state): State<AppState>,
    SignedIn(session, actor): SignedIn,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<ActionInput>,
) -> Response {
    match state.app.add_action(&actor, id, &form).await {
        Ok(_) => Redirect::to(&format!("/meetings/{id}?action=1#actions")).into_response(),
        Err(AppError::Invalid(list)) => {
            show_with(&state, &session, id, Errors::from(list), Some(form)).await
        }
        Err(e) => PageError::from(e).into_response(),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct StatusForm {
    status: String,
    version: i64,
    /// The meeting page it was changed from.
    meeting: i64,
}

pub(super) async fn action_status(
    State(state): State<AppState>,
    SignedIn(session, actor): SignedIn,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<StatusForm>,
) -> Response {
    match state
        .app
        .set_action_status(&actor, id, &form.status, form.version)
        .await
    {
        Ok(raised_at) => {
            let back = if form.meeting > 0 {
                form.meeting
            } else {
                raised_at
            };
            Redirect::to(&format!("/meetings/{back}?action=1#actions")).into_response()
        }
        Err(AppError::Conflict { .. }) if form.meeting > 0 => {
            let errors = Errors::one(
                "actions",
                "Someone else changed that action just now. Check it below and change it again if you need to.",
            );
            show_with(&state, &session, form.meeting, errors, None).await
        }
        Err(AppError::Invalid(list)) if form.meeting > 0 => {
            show_with(&state, &session, form.meeting, Errors::from(list), None).await
        }
        Err(e) => PageError::from(e).into_response(),
    }
}
