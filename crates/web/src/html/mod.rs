//! The staff pages: one module per feature, each with its own routes, on the shared kit.
//! Features depend on the kit and the extractors, never on each other.

use crate::error::PageError;
use crate::extract::{MaybeSession, SessionEnded};
use crate::session::{cookie, session_cookie_name, SessionState};
use crate::AppState;
use askama::Template;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use coproduce_app::sign_in::SessionLookup;
use kit::{render, render_error, Layout, Routes};

mod account;
mod audit;
mod calendar;
mod concerns;
mod enquiries;
pub mod errors;
mod groups;
mod home;
mod import;
mod improvements;
pub(crate) mod kit;
mod meetings;
mod opportunities;
mod organisation;
mod people;
mod portal;
mod projects;
mod public;
mod reviews;
mod services;
mod sign_in;
pub mod spreadsheet;
mod staff;
mod you_said_we_did;

/// Every page's routes, behind the layer that resolves the session.
pub fn routes(state: &AppState) -> Router<AppState> {
    let (router, _) = features().into_parts();
    router
        .fallback(errors::not_found)
        .layer(middleware::from_fn_with_state(state.clone(), resolve))
}

/// Every path the pages serve, in the order their features add them (for the route walk).
pub fn paths() -> Vec<&'static str> {
    features().into_parts().1
}

fn features() -> Routes {
    Routes::new()
        .merge(home::routes())
        .merge(sign_in::routes())
        .merge(account::routes())
        .merge(people::routes())
        .merge(groups::routes())
        .merge(meetings::routes())
        .merge(projects::routes())
        .merge(public::routes())
        .merge(you_said_we_did::routes())
        .merge(enquiries::routes())
        .merge(concerns::routes())
        .merge(improvements::routes())
        .merge(reviews::routes())
        .merge(opportunities::routes())
        .merge(organisation::routes())
        .merge(portal::routes())
        .merge(calendar::routes())
        .merge(import::routes())
        .merge(services::routes())
        .merge(staff::routes())
        .merge(audit::routes())
        .route("/accessibility", get(accessibility))
        .route("/privacy", get(privacy))
}

/// Looks up the session cookie once, for the handlers and for rendering error pages; draws the
/// pages that extractors and handlers left as markers (an ended session, a [`PageError`]).
async fn resolve(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
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
    if let Some(SessionEnded(headers)) = response.extensions().get::<SessionEnded>() {
        return sign_in::expired(headers, &state);
    }
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

#[derive(Template)]
#[template(path = "accessibility.html")]
struct AccessibilityPage {
    layout: Layout,
}

#[derive(Template)]
#[template(path = "privacy.html")]
struct PrivacyPage {
    layout: Layout,
}

async fn accessibility(
    state: axum::extract::State<AppState>,
    MaybeSession(session): MaybeSession,
) -> Response {
    let layout = Layout::new(&state, session.as_ref(), "Accessibility statement", "");
    render(StatusCode::OK, &AccessibilityPage { layout })
}

async fn privacy(
    state: axum::extract::State<AppState>,
    MaybeSession(session): MaybeSession,
) -> Response {
    let layout = Layout::new(&state, session.as_ref(), "Privacy", "");
    render(StatusCode::OK, &PrivacyPage { layout })
}
