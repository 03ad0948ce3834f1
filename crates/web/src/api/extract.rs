//! What every API handler reads from a request, each refusal a problem document: who is asking
//! (a bearer token's [`Actor`]), and the path, the query string and the JSON body, naming the
//! parameter or field. The framework's own
//! rejections (plain text) never reach a client.

use crate::error::{ApiError, ProblemField};
use crate::AppState;
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Path, RawPathParams, Request};
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use coproduce_app::Actor;
use coproduce_domain::text;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// The most a JSON body may be.
pub const MAX_JSON_BYTES: usize = 1024 * 1024;

/// Path parameters. One that does not parse names nothing there can be: a 404 naming it.
#[derive(Debug)]
pub struct ApiPath<T>(pub T);

impl<T: DeserializeOwned + Send> FromRequestParts<AppState> for ApiPath<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        match Path::<T>::from_request_parts(parts, state).await {
            Ok(Path(value)) => Ok(ApiPath(value)),
            Err(_) => {
                let raw = RawPathParams::from_request_parts(parts, state).await;
                let names: Vec<(String, String)> = raw
                    .map(|r| {
                        r.iter()
                            .map(|(k, v)| (k.to_owned(), v.to_owned()))
                            .collect()
                    })
                    .unwrap_or_default();
                // Ids are the only path parameters: name each one that is not a whole number.
                let errors = names
                    .iter()
                    .filter(|(_, v)| v.parse::<i64>().is_err())
                    .map(|(k, _)| {
                        ProblemField::new(k, "Must be a whole number, the id of something")
                    })
                    .collect::<Vec<_>>();
                Err(ApiError::invalid(
                    StatusCode::NOT_FOUND,
                    "There is nothing at this address: a path parameter is not an id.",
                    errors,
                ))
            }
        }
    }
}

/// A query string. A value that does not parse, or holds a character text may not, is a 400
/// naming the parameter.
#[derive(Debug)]
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, ApiError> {
        let query = parts.uri.query().unwrap_or("");
        let bad = |errors: Vec<ProblemField>| {
            ApiError::invalid(
                StatusCode::BAD_REQUEST,
                "A query parameter is not acceptable.",
                errors,
            )
        };
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query)
            .map_err(|e| bad(vec![ProblemField::new("query", e.to_string())]))?;
        for (k, v) in &pairs {
            if let Some(c) = text::first_forbidden(k).or_else(|| text::first_forbidden(v)) {
                return Err(bad(vec![ProblemField::new(k, text::problem_message(c))]));
            }
        }
        let de = serde_urlencoded::Deserializer::new(form_urlencoded(query));
        serde_path_to_error::deserialize(de)
            .map(ApiQuery)
            .map_err(|e| bad(vec![named(&e.path().to_string(), e.inner().to_string())]))
    }
}

fn form_urlencoded(query: &str) -> url::form_urlencoded::Parse<'_> {
    url::form_urlencoded::parse(query.as_bytes())
}

/// A JSON body whose problems are answered as a JSON problem naming what is wrong: 415 for
/// another content type, 413 for one over a megabyte, 400 for JSON that does not parse, and 422
/// naming the field for a value that is missing, of the wrong type, or holds a character text
/// may not.
#[derive(Debug)]
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, ApiError> {
        let json = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .map(|v| v.trim().to_ascii_lowercase())
            .is_some_and(|v| v == "application/json" || v.ends_with("+json"));
        if !json {
            return Err(ApiError::bad_body(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "Send the body as JSON, with 'Content-Type: application/json'.".into(),
            ));
        }
        let body = Bytes::from_request(request, state).await.map_err(|_| {
            ApiError::bad_body(
                StatusCode::PAYLOAD_TOO_LARGE,
                format!("The body must be at most {MAX_JSON_BYTES} bytes."),
            )
        })?;
        let value: Value = serde_json::from_slice(&body).map_err(|e| {
            ApiError::bad_body(
                StatusCode::BAD_REQUEST,
                format!("The body is not valid JSON: {e}."),
            )
        })?;
        if let Some((field, c)) = forbidden_text(&value, "") {
            return Err(ApiError::invalid(
                StatusCode::UNPROCESSABLE_ENTITY,
                "Some fields are not acceptable.",
                vec![ProblemField::new(field, text::problem_message(c))],
            ));
        }
        serde_path_to_error::deserialize(value)
            .map(ApiJson)
            .map_err(|e| {
                ApiError::invalid(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "Some fields are not acceptable.",
                    vec![named(&e.path().to_string(), e.inner().to_string())],
                )
            })
    }
}

