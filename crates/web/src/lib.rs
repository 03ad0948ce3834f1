//! coproduce's web layer: the staff pages, the JSON API and the assets, on one axum router.
//!
//! Handlers only translate: they parse the request into domain types, call one use case in
//! `coproduce-app`, and render a template or JSON.

use axum::middleware;
use axum::Router;
use coproduce_app::App;
use std::sync::Arc;

pub mod api;
pub mod assets;
mod error;
mod extract;
pub mod html;
mod input;
pub mod request_id;
mod security;
mod session;

pub use error::{ApiError, PageError};

/// How the server is reached, which decides cookie names and HSTS.
#[derive(Clone, Debug)]
pub struct WebConfig {
    /// The origin people reach the server at, e.g. `https://coproduce.example.nhs.uk` or
    /// `http://127.0.0.1:8080`.
    pub public_origin: String,
}

impl WebConfig {
    /// Whether people reach the server over HTTPS (cookies are then `__Host-` and `Secure`, and
    /// HSTS is sent).
    pub fn https(&self) -> bool {
        self.public_origin.starts_with("https://")
    }
}

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    /// The use cases.
    pub app: App,
    /// How the server is reached.
    pub config: Arc<WebConfig>,
    /// "You said, we did" as last drawn (see `html::kit::kept`).
    pub(crate) you_said: Arc<html::kit::kept::KeptPages<coproduce_domain::improvements::Published>>,
}

/// The whole web application.
pub fn router(app: App, config: WebConfig) -> Router {
    let state = AppState {
        app,
        config: Arc::new(config),
        you_said: Arc::default(),
    };
    let pages = html::routes(&state).layer(middleware::from_fn(input::clean_query));
    Router::new()
        .merge(pages)
        .merge(api::routes(&state))
        .merge(assets::routes())
        .layer(middleware::from_fn_with_state(
            state.clone(),
            security::guard,
        ))
        .layer(request_id::trace())
        .layer(middleware::from_fn(request_id::assign))
        .with_state(state)
}
