//! Who is asking: the session and form cookies, and what the session cookie turned out to be
//! (resolved once per page request by the pages' layer, read by the extractors).

use crate::WebConfig;
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue};
use coproduce_app::sign_in::Session;

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
    /// The live session, if it is one.
    pub fn session(&self) -> Option<&Session> {
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

/// What the session cookie of this request turned out to be.
pub(crate) fn session_state(parts: &Parts) -> SessionState {
    parts
        .extensions
        .get::<SessionState>()
        .cloned()
        .unwrap_or(SessionState::Anonymous)
}