/// The first string (or key) in a JSON value holding a character text may not, with its place
/// (`name`, `channels[1]`).
fn forbidden_text(value: &Value, at: &str) -> Option<(String, char)> {
    match value {
        Value::String(s) => text::first_forbidden(s).map(|c| (at.to_owned(), c)),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, v)| forbidden_text(v, &format!("{at}[{i}]"))),
        Value::Object(fields) => fields.iter().find_map(|(k, v)| {
            let place = if at.is_empty() {
                k.clone()
            } else {
                format!("{at}.{k}")
            };
            match text::first_forbidden(k) {
                Some(c) => Some((place, c)),
                None => forbidden_text(v, &place),
            }
        }),
        _ => None,
    }
}

/// A field's problem from a deserialiser's path and message. A missing field is reported at
/// its parent, so its name is taken from the message.
fn named(path: &str, message: String) -> ProblemField {
    let missing = message
        .strip_prefix("missing field `")
        .and_then(|rest| rest.split('`').next());
    let field = match (missing, path) {
        (Some(name), "." | "") => name.to_owned(),
        (Some(name), parent) => format!("{parent}.{name}"),
        (None, "." | "") => "body".to_owned(),
        (None, path) => path.to_owned(),
    };
    let message = match missing {
        Some(_) => "This field is required".to_owned(),
        None => message,
    };
    ProblemField::new(field, message)
}

/// Makes every API error a problem document, whatever answered it: a handler's `ApiError`
/// passes as it is; anything else (the router's 405, a layer's refusal) becomes a problem with
/// its status.
pub async fn problems_only(request: Request, next: axum::middleware::Next) -> Response {
    let response = next.run(request).await;
    let status = response.status();
    let problem = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/problem+json"));
    if !status.is_client_error() && !status.is_server_error() || problem {
        return response;
    }
    let detail = match status {
        StatusCode::METHOD_NOT_ALLOWED => "This address does not answer that method.",
        StatusCode::PAYLOAD_TOO_LARGE => "The body is too large.",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => {
            "Send the body as JSON, with 'Content-Type: application/json'."
        }
        s if s.is_server_error() => "Something went wrong on the server; nothing was changed.",
        _ => "The request is not acceptable.",
    };
    let mut answer = ApiError::bad_body(status, detail.to_owned()).into_response();
    if let Some(allow) = response.headers().get(header::ALLOW) {
        answer.headers_mut().insert(header::ALLOW, allow.clone());
    }
    answer
}

/// The staff member behind a valid bearer token. Anything else is a 401 problem. A layer that
/// already resolved the token (the idempotency layer) leaves it in the request, so a token is
/// looked up, and its use audited, once a request.
#[derive(Clone, Debug)]
pub struct ApiActor(pub Actor);

impl FromRequestParts<AppState> for ApiActor {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        if let Some(resolved) = parts.extensions.get::<ApiActor>() {
            return Ok(resolved.clone());
        }
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| {
                v.strip_prefix("Bearer ")
                    .or_else(|| v.strip_prefix("bearer "))
            })
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or_else(ApiError::unauthorised)?;
        let request = format!("{} {}", parts.method, parts.uri.path());
        match state.app.api_actor(token, &request).await? {
            Some(actor) => Ok(ApiActor(actor)),
            None => Err(ApiError::unauthorised()),
        }
    }
}
