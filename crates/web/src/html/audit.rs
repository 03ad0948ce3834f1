//! The audit trail, for admins and auditors.

use super::kit::{render, Layout, Routes};
use crate::error::PageError;
use crate::extract::SignedIn;
use crate::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use coproduce_app::audit::ChainReport;
use coproduce_app::Actor;
use serde::Deserialize;

/// The audit routes.
pub(super) fn routes() -> Routes {
    Routes::new().route("/audit", get(list))
}

struct Row {
    seq: i64,
    when: String,
    actor: String,
    action: String,
    object: String,
    detail: String,
}

#[derive(Template)]
#[template(path = "audit/list.html")]
struct ListPage {
    layout: Layout,
    chain: Option<ChainReport>,
    rows: Vec<Row>,
    older: Option<i64>,
}

#[derive(Deserialize)]
struct PageQuery {
    before: Option<i64>,
    verify: Option<String>,
}

/// A UTC time in milliseconds, as UK time.
fn uk_time(ms: i64) -> String {
    coproduce_domain::time::in_london(coproduce_domain::Timestamp(ms))
        .format("%-d %b %Y, %H:%M:%S")
        .to_string()
}

async fn list(
    State(state): State<AppState>,
    SignedIn(session, _): SignedIn,
    Query(q): Query<PageQuery>,
) -> Response {
    let actor = Actor::Staff(session.staff.clone());
    let result = async {
        let page = state.app.audit_page(&actor, q.before).await?;
        let chain = match q.verify {
            Some(_) => Some(state.app.verify_audit_chain(&actor).await?),
            None => None,
        };
        Ok::<_, coproduce_app::AppError>((page, chain))
    }
    .await;
    let (page, chain) = match result {
        Ok(r) => r,
        Err(e) => return PageError::from(e).into_response(),
    };
    let rows = page
        .rows
        .into_iter()
        .map(|r| Row {
            seq: r.seq,
            when: uk_time(r.at),
            actor: r.actor,
            action: r.action.replace('_', " "),
            object: r.object.unwrap_or_default(),
            detail: r.detail,
        })
        .collect();
    let page = ListPage {
        layout: Layout::new(&state, Some(&session), "Audit trail", "/audit"),
        chain,
        rows,
        older: page.older,
    };
    render(StatusCode::OK, &page)
}
