//! Recording a consent from the person's page.

use super::record::after_person_form;
use crate::extract::CsrfForm;
use crate::extract::SignedIn;
use crate::AppState;
use axum::extract::{Path, State};
use axum::response::Response;
use coproduce_app::people::ContactInput;
use serde::Deserialize;

#[derive(Deserialize)]
pub(super) struct ConsentForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    given: String,
    #[serde(default)]
    note: String,
}

pub(super) async fn record_consent(
    State(state): State<AppState>,
    SignedIn(session, actor): SignedIn,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<ConsentForm>,
) -> Response {
    let result = state
        .app
        .record_consent(&actor, id, &f.kind, &f.given, &f.note)
        .await;
    after_person_form(
        &state,
        &session,
        id,
        result,
        "saved",
        ContactInput::default(),
    )
    .await
}

// ------------------------------------------------------------------------------------------------
// Merging two records of the same person
