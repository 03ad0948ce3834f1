//! The per-session form token on every unsafe page request.

use crate::html::errors::render_error;
use crate::session::{cookie, csrf_cookie_name, SessionState};
use crate::AppState;
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use axum::response::Response;
use coproduce_domain::secret::constant_time_eq;
use serde::de::DeserializeOwned;

/// A URL-encoded form whose `csrf_token` field matched the session's form token (or, for
/// someone not signed in, the form cookie). Anything else is refused with a 403 page.
#[derive(Debug)]
pub struct CsrfForm<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for CsrfForm<T> {
    type Rejection = Response;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, Response> {
        let session = match request.extensions().get::<SessionState>() {
            Some(SessionState::Live(s)) => Some(s.clone()),
            _ => None,
        };
        let expected = match &session {
            Some(s) => Some(s.csrf_token.clone()),
            None => cookie(request.headers(), csrf_cookie_name(&state.config)).map(str::to_owned),
        };
        let refuse = |status: StatusCode, heading: &str, message: &str| {
            render_error(state, session.as_deref(), status, heading, message)
        };
        let body = Bytes::from_request(request, state).await.map_err(|_| {
            refuse(
                StatusCode::BAD_REQUEST,
                "The form could not be read",
                "Go back, reload the page and try again.",
            )
        })?;
        let pairs = crate::input::form_pairs(&body);
        let sent = pairs
            .iter()
            .find(|(k, _)| k == "csrf_token")
            .map(|(_, v)| v.as_str());
        let valid = matches!((expected.as_deref(), sent), (Some(e), Some(s)) if !e.is_empty() && constant_time_eq(e, s));
        if !valid {
            return Err(refuse(
                StatusCode::FORBIDDEN,
                "This form has expired",
                "For your safety, forms only work for a while and only from the page that showed them. Go back, reload the page and try again.",
            ));
        }
        crate::input::form_from_pairs(&pairs)
            .map(CsrfForm)
            .map_err(|_| {
                refuse(
                    StatusCode::BAD_REQUEST,
                    "The form could not be read",
                    "Go back, reload the page and try again.",
                )
            })
    }
}
