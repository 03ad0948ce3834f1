//! The answer for a page that does not exist (error pages themselves are drawn by the kit).

use crate::error::PageError;
use axum::response::{IntoResponse, Response};

/// The answer for a page that does not exist.
pub async fn not_found() -> Response {
    PageError::not_found().into_response()
}
