//! Merging a likely duplicate into a person's record.

use super::record::details;
use crate::error::PageError;
use crate::extract::CsrfForm;
use crate::extract::SignedIn;
use crate::html::kit::{render, Layout};
use crate::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use coproduce_app::people::PersonView;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "people/merge.html")]
pub(super) struct MergePage {
    layout: Layout,
    keep_id: i64,
    keep_name: String,
    other_id: i64,
    other_name: String,
    rows: Vec<(&'static str, String, String)>,
    csrf_token: String,
}

pub(super) async fn merge_form(
    State(state): State<AppState>,
    SignedIn(session, actor): SignedIn,
    Path((keep, other)): Path<(i64, i64)>,
) -> Response {
    let (kept, merged) = match tokio::try_join!(
        state.app.view_person(&actor, keep),
        state.app.view_person(&actor, other)
    ) {
        Ok(r) => r,
        Err(e) => return PageError::from(e).into_response(),
    };
    let partners = state.app.partners().await.unwrap_or_default();
    let left = details(&kept.person, &kept.tags, &partners);
    let right = details(&merged.person, &merged.tags, &partners);
    let mut rows = vec![("Name", kept.person.name.clone(), merged.person.name.clone())];
    rows.extend(
        left.into_iter()
            .zip(right)
            .map(|((k, a), (_, b))| (k, a, b)),
    );
    let services = |v: &PersonView| {
        v.relationships
            .iter()
            .map(|r| r.with_whom())
            .collect::<Vec<_>>()
            .join(", ")
    };
    rows.push(("Services", services(&kept), services(&merged)));
    rows.push((
        "Contacts logged",
        kept.contacts.len().to_string(),
        merged.contacts.len().to_string(),
    ));
    let page = MergePage {
        layout: Layout::new(&state, Some(&session), "Merge two records", ""),
        keep_id: keep,
        keep_name: kept.person.name,
        other_id: other,
        other_name: merged.person.name,
        rows,
        csrf_token: session.csrf_token.clone(),
    };
    render(StatusCode::OK, &page)
}

#[derive(Deserialize)]
pub(super) struct Empty {}

pub(super) async fn merge(
    State(state): State<AppState>,
    SignedIn(_, actor): SignedIn,
    Path((keep, other)): Path<(i64, i64)>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Response {
    match state.app.merge_people(&actor, keep, other).await {
        Ok(()) => Redirect::to(&format!("/people/{keep}?merged=1")).into_response(),
        Err(e) => PageError::from(e).into_response(),
    }
}
