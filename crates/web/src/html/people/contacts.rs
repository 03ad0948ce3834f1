//! Logging a contact from the person's page.

use super::record::after_person_form;
use crate::extract::{CsrfForm, Staff};
use crate::html::kit::PageResult;
use axum::extract::Path;
use coproduce_app::people::ContactInput;
use coproduce_domain::PersonId;

pub(super) async fn log_contact(
    Staff(state, session, actor): Staff,
    Path(id): Path<PersonId>,
    CsrfForm(input): CsrfForm<ContactInput>,
) -> PageResult {
    let result = state.app.log_contact(&actor, id, &input).await;
    after_person_form(&state, &session, id, result, "logged", input).await
}
