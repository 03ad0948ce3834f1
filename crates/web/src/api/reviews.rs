//! Reviews, as JSON: what is due one, recording one, one with what it agreed to adjust, and
//! adding an adjustment.

use super::extract::{ApiActor, ApiJson, ApiPath, ApiQuery};
use super::kit::{created_action, ActionItem, NewAction, Page};
use crate::error::{ApiError, Problem};
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use coproduce_app::reviews::{ReviewInput, ReviewView};
use coproduce_domain::reviews::STANDARDS;
use coproduce_domain::ReviewId;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// A group, project or relationship due a review.
#[derive(Debug, Serialize, ToSchema)]
pub struct DueReview {
    /// What is due: `group:ID`, `project:ID` or `relationship:ID`.
    pub of: String,
    /// Its name.
    pub name: String,
    /// The person, for a relationship.
    pub person_id: Option<i64>,
    /// The service.
    pub service_id: i64,
    /// When it is due, `YYYY-MM-DD`.
    pub due_on: String,
    /// Whether that day has passed.
    pub overdue: bool,
}

/// Which reviews are due, and where a page starts.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DueQuery {
    /// Due before this day, `YYYY-MM-DD` (without it: overdue or due in the next four weeks).
    pub due_before: Option<String>,
    /// Where the page starts (from `next_cursor`).
    pub cursor: Option<String>,
}

