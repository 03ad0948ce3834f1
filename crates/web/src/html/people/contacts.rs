//! Logging a contact from the person's page.

use super::record::after_person_form;
use crate::extract::CsrfForm;
use crate::extract::SignedIn;
use crate::AppState;
use axum::extract::{Path, State};
use axum::response::Response;
use coproduce_app::people::ContactInput;

pub(super) async fn log_contact(
    State(state): State<AppState>,
    SignedIn(session, actor): SignedIn,
    Path(id): Path<i64>,
    CsrfForm(input): CsrfForm<ContactInput>,
) -> Response {
    let result = state.app.log_contact(&actor, id, &input).await;
    after_person_form(&state, &session, id, result, "logged", input).await
}
