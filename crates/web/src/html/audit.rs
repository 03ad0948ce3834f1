//! The audit trail, for admins and auditors.

use super::kit::{render, Layout, PageResult, Routes};
use crate::extract::Staff;
use askama::Template;
use axum::extract::Query;
use axum::http::StatusCode;
use axum::routing::get;
use coproduce_app::audit::ChainReport;
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

async fn list(Staff(state, session, actor): Staff, Query(q): Query<PageQuery>) -> PageResult {
    let page = state.app.audit_page(&actor, q.before).await?;
    let chain = match q.verify {
        Some(_) => Some(state.app.verify_audit_chain(&actor).await?),
        None => None,
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
    Ok(render(StatusCode::OK, &page))
}
