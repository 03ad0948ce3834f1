//! Who is asking: the session cookie, resolved once per page request, and the extractors that
//! let a handler say what kind of visitor it needs.

use crate::error::PageError;
use crate::html::errors::render_error;
use crate::{html, AppState, WebConfig};
use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use coproduce_app::sign_in::{Session, SessionLookup, Stage};
use std::net::SocketAddr;

/// What the session cookie turned out to be.
#[derive(Clone, Debug)]
pub enum SessionState {
    /// No cookie, or one for no live session.
    Anonymous,
    /// A session that ended by time.
    Expired,
    /// A live session.
    Live(Box<Session>),
}

impl SessionState {
    fn session(&self) -> Option<&Session> {
        match self {
            SessionState::Live(s) => Some(s),
            _ => None,
        }
    }
}

/// The session cookie's name: `__Host-` prefixed (which requires `Secure`) over HTTPS.
pub fn session_cookie_name(config: &WebConfig) -> &'static str {
    if config.https() {
        "__Host-coproduce_session"
    } else {
        "coproduce_session"
    }
}

/// The anonymous form-token cookie's name.
pub fn csrf_cookie_name(config: &WebConfig) -> &'static str {
    if config.https() {
        "__Host-coproduce_form"
    } else {
        "coproduce_form"
    }
}

/// A cookie's value from the request.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// A `Set-Cookie` value: HttpOnly, SameSite=Lax, path /, and Secure over HTTPS. With no value
/// the cookie is removed.
pub fn set_cookie(config: &WebConfig, name: &str, value: Option<&str>) -> HeaderValue {
    let secure = if config.https() { "; Secure" } else { "" };
    let text = match value {
        Some(v) => format!("{name}={v}; Path=/; HttpOnly; SameSite=Lax{secure}"),
        None => format!("{name}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}"),
    };
    HeaderValue::from_str(&text).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// Looks up the session cookie once, for the handlers and for rendering error pages.
pub async fn resolve(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let token = cookie(request.headers(), session_cookie_name(&state.config)).map(str::to_owned);
    let session_state = match token {
        None => SessionState::Anonymous,
        Some(token) => match state.app.session(&token).await {
            Ok(SessionLookup::Live(s)) => SessionState::Live(Box::new(s)),
            Ok(SessionLookup::Expired) => SessionState::Expired,
            Ok(SessionLookup::Missing) => SessionState::Anonymous,
            Err(e) => {
                let e = PageError::from(e);
                return render_error(&state, None, e.status, e.heading, &e.message);
            }
        },
    };
    request.extensions_mut().insert(session_state.clone());
    let response = next.run(request).await;
    match response.extensions().get::<PageError>() {
        Some(e) => render_error(
            &state,
            session_state.session(),
            e.status,
            e.heading,
            &e.message,
        ),
        None => response,
    }
}

fn session_state(parts: &Parts) -> SessionState {
    parts
        .extensions
        .get::<SessionState>()
        .cloned()
        .unwrap_or(SessionState::Anonymous)
}

/// A fully signed-in staff member. Anyone else is sent to sign in (or to finish signing in);
/// an expired session is told so, with a 401.
#[derive(Debug)]
pub struct SignedIn(pub Session);

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        match session_state(parts) {
            SessionState::Live(s) => match s.stage {
                Stage::Full => Ok(SignedIn(*s)),
                Stage::SecondFactor => Err(Redirect::to("/sign-in/two-factor").into_response()),
                Stage::Enrol => Err(Redirect::to("/account/two-factor").into_response()),
            },
            SessionState::Expired => Err(html::sign_in::expired(parts, state)),
            SessionState::Anonymous => Err(Redirect::to("/sign-in").into_response()),
        }
    }
}

/// A session at any stage of signing in (for the second-factor pages and sign out).
#[derive(Debug)]
pub struct AnySession(pub Session);

impl FromRequestParts<AppState> for AnySession {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        match session_state(parts) {
            SessionState::Live(s) => Ok(AnySession(*s)),
            SessionState::Expired => Err(html::sign_in::expired(parts, state)),
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

/// The form token for a page: the session's own, or for someone not signed in, the value of the
/// form cookie (a fresh one, with the `Set-Cookie` to send, when they have none).
pub fn form_token(
    parts_headers: &HeaderMap,
    session: Option<&Session>,
    config: &WebConfig,
) -> (String, Option<HeaderValue>) {
    if let Some(s) = session {
        return (s.csrf_token.clone(), None);
    }
    match cookie(parts_headers, csrf_cookie_name(config)) {
        Some(v) if v.len() == 64 && v.chars().all(|c| c.is_ascii_hexdigit()) => {
            (v.to_owned(), None)
        }
        _ => {
            let fresh = coproduce_domain::SecretToken::generate("")
                .expose()
                .to_owned();
            let header = set_cookie(config, csrf_cookie_name(config), Some(&fresh));
            (fresh, Some(header))
        }
    }
}
