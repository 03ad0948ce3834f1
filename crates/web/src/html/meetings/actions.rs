//! Actions agreed at a meeting: adding one, and marking it done or dropped.

use super::record::{back_to_meeting, show_with};
use crate::extract::{CsrfForm, Staff};
use crate::html::kit::{Errors, PageResult};
use axum::extract::Path;
use axum::response::{IntoResponse, Redirect};
use coproduce_app::meetings::ActionInput;
use coproduce_app::AppError;
use coproduce_domain::meetings::AgreedAt;
use coproduce_domain::MeetingId;
use serde::Deserialize;

pub(super) async fn add_action(
    Staff(state, session, actor): Staff,
    Path(id): Path<MeetingId>,
    CsrfForm(form): CsrfForm<ActionInput>,
) -> PageResult {
    let result = state.app.add_action(&actor, id, &form).await;
    let to = format!("/meetings/{id}?action=1#actions");
    back_to_meeting(&state, &session, id, result, to, Some(form)).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct StatusForm {
    status: String,
    version: i64,
    /// The meeting page it was changed from.
    meeting: MeetingId,
}

pub(super) async fn action_status(
    Staff(state, session, actor): Staff,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<StatusForm>,
) -> PageResult {
    match state
        .app
        .set_action_status(&actor, id, &form.status, form.version)
        .await
    {
        Ok(agreed_at) => {
            let back = match (form.meeting.0 > 0, agreed_at) {
                (true, _) => format!("/meetings/{}?action=1#actions", form.meeting),
                (false, AgreedAt::Meeting(m)) => format!("/meetings/{m}?action=1#actions"),
                (false, AgreedAt::Review(r)) => format!("/reviews/{r}?action=1#adjustments"),
            };
            Ok(Redirect::to(&back).into_response())
        }
        Err(AppError::Conflict { .. }) if form.meeting.0 > 0 => {
            let errors = Errors::one(
                "actions",
                "Someone else changed that action just now. Check it below and change it again if you need to.",
            );
            show_with(&state, &session, form.meeting, errors, None).await
        }
        Err(AppError::Invalid(list)) if form.meeting.0 > 0 => {
            show_with(&state, &session, form.meeting, Errors::from(list), None).await
        }
        Err(e) => Err(e.into()),
    }
}
