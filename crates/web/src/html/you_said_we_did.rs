//! "You said, we did": the published improvements anyone may read, by service, in standard
//! words and in Easy Read.

use super::kit::{render, Layout, PageResult, Routes};
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use coproduce_domain::improvements::{by_service, Published};
use coproduce_domain::time::{iso_date_text, spoken_date};

/// The public routes.
pub(super) fn routes() -> Routes {
    Routes::new()
        .route("/you-said-we-did", get(standard))
        .route("/you-said-we-did/easy-read", get(easy_read))
}

/// The page: each service's items, each with the date it changed in words.
#[derive(Template)]
#[template(path = "public/you_said_we_did.html")]
struct Page<'a> {
    layout: Layout,
    groups: Vec<(&'a str, Vec<(&'a Published, String)>)>,
}

#[derive(Template)]
#[template(path = "public/you_said_we_did_easy_read.html")]
struct EasyReadPage<'a> {
    layout: Layout,
    groups: Vec<(&'a str, Vec<(&'a Published, String)>)>,
}

/// The items by service, each with its date as `date` writes it.
fn grouped(
    items: &[Published],
    date: fn(&str) -> String,
) -> Vec<(&str, Vec<(&Published, String)>)> {
    by_service(items)
        .into_iter()
        .map(|(service, list)| {
            let dated = list.into_iter().map(|i| (i, date(&i.changed_on))).collect();
            (service, dated)
        })
        .collect()
}

async fn standard(State(state): State<AppState>) -> PageResult {
    let items = state.app.published_improvements().await?;
    let page = Page {
        layout: Layout::public(&state, "You said, we did", "/you-said-we-did"),
        groups: grouped(&items, |d| format!("Changed {}", iso_date_text(d))),
    };
    Ok(render(StatusCode::OK, &page))
}

async fn easy_read(State(state): State<AppState>) -> PageResult {
    let items = state.app.published_improvements().await?;
    let mut layout = Layout::public(&state, "You said, we did: Easy Read", "/you-said-we-did");
    layout.easy_read = true;
    let page = EasyReadPage {
        layout,
        groups: grouped(&items, |d| format!("We did this on {}", spoken_date(d))),
    };
    Ok(render(StatusCode::OK, &page))
}
