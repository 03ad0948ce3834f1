//! Feedback, as JSON: a group's, project's or activity's results by quarter, suppressed below five answers
//! as on the pages. Summaries only: no answer, and no words, leave through the API.

use super::extract::{ApiActor, ApiQuery};
use crate::error::{ApiError, Problem};
use crate::AppState;
use axum::extract::State;
use axum::Json;
use coproduce_app::{authorise, Action, AppError, Resource};
use coproduce_domain::feedback::{ResultsOf, MIN_ANSWERS};
use coproduce_domain::groups::Team;
use coproduce_domain::{GroupId, OpportunityId, ProjectId};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// Whose feedback: one group, one project or one activity.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FeedbackQuery {
    /// The group.
    pub group_id: Option<i64>,
    /// The project.
    pub project_id: Option<i64>,
    /// The activity (an opportunity).
    pub opportunity_id: Option<i64>,
}

/// One question's results in a quarter.
#[derive(Debug, Serialize, ToSchema)]
pub struct QuestionResult {
    /// The question: `listened`, `took_part` or `belong`.
    pub question: String,
    /// The share answering 4 or 5 out of 5, as a whole percentage.
    pub positive_percent: i64,
    /// The average out of 5, to one decimal place.
    pub average: f64,
}

/// A quarter's feedback.
#[derive(Debug, Serialize, ToSchema)]
pub struct Period {
    /// Its first month, `YYYY-MM`.
    pub starts: String,
    /// Its name, e.g. "Jan to Mar 2027".
    pub label: String,
    /// How many answered.
    pub answers: i64,
    /// True when too few answered to report: `results` is then empty.
    pub suppressed: bool,
    /// Each question's results.
    pub results: Vec<QuestionResult>,
}

/// A group's or project's feedback.
#[derive(Debug, Serialize, ToSchema)]
pub struct FeedbackSummary {
    /// Whose: `group:ID`, `project:ID` or `opportunity:ID`.
    pub of: String,
    /// Fewer answers than this in a quarter are not reported.
    pub min_answers: i64,
    /// Its quarters, newest first.
    pub periods: Vec<Period>,
}

/// A group's or project's feedback after its meetings, or an activity's, by quarter, newest
/// first.
#[utoipa::path(get, path = "/api/v1/feedback", tag = "feedback", operation_id = "feedback_summary", params(FeedbackQuery), security(("bearer" = [])),
    responses((status = 200, body = FeedbackSummary), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn summary(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiQuery(q): ApiQuery<FeedbackQuery>,
) -> Result<Json<FeedbackSummary>, ApiError> {
    // Who may not see groups hears so before being asked which.
    authorise(&actor, Action::ViewGroups, &Resource::ANY)?;
    let of = match (q.group_id, q.project_id, q.opportunity_id) {
        (Some(g), None, None) => ResultsOf::Team(Team::Group(GroupId(g))),
        (None, Some(p), None) => ResultsOf::Team(Team::Project(ProjectId(p))),
        (None, None, Some(o)) => ResultsOf::Opportunity(OpportunityId(o)),
        _ => {
            let message = "Give one of group_id, project_id or opportunity_id";
            return Err(AppError::field("group_id", message).into());
        }
    };
    let r = match of {
        ResultsOf::Team(team) => state.app.feedback_results(&actor, team).await?,
        ResultsOf::Opportunity(o) => state.app.activity_feedback(&actor, o).await?,
    };
    let periods = r.periods.into_iter().map(|p| Period {
        suppressed: p.results.is_none(),
        results: p
            .results
            .unwrap_or_default()
            .into_iter()
            .map(|q| QuestionResult {
                question: q.question.to_owned(),
                positive_percent: q.positive_percent,
                average: q.average,
            })
            .collect(),
        starts: p.starts,
        label: p.label,
        answers: p.answers,
    });
    Ok(Json(FeedbackSummary {
        of: of.code(),
        min_answers: MIN_ANSWERS,
        periods: periods.collect(),
    }))
}