/// What is due a review, the longest overdue first, 50 at a time.
#[utoipa::path(get, path = "/api/v1/reviews", tag = "reviews", operation_id = "list_reviews_due", params(DueQuery), security(("bearer" = [])),
    responses((status = 200, body = Page<DueReview>), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn due(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiQuery(q): ApiQuery<DueQuery>,
) -> Result<Json<Page<DueReview>>, ApiError> {
    let from: i64 = q.cursor.and_then(|c| c.parse().ok()).unwrap_or(0);
    let before = q.due_before.unwrap_or_default();
    let page = state.app.reviews_due(&actor, &before, from).await?;
    let items = page.rows.into_iter().map(|d| DueReview {
        of: d.of.code(),
        overdue: d.due_on < page.today,
        name: d.name,
        person_id: d.person_id.map(|p| p.0),
        service_id: d.service_id.0,
        due_on: d.due_on,
    });
    Ok(Json(Page {
        items: items.collect(),
        next_cursor: page.next_from.map(|n| n.to_string()),
    }))
}

/// What a review found for one standard.
#[derive(Debug, Serialize, ToSchema)]
pub struct Assessment {
    /// The standard: `principles`, `purpose`, `presence`, `process` or `impact`.
    pub standard: String,
    /// How well it is met: `not_yet`, `partly`, `mostly` or `fully`.
    pub rating: String,
    /// What was said about it.
    pub notes: String,
}

/// A review held, with what it agreed to adjust.
#[derive(Debug, Serialize, ToSchema)]
pub struct Review {
    /// Id.
    pub id: i64,
    /// What it looked at: `group:ID`, `project:ID` or `relationship:ID`.
    pub of: String,
    /// The service.
    pub service_id: i64,
    /// When it was held, `YYYY-MM-DD`.
    pub held_on: String,
    /// What it found for each of the 4Pi standards.
    pub assessments: Vec<Assessment>,
    /// The views gathered from members.
    pub views: String,
    /// When to look again, `YYYY-MM-DD`.
    pub next_review_on: String,
    /// A project's level on the ladder before, if the review moved it.
    pub ladder_from: Option<String>,
    /// Its level after.
    pub ladder: Option<String>,
    /// Why it moved.
    pub ladder_reason: String,
    /// What it agreed to adjust.
    pub adjustments: Vec<ActionItem>,
}

fn review(v: ReviewView) -> Review {
    let r = v.review;
    let assessments = STANDARDS
        .iter()
        .zip(r.assessments)
        .map(|(s, a)| Assessment {
            standard: s.code.to_owned(),
            rating: a.rating.code().to_owned(),
            notes: a.notes,
        });
    Review {
        id: r.id.0,
        of: r.of.code(),
        service_id: r.service_id.0,
        held_on: r.held_on,
        assessments: assessments.collect(),
        views: r.views,
        next_review_on: r.next_review_on,
        ladder_from: r.ladder.as_ref().map(|l| l.from.code().to_owned()),
        ladder: r.ladder.as_ref().map(|l| l.to.code().to_owned()),
        ladder_reason: r.ladder.map(|l| l.reason).unwrap_or_default(),
        adjustments: v.adjustments.into_iter().map(ActionItem::from).collect(),
    }
}

/// A review to record.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[serde(default)]
pub struct NewReview {
    /// What it looks at: `group:ID`, `project:ID` or `relationship:ID`.
    pub of: String,
    /// When it was held, `YYYY-MM-DD`.
    pub held_on: String,
    /// How well the principles are met: `not_yet`, `partly`, `mostly` or `fully`.
    pub principles: String,
    /// What was said about them.
    pub principles_notes: String,
    /// How well the purpose is met.
    pub purpose: String,
    /// What was said about it.
    pub purpose_notes: String,
    /// How well the presence is met.
    pub presence: String,
    /// What was said about it.
    pub presence_notes: String,
    /// How well the process is met.
    pub process: String,
    /// What was said about it.
    pub process_notes: String,
    /// How well the impact is met.
    pub impact: String,
    /// What was said about it.
    pub impact_notes: String,
    /// The views gathered from members.
    pub views: String,
    /// When to look again, `YYYY-MM-DD` (without it: 6 months on for a group or project, 12
    /// for a relationship).
    pub next_review_on: String,
    /// A project's level on the ladder after the review (without it: unchanged).
    pub ladder: String,
    /// Why it moved (needed when it did).
    pub ladder_reason: String,
}

impl NewReview {
    fn input(self) -> ReviewInput {
        ReviewInput {
            of: self.of,
            held_on: self.held_on,
            principles: self.principles,
            principles_notes: self.principles_notes,
            purpose: self.purpose,
            purpose_notes: self.purpose_notes,
            presence: self.presence,
            presence_notes: self.presence_notes,
            process: self.process,
            process_notes: self.process_notes,
            impact: self.impact,
            impact_notes: self.impact_notes,
            views: self.views,
            next_review_on: self.next_review_on,
            ladder: self.ladder,
            ladder_reason: self.ladder_reason,
            submission_key: String::new(),
        }
    }
}

/// Records a review; what it looks at is next due on its `next_review_on`.
#[utoipa::path(post, path = "/api/v1/reviews", tag = "reviews", operation_id = "create_review", request_body = NewReview, security(("bearer" = [])),
    responses((status = 201, body = Review), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn create(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiJson(body): ApiJson<NewReview>,
) -> Result<(StatusCode, Json<Review>), ApiError> {
    let id = state.app.record_review(&actor, &body.input()).await?;
    let v = state.app.review(&actor, id).await?;
    Ok((StatusCode::CREATED, Json(review(v))))
}

/// One review, with what it agreed to adjust.
#[utoipa::path(get, path = "/api/v1/reviews/{id}", tag = "reviews", operation_id = "show_review", params(("id" = i64, Path, description = "The review's id")),
    security(("bearer" = [])),
    responses((status = 200, body = Review), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn show(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<ReviewId>,
) -> Result<Json<Review>, ApiError> {
    Ok(Json(review(state.app.review(&actor, id).await?)))
}

/// Adds something a review agreed to adjust: an action that carries forward to the group's or
/// project's next meetings.
#[utoipa::path(post, path = "/api/v1/reviews/{id}/actions", tag = "reviews", operation_id = "add_review_action", params(("id" = i64, Path, description = "The review's id")),
    request_body = NewAction, security(("bearer" = [])),
    responses((status = 201, body = ActionItem), (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn add_action(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<ReviewId>,
    ApiJson(body): ApiJson<NewAction>,
) -> Result<(StatusCode, Json<ActionItem>), ApiError> {
    let input = body.input(&format!("api:review:{id}"));
    let action = state.app.add_review_action(&actor, id, &input).await?;
    created_action(state.app.review(&actor, id).await?.adjustments, action)
}
