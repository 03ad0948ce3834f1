//! Who is signed in to the portal: the cookie, and the extractors that yield a person's portal session.

use super::*;

/// The portal cookie's name: `__Host-` prefixed over HTTPS.
pub(super) fn portal_cookie_name(config: &WebConfig) -> &'static str {
    if config.https() {
        "__Host-coproduce_portal"
    } else {
        "coproduce_portal"
    }
}

/// A person signed in to their portal. Anyone else is sent to the portal's sign-in page.
pub struct Portal(pub PortalSession);

impl FromRequestParts<AppState> for Portal {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let Some(token) = cookie(&parts.headers, portal_cookie_name(&state.config)) else {
            return Err(Redirect::to("/my/sign-in").into_response());
        };
        match state.app.portal_session(token).await {
            Ok(PortalLookup::Live(s)) => Ok(Portal(*s)),
            Ok(PortalLookup::Expired) => {
                let to = Redirect::to("/my/sign-in?ended=1");
                Err(with_cookie(to, &state.config, portal_cookie_name, None))
            }
            Ok(PortalLookup::Missing) => Err(Redirect::to("/my/sign-in").into_response()),
            Err(e) => Err(PageError::from(e).into_response()),
        }
    }
}

/// A form sent from a signed-in person's portal page: their session, and the fields, whose
/// `csrf_token` matched the one their session was given. Anything else is refused with a 403
/// page, so no other page (nor another site) can send a form on their behalf.
pub struct PortalForm<T>(pub PortalSession, pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for PortalForm<T> {
    type Rejection = Response;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, Response> {
        let (mut parts, body) = request.into_parts();
        let Portal(session) = Portal::from_request_parts(&mut parts, state).await?;
        let refuse = |status: StatusCode, heading: &str, message: &str| {
            render_error(state, None, status, heading, message)
        };
        let unreadable = || {
            refuse(
                StatusCode::BAD_REQUEST,
                "The form could not be read",
                "Go back, reload the page and try again.",
            )
        };
        let bytes = Bytes::from_request(Request::from_parts(parts, body), state)
            .await
            .map_err(|_| unreadable())?;
        let pairs = crate::input::form_pairs(&bytes);
        let sent = pairs
            .iter()
            .find(|(k, _)| k == "csrf_token")
            .map_or("", |(_, v)| v.as_str());
        if sent.is_empty() || !constant_time_eq(sent, &session.csrf_token) {
            return Err(refuse(
                StatusCode::FORBIDDEN,
                "This form has expired",
                "For your safety, forms only work for a while and only from the page that showed them. Go back, reload the page and try again.",
            ));
        }
        let fields = crate::input::form_from_pairs(&pairs).map_err(|_| unreadable())?;
        Ok(PortalForm(session, fields))
    }
}
