//! The home page.

use super::kit::{render, Layout, Routes};
use crate::error::PageError;
use crate::extract::SignedIn;
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
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

async fn home(State(state): State<AppState>, SignedIn(session, _): SignedIn) -> Response {
    // Those who keep in touch with people start at the queue of who is due a call.
    if Capabilities::of(&session.actor()).view_people {
        return axum::response::Redirect::to("/keep-in-touch").into_response();
    }
    let services = match state.app.service_names(&session.staff.service_ids).await {
        Ok(s) => s,
        Err(e) => return PageError::from(e).into_response(),
    };
    let page = HomePage {
        layout: Layout::new(&state, Some(&session), "Home", "/"),
        name: session.staff.name.clone(),
        role_label: session.staff.role.label(),
        services,
    };
    render(StatusCode::OK, &page)
}
