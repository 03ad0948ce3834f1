//! Every page extractor: who is asking (a signed-in staff member yields their [`Actor`]), from
//! where, and a form whose token matched. A handler names what it needs and gets it, or the
//! visitor gets the right page (sign in, finish signing in, or a 403).

use crate::html::kit::render_error;
use crate::session::{cookie, csrf_cookie_name, session_state, SessionState};
use crate::AppState;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use coproduce_app::sign_in::{Session, Stage};
use coproduce_app::Actor;
use coproduce_domain::secret::constant_time_eq;
use serde::de::DeserializeOwned;
use std::net::SocketAddr;

/// A session that ended by time, travelling out of an extractor as a marker on an empty
/// response with the request's headers; the pages' layer answers it with the sign-in page.
#[derive(Clone, Debug)]
pub struct SessionEnded(pub HeaderMap);

fn ended(parts: &Parts) -> Response {
    let mut response = StatusCode::UNAUTHORIZED.into_response();
    response
        .extensions_mut()
        .insert(SessionEnded(parts.headers.clone()));
    response
}

/// A fully signed-in staff member: their session (for the page's header and form token) and
/// who they act as. Anyone else is sent to sign in (or to finish signing in); an expired
/// session is told so, with a 401.
#[derive(Debug)]
pub struct SignedIn(pub Session, pub Actor);

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, Response> {
        match session_state(parts) {
            SessionState::Live(s) => match s.stage {
                Stage::Full => {
                    let actor = s.actor();
                    Ok(SignedIn(*s, actor))
                }
                Stage::SecondFactor => Err(Redirect::to("/sign-in/two-factor").into_response()),
                Stage::Enrol => Err(Redirect::to("/account/two-factor").into_response()),
            },
            SessionState::Expired => Err(ended(parts)),
            SessionState::Anonymous => Err(Redirect::to("/sign-in").into_response()),
        }
    }
}

/// What nearly every staff page takes together: the app's state, the signed-in session (for
/// the page's header and form token) and who it acts as. Refused as [`SignedIn`] refuses.
pub struct Staff(pub AppState, pub Session, pub Actor);

impl FromRequestParts<AppState> for Staff {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let SignedIn(session, actor) = SignedIn::from_request_parts(parts, state).await?;
        Ok(Staff(state.clone(), session, actor))
    }
}

/// A session at any stage of signing in (for the second-factor pages and sign out).
#[derive(Debug)]
pub struct AnySession(pub Session);

impl FromRequestParts<AppState> for AnySession {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, Response> {
        match session_state(parts) {
            SessionState::Live(s) => Ok(AnySession(*s)),
            SessionState::Expired => Err(ended(parts)),
            SessionState::Anonymous => Err(Redirect::to("/sign-in").into_response()),
        }
    }
}

/// The session, if there is a live one; pages anyone may see use it for the header.
#[derive(Debug)]
pub struct MaybeSession(pub Option<Session>);

impl FromRequestParts<AppState> for MaybeSession {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, Self::Rejection> {
        Ok(MaybeSession(session_state(parts).session().cloned()))
    }
}

/// The client's address, for throttling and the audit trail.
#[derive(Debug)]
pub struct ClientAddress(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let address = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map_or_else(|| "unknown".to_owned(), |ConnectInfo(a)| a.ip().to_string());
        Ok(ClientAddress(address))
    }
}

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
