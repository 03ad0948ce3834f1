//! The organisation's logo, as every page's header shows it.

use super::kit::{PageResult, Routes};
use crate::error::PageError;
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;

/// The organisation's routes.
pub(super) fn routes() -> Routes {
    Routes::new().route("/logo/{tag}", get(logo))
}

/// The logo, by its tag: sent as its own type, never sniffed, kept by browsers for good (a new
/// logo has a new tag), with a policy that lets nothing in it run or load.
async fn logo(State(state): State<AppState>, Path(tag): Path<String>) -> PageResult {
    let Some(logo) = state.app.logo(&tag).await? else {
        return Err(PageError::not_found());
    };
    let headers = [
        (header::CONTENT_TYPE, logo.kind.media_type()),
        (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
        (
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; style-src 'unsafe-inline'; sandbox",
        ),
    ];
    Ok((headers, logo.bytes).into_response())
}
