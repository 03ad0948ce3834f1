//! Recording a consent from the person's page.

use super::record::after_person_form;
use crate::extract::{CsrfForm, Staff};
use crate::html::kit::PageResult;
use axum::extract::Path;
use coproduce_app::people::ContactInput;
use coproduce_domain::PersonId;
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
    Staff(state, session, actor): Staff,
    Path(id): Path<PersonId>,
    CsrfForm(f): CsrfForm<ConsentForm>,
) -> PageResult {
    let result = state
        .app
        .record_consent(&actor, id, &f.kind, &f.given, &f.note)
        .await;
    let typed = ContactInput::default();
    after_person_form(&state, &session, id, result, "saved", typed).await
}
