//! The rules the concerns log works to, for an admin to set: each step's target, and where a
//! concern that is not a co-production concern goes instead.

use super::super::kit::{render, Errors, Layout, PageResult};
use crate::extract::{CsrfForm, Staff};
use crate::AppState;
use askama::Template;
use axum::response::{IntoResponse, Redirect};
use coproduce_app::concerns::RulesInput;
use coproduce_app::sign_in::Session;
use coproduce_app::AppError;

#[derive(Template)]
#[template(path = "concerns/rules.html")]
struct RulesPage {
    layout: Layout,
    errors: Errors,
    form: RulesInput,
    saved: bool,
    csrf_token: String,
}

fn page(
    state: &AppState,
    session: &Session,
    form: RulesInput,
    errors: Errors,
    saved: bool,
) -> PageResult {
    let status = errors.status();
    let page = RulesPage {
        layout: Layout::new(
            state,
            Some(session),
            errors.title("Concern targets and signposting"),
            "/concerns",
        ),
        errors,
        form,
        saved,
        csrf_token: session.csrf_token.clone(),
    };
    Ok(render(status, &page))
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub(super) struct SavedQuery {
    saved: String,
}

pub(super) async fn show(
    Staff(state, session, actor): Staff,
    axum::extract::Query(q): axum::extract::Query<SavedQuery>,
) -> PageResult {
    let rules = state.app.concern_rules(&actor).await?;
    page(
        &state,
        &session,
        RulesInput::of(&rules),
        Errors::default(),
        q.saved == "1",
    )
}

pub(super) async fn save(
    Staff(state, session, actor): Staff,
    CsrfForm(form): CsrfForm<RulesInput>,
) -> PageResult {
    match state.app.set_concern_rules(&actor, &form).await {
        Ok(()) => Ok(Redirect::to("/concerns/settings?saved=1").into_response()),
        Err(AppError::Invalid(list)) => page(&state, &session, form, Errors::from(list), false),
        Err(e) => Err(e.into()),
    }
}
