//! Projects, as JSON.

use super::extract::{ApiActor, ApiJson, ApiPath};
use super::kit::Page;
use crate::error::{ApiError, Problem};
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use coproduce_app::projects::{ProjectInput, ProjectView};
use coproduce_app::AppError;
use coproduce_domain::ProjectId;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A dated level on the ladder of co-production.
#[derive(Debug, Serialize, ToSchema)]
pub struct LadderStep {
    /// `coercion`, `educating`, `informing`, `consultation`, `engagement`, `co_design` or
    /// `co_production`.
    pub ladder: String,
    /// When, `YYYY-MM-DD`.
    pub recorded_on: String,
}

/// A time-bound piece of co-production work.
#[derive(Debug, Serialize, ToSchema)]
pub struct Project {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Its aims.
    pub aims: String,
    /// Its service.
    pub service_id: i64,
    /// When it starts, `YYYY-MM-DD`.
    pub starts_on: String,
    /// When it ends, if known.
    pub ends_on: Option<String>,
    /// `planning`, `under_way`, `reviewing` or `finished`.
    pub stage: String,
    /// Its level on the ladder now.
    pub ladder: String,
    /// Every level it has been at, oldest first (only on a single project).
    pub ladder_history: Vec<LadderStep>,
    /// What it produced.
    pub outputs: String,
    /// Version, for changing it.
    pub version: i64,
}

fn project(p: coproduce_domain::projects::Project, history: Vec<LadderStep>) -> Project {
    Project {
        id: p.id.0,
        name: p.name,
        aims: p.aims,
        service_id: p.service_id.0,
        starts_on: p.starts_on,
        ends_on: p.ends_on,
        stage: p.stage.code().to_owned(),
        ladder: p.ladder.code().to_owned(),
        ladder_history: history,
        outputs: p.outputs,
        version: p.version,
    }
}

fn of_view(v: ProjectView) -> Project {
    let history = v
        .ladder
        .into_iter()
        .map(|l| LadderStep {
            ladder: l.ladder.code().to_owned(),
            recorded_on: l.recorded_on,
        })
        .collect();
    project(v.project, history)
}

/// The projects you work with.
#[utoipa::path(get, path = "/api/v1/projects", tag = "projects", operation_id = "list_projects", security(("bearer" = [])),
    responses((status = 200, body = Page<Project>)))]
pub async fn list(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
) -> Result<Json<Page<Project>>, ApiError> {
    let items = state
        .app
        .projects(&actor)
        .await?
        .into_iter()
        .map(|p| project(p, Vec::new()))
        .collect();
    Ok(Page::whole(items))
}

/// A project's fields when setting one up or changing it; on a change, only the fields sent
/// change and `version` is required.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[serde(default)]
pub struct ProjectFields {
    /// Name.
    pub name: Option<String>,
    /// Its aims.
    pub aims: Option<String>,
    /// Its service.
    pub service_id: Option<i64>,
    /// When it starts, `YYYY-MM-DD`.
    pub starts_on: Option<String>,
    /// When it ends, `YYYY-MM-DD` (empty to clear).
    pub ends_on: Option<String>,
    /// Its stage.
    pub stage: Option<String>,
    /// Its level on the ladder.
    pub ladder: Option<String>,
    /// What it produced.
    pub outputs: Option<String>,
    /// The version read (changes only).
    pub version: Option<i64>,
}

impl ProjectFields {
    fn over(self, base: ProjectInput) -> ProjectInput {
        ProjectInput {
            name: self.name.unwrap_or(base.name),
            aims: self.aims.unwrap_or(base.aims),
            service_id: self.service_id.map_or(base.service_id, |s| s.to_string()),
            starts_on: self.starts_on.unwrap_or(base.starts_on),
            ends_on: self.ends_on.unwrap_or(base.ends_on),
            stage: self.stage.unwrap_or(base.stage),
            ladder: self.ladder.unwrap_or(base.ladder),
            outputs: self.outputs.unwrap_or(base.outputs),
            version: self.version.unwrap_or(base.version),
        }
    }
}

/// Sets up a project.
#[utoipa::path(post, path = "/api/v1/projects", tag = "projects", operation_id = "create_project", request_body = ProjectFields, security(("bearer" = [])),
    responses((status = 201, body = Project), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn create(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiJson(body): ApiJson<ProjectFields>,
) -> Result<(StatusCode, Json<Project>), ApiError> {
    let input = body.over(ProjectInput::default());
    let id = state.app.create_project(&actor, &input).await?;
    let v = state.app.view_project(&actor, id).await?;
    Ok((StatusCode::CREATED, Json(of_view(v))))
}

/// One project, with its ladder history.
#[utoipa::path(get, path = "/api/v1/projects/{id}", tag = "projects", operation_id = "show_project", params(("id" = i64, Path, description = "The project's id")),
    security(("bearer" = [])),
    responses((status = 200, body = Project), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn show(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<ProjectId>,
) -> Result<Json<Project>, ApiError> {
    Ok(Json(of_view(state.app.view_project(&actor, id).await?)))
}

/// Changes a project; a new level on the ladder is recorded with today's date.
#[utoipa::path(patch, path = "/api/v1/projects/{id}", tag = "projects", operation_id = "update_project", params(("id" = i64, Path, description = "The project's id")),
    request_body = ProjectFields, security(("bearer" = [])),
    responses((status = 200, body = Project), (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn update(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<ProjectId>,
    ApiJson(body): ApiJson<ProjectFields>,
) -> Result<Json<Project>, ApiError> {
    let current = state.app.view_project(&actor, id).await?;
    if body.version.is_none() {
        return Err(AppError::field("version", "Send the version you read").into());
    }
    let input = body.over(ProjectInput::from_project(&current.project));
    state.app.update_project(&actor, id, &input).await?;
    Ok(Json(of_view(state.app.view_project(&actor, id).await?)))
}
