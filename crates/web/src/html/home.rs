//! The home page.

use super::kit::{render, Layout, PageResult, Routes};
use crate::extract::Staff;
use askama::Template;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::get;
use coproduce_app::Capabilities;

/// The home page's route.
pub(super) fn routes() -> Routes {
    Routes::new().route("/", get(home))
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    layout: Layout,
    name: String,
    role_label: &'static str,
    services: Vec<String>,
}

async fn home(Staff(state, session, actor): Staff) -> PageResult {
    // Those who keep in touch with people start at the queue of who is due a call.
    if Capabilities::of(&actor).view_people {
        return Ok(axum::response::Redirect::to("/keep-in-touch").into_response());
    }
    let services = state.app.service_names(&session.staff.service_ids).await?;
    let page = HomePage {
        layout: Layout::new(&state, Some(&session), "Home", "/"),
        name: session.staff.name.clone(),
        role_label: session.staff.role.label(),
        services,
    };
    Ok(render(StatusCode::OK, &page))
}
