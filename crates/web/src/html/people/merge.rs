//! Merging a likely duplicate into a person's record.

use super::record::details;
use crate::extract::{CsrfForm, Staff};
use crate::html::kit::{render, Layout, PageResult};
use askama::Template;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use coproduce_app::people::PersonView;
use coproduce_domain::PersonId;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "people/merge.html")]
pub(super) struct MergePage {
    layout: Layout,
    keep_id: PersonId,
    keep_name: String,
    other_id: PersonId,
    other_name: String,
    rows: Vec<(&'static str, String, String)>,
    csrf_token: String,
}

pub(super) async fn merge_form(
    Staff(state, session, actor): Staff,
    Path((keep, other)): Path<(PersonId, PersonId)>,
) -> PageResult {
    let (kept, merged) = tokio::try_join!(
        state.app.view_person(&actor, keep),
        state.app.view_person(&actor, other)
    )?;
    let partners = state.app.partners().await.unwrap_or_default();
    let left = details(&kept.person, &kept.tags, &partners);
    let right = details(&merged.person, &merged.tags, &partners);
    let mut rows = vec![("Name", kept.person.name.clone(), merged.person.name.clone())];
    rows.extend(
        left.into_iter()
            .zip(right)
            .map(|((k, a, _), (_, b, _))| (k, a, b)),
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
    Ok(render(StatusCode::OK, &page))
}

#[derive(Deserialize)]
pub(super) struct Empty {}

pub(super) async fn merge(
    Staff(state, _, actor): Staff,
    Path((keep, other)): Path<(PersonId, PersonId)>,
    CsrfForm(_): CsrfForm<Empty>,
) -> PageResult {
    state.app.merge_people(&actor, keep, other).await?;
    Ok(Redirect::to(&format!("/people/{keep}?merged=1")).into_response())
}
