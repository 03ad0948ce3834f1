//! A stored file sent back as a download: never shown in the page's origin, so nothing in it
//! can run there (`nosniff` is on every response; see `security`).

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

/// `bytes` as an attachment named `name` (non-ASCII characters made `_`), of type `kind`, kept
/// by no cache, and sandboxed should a browser open it anyway.
pub(crate) fn attachment(name: &str, kind: String, bytes: Vec<u8>) -> Response {
    let headers = [
        (header::CONTENT_TYPE, kind),
        (
            header::CONTENT_DISPOSITION,
            format!(
                "attachment; filename=\"{}\"",
                name.replace(|c: char| !c.is_ascii() || c == '"' || c == '\\', "_")
            ),
        ),
        (header::CACHE_CONTROL, "private, no-store".to_owned()),
        (
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; sandbox".to_owned(),
        ),
    ];
    (StatusCode::OK, headers, bytes).into_response()
}
