//! The JSON API under /api/v1, described by the OpenAPI document at /api/openapi.json.

use crate::error::{ApiError, Problem};
use crate::AppState;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
pub use extract::{ApiActor, ApiJson, ApiPath, ApiQuery};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

mod concerns;
mod document;
mod enquiries;
mod extract;
mod feedback;
mod groups;
mod idempotency;
mod improvements;
mod kit;
mod me;
mod meetings;
mod opportunities;
mod people;
mod projects;
mod reviews;
mod services;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "coproduce API",
        description = "Everything the coproduce pages manage, as JSON. Authenticate with an API token made by `coproduce token create`, sent as `Authorization: Bearer <token>`. Errors are RFC 9457 problem documents.",
        version = "1"
    ),
    modifiers(&BearerToken),
    components(schemas(Problem))
)]
struct ApiDoc;

struct BearerToken;

impl Modify for BearerToken {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("coproduce API token")
                    .build(),
            ),
        );
    }
}

fn documented() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(me::me))
        .routes(routes!(services::services, services::create_service))
        .routes(routes!(services::update_service))
        .routes(routes!(services::partners, services::create_partner))
        .routes(routes!(services::update_partner))
        .routes(routes!(people::consents, people::record_consent))
        .routes(routes!(people::list, people::create))
        .routes(routes!(people::show, people::update))
        .routes(routes!(people::contacts, people::log_contact))
        .routes(routes!(people::keep_in_touch))
        .routes(routes!(groups::list, groups::create))
        .routes(routes!(groups::show, groups::update))
        .routes(routes!(groups::members, groups::add_member))
        .routes(routes!(groups::end_member))
        .routes(routes!(meetings::meetings, meetings::add_meeting))
        .routes(routes!(meetings::show_meeting, meetings::change_meeting))
        .routes(routes!(meetings::attendance, meetings::save_attendance))
        .routes(routes!(meetings::actions, meetings::add_action))
        .routes(routes!(projects::list, projects::create))
        .routes(routes!(projects::show, projects::update))
        .routes(routes!(opportunities::list, opportunities::create))
        .routes(routes!(opportunities::show))
        .routes(routes!(
            opportunities::interest,
            opportunities::set_interest
        ))
        .routes(routes!(enquiries::list, enquiries::create))
        .routes(routes!(enquiries::show))
        .routes(routes!(concerns::list, concerns::create))
        .routes(routes!(concerns::show))
        .routes(routes!(concerns::escalate))
        .routes(routes!(concerns::respond))
        .routes(routes!(concerns::feed_back))
        .routes(routes!(concerns::close))
        .routes(routes!(concerns::reopen))
        .routes(routes!(concerns::redirect))
        .routes(routes!(improvements::list, improvements::create))
        .routes(routes!(improvements::show, improvements::update))
        .routes(routes!(reviews::due, reviews::create))
        .routes(routes!(reviews::show))
        .routes(routes!(reviews::add_action))
        .routes(routes!(feedback::summary))
}

/// The OpenAPI document, generated from the handlers and made true by [`document::truthful`].
pub fn openapi() -> serde_json::Value {
    let doc = serde_json::to_value(documented().into_openapi()).unwrap_or_default();
    document::truthful(doc)
}

/// The API's routes.
pub fn routes(state: &AppState) -> Router<AppState> {
    let (router, _) = documented().split_for_parts();
    let doc = std::sync::Arc::new(openapi());
    router
        .route(
            "/api/openapi.json",
            get(move || async move { Json(doc.as_ref().clone()) }),
        )
        .route(
            "/api/{*rest}",
            axum::routing::any(|| async { ApiError::not_found() }),
        )
        .layer(axum::extract::DefaultBodyLimit::max(
            extract::MAX_JSON_BYTES,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            idempotency::idempotent,
        ))
        .layer(axum::middleware::from_fn(extract::problems_only))
        .route("/healthz", get(healthz))
}

/// 200 while the database answers; 503 when it does not.
async fn healthz(axum::extract::State(state): axum::extract::State<AppState>) -> Response {
    if state.app.healthy().await {
        (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            "ok\n",
        )
            .into_response()
    } else {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            "database not answering\n",
        )
            .into_response()
    }
}
