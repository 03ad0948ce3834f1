//! Services and partner organisations, as JSON: everyone signed in reads them; the
//! participation team adds and changes them.

use super::extract::{ApiActor, ApiJson, ApiPath};
use super::kit::Page;
use crate::error::{ApiError, Problem};
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use coproduce_app::services::ServicePatch;
use coproduce_app::AppError;
use coproduce_domain::services as record;
use coproduce_domain::{PartnerId, ServiceId};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A service.
#[derive(Debug, Serialize, ToSchema)]
pub struct Service {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// How often its people are kept in touch with, in days, unless a relationship says otherwise.
    pub default_cadence_days: i64,
}

/// The services.
#[utoipa::path(get, path = "/api/v1/services", tag = "services", security(("bearer" = [])),
    responses((status = 200, body = Page<Service>), (status = 401, body = Problem, content_type = "application/problem+json")))]
pub async fn services(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
) -> Result<Json<Page<Service>>, ApiError> {
    signed_in(&actor)?;
    let rows = state.app.services().await?;
    Ok(Page::whole(rows.into_iter().map(Service::from).collect()))
}

impl From<record::Service> for Service {
    fn from(s: record::Service) -> Service {
        Service {
            id: s.id.0,
            name: s.name,
            default_cadence_days: s.default_cadence_days,
        }
    }
}

/// Anyone signed in reads the services and partners.
fn signed_in(actor: &coproduce_app::Actor) -> Result<(), AppError> {
    coproduce_app::authorise(
        actor,
        coproduce_app::Action::UseOwnAccount,
        &coproduce_app::Resource::ANY,
    )
}

/// A partner organisation.
#[derive(Debug, Serialize, ToSchema)]
pub struct Partner {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
}

/// The partner organisations.
#[utoipa::path(get, path = "/api/v1/partners", tag = "services", security(("bearer" = [])),
    responses((status = 200, body = Page<Partner>), (status = 401, body = Problem, content_type = "application/problem+json")))]
pub async fn partners(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
) -> Result<Json<Page<Partner>>, ApiError> {
    signed_in(&actor)?;
    let rows = state.app.partners().await?;
    Ok(Page::whole(rows.into_iter().map(Partner::from).collect()))
}

impl From<record::Partner> for Partner {
    fn from(p: record::Partner) -> Partner {
        Partner {
            id: p.id.0,
            name: p.name,
        }
    }
}

/// A service's fields: all of them when adding one, those to change when changing one.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ServiceFields {
    /// Name (required when adding).
    pub name: Option<String>,
    /// How often its people are kept in touch with, in days (28 unless given).
    #[schema(minimum = 1, maximum = 3650)]
    pub default_cadence_days: Option<i64>,
}

/// Adds a service.
#[utoipa::path(post, path = "/api/v1/services", tag = "services", request_body = ServiceFields,
    security(("bearer" = [])),
    responses((status = 201, body = Service), (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn create_service(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiJson(body): ApiJson<ServiceFields>,
) -> Result<(StatusCode, Json<Service>), ApiError> {
    let cadence = body.default_cadence_days.map(|d| d.to_string());
    let id = state
        .app
        .create_service(
            &actor,
            body.name.as_deref().unwrap_or_default(),
            cadence.as_deref().unwrap_or_default(),
        )
        .await?;
    let row = state
        .app
        .services()
        .await?
        .into_iter()
        .find(|s| s.id.0 == id)
        .ok_or(ApiError::not_found())?;
    Ok((StatusCode::CREATED, Json(Service::from(row))))
}

/// Changes a service: only the fields sent change.
#[utoipa::path(patch, path = "/api/v1/services/{id}", tag = "services", request_body = ServiceFields,
    params(("id" = i64, Path, description = "The service's id")), security(("bearer" = [])),
    responses((status = 200, body = Service), (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn update_service(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<ServiceId>,
    ApiJson(body): ApiJson<ServiceFields>,
) -> Result<Json<Service>, ApiError> {
    let patch = ServicePatch {
        name: body.name,
        default_cadence_days: body.default_cadence_days.map(|d| d.to_string()),
    };
    Ok(Json(Service::from(
        state.app.patch_service(&actor, id, &patch).await?,
    )))
}

/// A partner organisation's fields.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PartnerFields {
    /// Name (required; optional here so that the policy answers before a missing one does).
    pub name: Option<String>,
}

/// The pages name a new partner's field `partner_name` (it shares a page with a new service's
/// `name`); the API's body calls it `name`, so its problems do too.
fn named(e: AppError) -> AppError {
    match e {
        AppError::Invalid(mut problems) => {
            for p in &mut problems {
                if p.field == "partner_name" {
                    p.field = "name";
                }
            }
            AppError::Invalid(problems)
        }
        other => other,
    }
}

/// Adds a partner organisation.
#[utoipa::path(post, path = "/api/v1/partners", tag = "services", request_body = PartnerFields,
    security(("bearer" = [])),
    responses((status = 201, body = Partner), (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn create_partner(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiJson(body): ApiJson<PartnerFields>,
) -> Result<(StatusCode, Json<Partner>), ApiError> {
    let id = state
        .app
        .create_partner(&actor, body.name.as_deref().unwrap_or_default())
        .await
        .map_err(named)?;
    let name = body.name.unwrap_or_default().trim().to_owned();
    Ok((StatusCode::CREATED, Json(Partner { id, name })))
}

/// Renames a partner organisation.
#[utoipa::path(patch, path = "/api/v1/partners/{id}", tag = "services", request_body = PartnerFields,
    params(("id" = i64, Path, description = "The partner's id")), security(("bearer" = [])),
    responses((status = 200, body = Partner), (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn update_partner(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<PartnerId>,
    ApiJson(body): ApiJson<PartnerFields>,
) -> Result<Json<Partner>, ApiError> {
    let name = body.name.unwrap_or_default().trim().to_owned();
    state.app.update_partner(&actor, id, &name).await?;
    Ok(Json(Partner { id: id.0, name }))
}
