//! Error pages: 403, 404, 410, 429 and 500, inside the normal layout.

use super::{render, Layout};
use crate::error::PageError;
use crate::AppState;
use askama::Template;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use coproduce_app::sign_in::Session;

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    layout: Layout,
    heading: &'a str,
    message: &'a str,
}

/// Renders an error page.
pub fn render_error(
    state: &AppState,
    session: Option<&Session>,
    status: StatusCode,
    heading: &str,
    message: &str,
) -> Response {
    let layout = Layout::new(state, session, heading, "");
    render(
        status,
        &ErrorPage {
            layout,
            heading,
            message,
        },
    )
}

/// The answer for a page that does not exist.
pub async fn not_found() -> Response {
    PageError::not_found().into_response()
}
