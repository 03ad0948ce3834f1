//! `Idempotency-Key` for every POST in the API, in one place. The same key and request gets
//! the answer stored the first time (marked `Idempotent-Replayed: true`); the same key with
//! another request gets 422; a key still being answered gets 409. A server error is not kept,
//! so a retry is answered afresh.

use super::extract::ApiActor;
use super::extract::MAX_JSON_BYTES;
use crate::error::{ApiError, ProblemField};
use crate::AppState;
use axum::body::{to_bytes, Body};
use axum::extract::{FromRequestParts, Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use coproduce_domain::idempotency::{Answer, Claim};

/// The header.
pub const HEADER: &str = "Idempotency-Key";

/// The most an answer kept for a key may be; API answers to a POST are far smaller.
const MAX_ANSWER_BYTES: usize = 4 * 1024 * 1024;

/// A key: 1 to 255 printable ASCII characters.
fn valid(key: &str) -> bool {
    (1..=255).contains(&key.len()) && key.bytes().all(|b| b == b' ' || b.is_ascii_graphic())
}

fn problem(status: StatusCode, detail: &str, message: &str) -> Response {
    ApiError::invalid(status, detail, vec![ProblemField::new(HEADER, message)]).into_response()
}

/// The middleware.
pub async fn idempotent(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if request.method() != Method::POST {
        return next.run(request).await;
    }
    // An empty key is no key.
    let Some(key) = request
        .headers()
        .get(HEADER)
        .filter(|k| !k.as_bytes().trim_ascii().is_empty())
        .cloned()
    else {
        return next.run(request).await;
    };
    let (mut parts, body) = request.into_parts();
    // Who is asking comes first: without a token the answer is 401, whatever the key.
    let actor = match ApiActor::from_request_parts(&mut parts, &state).await {
        Ok(a) => a,
        Err(e) => return e.into_response(),
    };
    let Some(key) = key.to_str().ok().filter(|k| valid(k)).map(str::to_owned) else {
        return problem(
            StatusCode::BAD_REQUEST,
            "The Idempotency-Key header is not acceptable.",
            "Send 1 to 255 printable ASCII characters, the same on every retry",
        );
    };
    let Ok(bytes) = to_bytes(body, MAX_JSON_BYTES).await else {
        return ApiError::bad_body(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("The body must be at most {MAX_JSON_BYTES} bytes."),
        )
        .into_response();
    };
    let hash = coproduce_domain::idempotency::request_hash(&[
        parts.method.as_str().as_bytes(),
        parts.uri.path().as_bytes(),
        parts.uri.query().unwrap_or("").as_bytes(),
        &bytes,
    ]);
    let claim = state.app.claim_idempotency_key(&actor.0, &key, &hash).await;
    match claim {
        Err(e) => ApiError::from(e).into_response(),
        Ok(Claim::Answered(answer)) => replay(&answer),
        Ok(Claim::OtherRequest) => problem(
            StatusCode::UNPROCESSABLE_ENTITY,
            "This Idempotency-Key was sent before with another request.",
            "Use a new key for a new request",
        ),
        Ok(Claim::InFlight) => problem(
            StatusCode::CONFLICT,
            "A request with this Idempotency-Key is still being answered.",
            "Wait a moment, then send it again with the same key",
        ),
        Ok(Claim::Claimed) => {
            let app = state.app.clone();
            let actor_inside = actor.0.clone();
            parts.extensions.insert(actor);
            let response = next
                .run(Request::from_parts(parts, Body::from(bytes)))
                .await;
            keep(&app, &actor_inside, &key, response).await
        }
    }
}

/// Keeps the answer for the key (or lets the key go, for an answer a retry may mend), and
/// sends it on.
async fn keep(
    app: &coproduce_app::App,
    actor: &coproduce_app::Actor,
    key: &str,
    response: Response,
) -> Response {
    let status = response.status();
    let (parts, body) = response.into_parts();
    let retry_may_mend = status.is_server_error() || status == StatusCode::TOO_MANY_REQUESTS;
    let bytes = match to_bytes(body, MAX_ANSWER_BYTES).await {
        Ok(b) if !retry_may_mend => b,
        other => {
            app.release_idempotency_key(actor, key).await.ok();
            let body = other.map(Body::from).unwrap_or_default();
            return Response::from_parts(parts, body);
        }
    };
    let header_text = |name: header::HeaderName| {
        parts
            .headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let answer = Answer {
        status: i64::from(status.as_u16()),
        content_type: header_text(header::CONTENT_TYPE),
        location: header_text(header::LOCATION),
        body: String::from_utf8_lossy(&bytes).into_owned(),
    };
    if let Err(e) = app.answer_idempotency_key(actor, key, &answer).await {
        tracing::error!(request_id = %crate::request_id::logged(), error = %e, "keeping an idempotent answer failed");
        app.release_idempotency_key(actor, key).await.ok();
    }
    Response::from_parts(parts, Body::from(bytes))
}

fn replay(answer: &Answer) -> Response {
    let status = u16::try_from(answer.status)
        .ok()
        .and_then(|s| StatusCode::from_u16(s).ok())
        .unwrap_or(StatusCode::OK);
    let mut response = (status, answer.body.clone()).into_response();
    let headers = response.headers_mut();
    headers.remove(header::CONTENT_TYPE);
    for (name, value) in [
        (header::CONTENT_TYPE, &answer.content_type),
        (header::LOCATION, &answer.location),
    ] {
        if let Some(v) = value.as_deref().and_then(|v| HeaderValue::from_str(v).ok()) {
            headers.insert(name, v);
        }
    }
    headers.insert("idempotent-replayed", HeaderValue::from_static("true"));
    response
}
