//! `GET /api/v1/me`: who the token acts for.

use super::extract::ApiActor;
use crate::error::{ApiError, Problem};
use axum::Json;
use coproduce_app::{authorise, Action, Resource};
use serde::Serialize;
use utoipa::ToSchema;

/// The staff member an API token acts for.
#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    /// Their id.
    pub id: i64,
    /// Their name.
    pub name: String,
    /// Their email address.
    pub email: String,
    /// Their role: `admin`, `staff`, `finance` or `auditor`.
    pub role: String,
    /// The services they belong to.
    pub service_ids: Vec<i64>,
}

/// Who this token acts for.
#[utoipa::path(
    get,
    path = "/api/v1/me",
    tag = "staff",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The staff member the token acts for", body = Me),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json")
    )
)]
pub async fn me(ApiActor(actor): ApiActor) -> Result<Json<Me>, ApiError> {
    authorise(&actor, Action::UseOwnAccount, &Resource::ANY)?;
    let staff = actor.staff().ok_or_else(ApiError::unauthorised)?;
    Ok(Json(Me {
        id: staff.id.0,
        name: staff.name.clone(),
        email: staff.email.clone(),
        role: staff.role.as_str().to_owned(),
        service_ids: staff.service_ids.iter().map(|s| s.0).collect(),
    }))
}
