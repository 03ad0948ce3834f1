//! Every request's reference: the `X-Request-Id` a client or proxy sent when it is a sensible
//! one, else one made here. It is sent back in the same header, shown on every error page and in
//! every problem document ("quote this reference"), and carried by the request's span, so every
//! log line the request causes can be found from what a person quotes.

use axum::extract::{MatchedPath, Request};
use axum::http::{HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use tower_http::classify::{ServerErrorsAsFailures, SharedClassifier};
use tower_http::trace::{
    DefaultOnBodyChunk, DefaultOnEos, DefaultOnRequest, DefaultOnResponse, MakeSpan, OnFailure,
    TraceLayer,
};
use tracing::Span;

const HEADER: HeaderName = HeaderName::from_static("x-request-id");

tokio::task_local! {
    static CURRENT: RequestId;
}

/// A request's reference.
#[derive(Clone, Debug)]
pub struct RequestId(pub String);

/// The reference of the request being answered, if one is.
pub fn current() -> Option<String> {
    CURRENT.try_with(|r| r.0.clone()).ok()
}

/// The reference for a log line: the request's, or empty outside one.
pub fn logged() -> String {
    current().unwrap_or_default()
}

/// A sent reference is kept when it is short and plain, so it cannot forge a log line.
fn acceptable(sent: &str) -> bool {
    (8..=64).contains(&sent.len())
        && sent
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.')
}

/// Sixteen random hexadecimal digits: unique enough to find one request in a day's logs.
fn fresh() -> String {
    format!("{:016x}", rand::random::<u64>())
}

/// Gives the request its reference for everything inside, and sends it back.
pub async fn assign(mut request: Request, next: Next) -> Response {
    let id = request
        .headers()
        .get(&HEADER)
        .and_then(|v| v.to_str().ok())
        .filter(|v| acceptable(v))
        .map_or_else(fresh, str::to_owned);
    request.extensions_mut().insert(RequestId(id.clone()));
    let mut response = CURRENT
        .scope(RequestId(id.clone()), next.run(request))
        .await;
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(HEADER, value);
    }
    response
}

/// The span of a request: its reference, method and route. The route is the pattern matched
/// (`/calendar/{token}`), never the path, which can hold a secret link's token, and never the
/// query, which can hold a name searched for.
#[derive(Clone, Copy, Debug)]
pub struct RequestSpan;

impl<B> MakeSpan<B> for RequestSpan {
    fn make_span(&mut self, request: &axum::http::Request<B>) -> Span {
        let id = request
            .extensions()
            .get::<RequestId>()
            .map_or("", |r| r.0.as_str());
        let route = request
            .extensions()
            .get::<MatchedPath>()
            .map_or("(no route)", MatchedPath::as_str);
        tracing::debug_span!("request", request_id = %id, method = %request.method(), route = %route)
    }
}

/// A server error, logged at `error` with the request's reference whatever the log level.
#[derive(Clone, Copy, Debug)]
pub struct ServerError;

impl<E: std::fmt::Display> OnFailure<E> for ServerError {
    fn on_failure(&mut self, failure: E, latency: std::time::Duration, _: &Span) {
        tracing::error!(request_id = %logged(), ms = latency.as_millis(), failure = %failure, "request failed");
    }
}

/// Traces every request in its span (at `debug`: a span a request at `info` cost the cheapest
/// page a tenth of its rate); a server error is always logged with its reference.
pub fn trace() -> TraceLayer<
    SharedClassifier<ServerErrorsAsFailures>,
    RequestSpan,
    DefaultOnRequest,
    DefaultOnResponse,
    DefaultOnBodyChunk,
    DefaultOnEos,
    ServerError,
> {
    TraceLayer::new_for_http()
        .make_span_with(RequestSpan)
        .on_failure(ServerError)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_short_plain_references_are_taken_from_the_client() {
        assert!(acceptable("3f9a2c1e-77b0-4d1e"));
        assert!(!acceptable("short"));
        assert!(!acceptable("line\nbreak-forged-entry"));
        assert!(!acceptable(&"x".repeat(65)));
        assert_eq!(fresh().len(), 16);
        assert_ne!(fresh(), fresh());
    }
}
