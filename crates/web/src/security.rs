//! Security headers on every response, and the origin check on every unsafe request.

use crate::html::kit::render_error;
use crate::AppState;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;

const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
frame-ancestors 'none'";

/// Whether a request that changes something came from one of our own pages (or from no browser
/// at all). Browsers send `Sec-Fetch-Site` and `Origin`; scripts and API clients send neither.
fn same_origin(headers: &HeaderMap, public_origin: &str) -> bool {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        if site != "same-origin" && site != "none" {
            return false;
        }
    }
    match headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        None => true,
        Some(origin) => {
            let host = headers
                .get(header::HOST)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            origin == public_origin
                || origin
                    .strip_prefix("http://")
                    .or_else(|| origin.strip_prefix("https://"))
                    == Some(host)
        }
    }
}

/// Refuses cross-site unsafe requests and adds the security headers to every response.
pub async fn guard(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let unsafe_method = !matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    let mut response = if unsafe_method
        && !same_origin(request.headers(), &state.config.public_origin)
    {
        render_error(
            &state,
            None,
            StatusCode::FORBIDDEN,
            "This form was sent from another website",
            "For your safety, coproduce only accepts forms sent from its own pages. Go back to coproduce, reload the page and try again.",
        )
    } else {
        next.run(request).await
    };
    let h = response.headers_mut();
    // A response with a stricter policy of its own (an uploaded picture's) keeps it.
    h.entry(header::CONTENT_SECURITY_POLICY)
        .or_insert(HeaderValue::from_static(CSP));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    h.insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(), microphone=(), geolocation=(), payment=()"),
    );
    if state.config.https() {
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=63072000; includeSubDomains"),
        );
    }
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn cross_site_requests_are_told_apart_from_our_own() {
        let ours = "https://cp.example";
        assert!(same_origin(&headers(&[]), ours));
        assert!(same_origin(
            &headers(&[("origin", "https://cp.example")]),
            ours
        ));
        assert!(same_origin(
            &headers(&[("origin", "http://127.0.0.1:9"), ("host", "127.0.0.1:9")]),
            ours
        ));
        assert!(!same_origin(
            &headers(&[("origin", "https://evil.example")]),
            ours
        ));
        assert!(!same_origin(
            &headers(&[("sec-fetch-site", "cross-site")]),
            ours
        ));
        assert!(!same_origin(
            &headers(&[("sec-fetch-site", "same-site")]),
            ours
        ));
        assert!(same_origin(
            &headers(&[
                ("sec-fetch-site", "same-origin"),
                ("origin", "https://cp.example")
            ]),
            ours
        ));
    }
}
