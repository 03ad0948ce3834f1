//! Improvements, as JSON: the list, recording one, one with what led to it, and changing it
//! (which is how one is published).

use super::extract::{ApiActor, ApiJson, ApiPath, ApiQuery};
use super::kit::Page;
use crate::error::{ApiError, Problem};
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use coproduce_app::improvements::{ImprovementInput, LIST_PAGE};
use coproduce_app::AppError;
use coproduce_domain::ImprovementId;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// What changed in a service because people spoke up.
#[derive(Debug, Serialize, ToSchema)]
pub struct Improvement {
    /// Id.
    pub id: i64,
    /// The service that changed.
    pub service_id: i64,
    /// What people told us, in words fit to publish.
    pub you_said: String,
    /// What changed.
    pub we_did: String,
    /// The evidence that it changed.
    pub evidence: String,
    /// When it changed, `YYYY-MM-DD`.
    pub changed_on: String,
    /// Someone's words about it.
    pub quote: String,
    /// Whose words they are.
    pub quote_person_id: Option<i64>,
    /// What people told us, in Easy Read.
    pub you_said_easy: String,
    /// What changed, in Easy Read.
    pub we_did_easy: String,
    /// Whether it is on "You said, we did".
    pub publish: bool,
    /// What led to it: `concern:ID`, `group:ID`, `project:ID` or `meeting:ID` (only on a single
    /// improvement).
    pub led_by: Vec<String>,
    /// Version, for changing it.
    pub version: i64,
}

fn improvement(i: coproduce_domain::improvements::Improvement) -> Improvement {
    Improvement {
        id: i.id.0,
        service_id: i.service_id.0,
        led_by: i.links.iter().map(|l| l.led_by.code()).collect(),
        you_said: i.you_said,
        we_did: i.we_did,
        evidence: i.evidence,
        changed_on: i.changed_on,
        quote: i.quote,
        quote_person_id: i.quote_person.map(|p| p.0),
        you_said_easy: i.you_said_easy,
        we_did_easy: i.we_did_easy,
        publish: i.published,
        version: i.version,
    }
}

/// Where a page of the list starts.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Only this service's.
    pub service_id: Option<i64>,
    /// Where the page starts (from `next_cursor`).
    pub cursor: Option<String>,
}

/// The improvements you may see, newest change first, 50 at a time.
#[utoipa::path(get, path = "/api/v1/improvements", tag = "improvements", operation_id = "list_improvements", params(ListQuery), security(("bearer" = [])),
    responses((status = 200, body = Page<Improvement>)))]
pub async fn list(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Result<Json<Page<Improvement>>, ApiError> {
    let page: i64 = q.cursor.and_then(|c| c.parse().ok()).unwrap_or(0);
    let service = q.service_id.map(coproduce_domain::ServiceId);
    let mut found = state.app.improvements(&actor, service, page).await?;
    let more = found.len() as i64 > LIST_PAGE;
    found.truncate(LIST_PAGE as usize);
    Ok(Json(Page {
        items: found.into_iter().map(improvement).collect(),
        next_cursor: more.then(|| page.max(0).saturating_add(1).to_string()),
    }))
}

/// An improvement's fields when recording one or changing it; on a change, only the fields
/// sent change and `version` is required.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[serde(default)]
pub struct ImprovementFields {
    /// The service that changed.
    pub service_id: Option<i64>,
    /// What people told us, in words fit to publish.
    pub you_said: Option<String>,
    /// What changed.
    pub we_did: Option<String>,
    /// The evidence that it changed.
    pub evidence: Option<String>,
    /// When it changed, `YYYY-MM-DD`.
    pub changed_on: Option<String>,
    /// Someone's words about it (published only with their consent to be quoted).
    pub quote: Option<String>,
    /// Whose words they are; on a change, `null` takes the quote's person away.
    #[serde(deserialize_with = "sent")]
    #[schema(value_type = Option<i64>)]
    pub quote_person_id: Option<Option<i64>>,
    /// What people told us, in Easy Read (needed to publish).
    pub you_said_easy: Option<String>,
    /// What changed, in Easy Read (needed to publish).
    pub we_did_easy: Option<String>,
    /// Whether it is on "You said, we did".
    pub publish: Option<bool>,
    /// What led to it: `concern:ID`, `group:ID`, `project:ID` or `meeting:ID`.
    pub led_by: Option<Vec<String>>,
    /// The version read (changes only).
    pub version: Option<i64>,
}

/// A field that was sent, as it was sent (`null` included): absent, the field's default (none)
/// stands, so a change can tell "leave it" from "take it away".
fn sent<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<i64>>, D::Error> {
    Option::<i64>::deserialize(d).map(Some)
}

impl ImprovementFields {
    fn over(self, base: ImprovementInput) -> ImprovementInput {
        ImprovementInput {
            version: self.version.unwrap_or(base.version),
            service_id: self.service_id.map_or(base.service_id, |s| s.to_string()),
            you_said: self.you_said.unwrap_or(base.you_said),
            we_did: self.we_did.unwrap_or(base.we_did),
            evidence: self.evidence.unwrap_or(base.evidence),
            changed_on: self.changed_on.unwrap_or(base.changed_on),
            quote: self.quote.unwrap_or(base.quote),
            quote_person_id: match self.quote_person_id {
                None => base.quote_person_id,
                Some(p) => p.map(|p| p.to_string()).unwrap_or_default(),
            },
            you_said_easy: self.you_said_easy.unwrap_or(base.you_said_easy),
            we_did_easy: self.we_did_easy.unwrap_or(base.we_did_easy),
            publish: self.publish.unwrap_or(base.publish),
            led_by: self.led_by.unwrap_or(base.led_by),
        }
    }
}

/// Records an improvement.
#[utoipa::path(post, path = "/api/v1/improvements", tag = "improvements", operation_id = "create_improvement", request_body = ImprovementFields, security(("bearer" = [])),
    responses((status = 201, body = Improvement), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn create(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiJson(body): ApiJson<ImprovementFields>,
) -> Result<(StatusCode, Json<Improvement>), ApiError> {
    let input = body.over(ImprovementInput::default());
    let id = state.app.record_improvement(&actor, &input).await?;
    let i = state.app.improvement(&actor, id).await?;
    Ok((StatusCode::CREATED, Json(improvement(i))))
}

/// One improvement, with what led to it.
#[utoipa::path(get, path = "/api/v1/improvements/{id}", tag = "improvements", operation_id = "show_improvement", params(("id" = i64, Path, description = "The improvement's id")),
    security(("bearer" = [])),
    responses((status = 200, body = Improvement), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn show(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<ImprovementId>,
) -> Result<Json<Improvement>, ApiError> {
    Ok(Json(improvement(state.app.improvement(&actor, id).await?)))
}

/// Changes an improvement; `publish` puts it on "You said, we did" or takes it off.
#[utoipa::path(patch, path = "/api/v1/improvements/{id}", tag = "improvements", operation_id = "update_improvement", params(("id" = i64, Path, description = "The improvement's id")),
    request_body = ImprovementFields, security(("bearer" = [])),
    responses((status = 200, body = Improvement), (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn update(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<ImprovementId>,
    ApiJson(body): ApiJson<ImprovementFields>,
) -> Result<Json<Improvement>, ApiError> {
    let current = state.app.improvement(&actor, id).await?;
    if body.version.is_none() {
        return Err(AppError::field("version", "Send the version you read").into());
    }
    let input = body.over(ImprovementInput::of(&current));
    state.app.change_improvement(&actor, id, &input).await?;
    Ok(Json(improvement(state.app.improvement(&actor, id).await?)))
}
