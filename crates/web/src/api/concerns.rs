//! Concerns, as JSON: the log, recording one, one with its history, and each step as a POST
//! action. A step out of turn is a 422 naming `step`; a response by anyone but the owner or the
//! participation team is a 403, and audited.

use super::extract::{ApiActor, ApiJson, ApiPath, ApiQuery};
use super::kit::Page;
use crate::error::{ApiError, Problem};
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use coproduce_app::concerns::{ConcernInput, ConcernView, StepInput, LOG_PAGE};
use coproduce_domain::concerns::{Raiser, Step};
use coproduce_domain::ConcernId;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// One step in a concern's history.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConcernEvent {
    /// When (milliseconds since the Unix epoch).
    pub at: i64,
    /// Who took it.
    pub by_name: String,
    /// `raise`, `escalate`, `respond`, `feed_back`, `close`, `reopen` or `redirect`.
    pub step: String,
    /// What was written with it.
    pub note: String,
}

/// A concern someone raised, and where it is.
#[derive(Debug, Serialize, ToSchema)]
pub struct Concern {
    /// Id.
    pub id: i64,
    /// The service it is about.
    pub service_id: i64,
    /// Who raised it: `person:ID`, `group:ID` or `meeting:ID`.
    pub raised_by: String,
    /// Who raised it, named.
    pub raiser_name: String,
    /// What was said (empty once redirected).
    pub words: String,
    /// `low`, `medium` or `high`.
    pub severity: String,
    /// `raised`, `escalated`, `responded`, `fed_back`, `closed` or `redirected`.
    pub status: String,
    /// When it reached its status (milliseconds since the Unix epoch).
    pub status_since: i64,
    /// When its next step is due, if it waits for one (milliseconds since the Unix epoch; only
    /// on a single concern).
    pub due_at: Option<i64>,
    /// Its owner in the service, once escalated.
    pub owner_id: Option<i64>,
    /// The service's response.
    pub response: String,
    /// How it was fed back: `meeting`, `phone`, `email`, `letter` or `in_person`.
    pub fed_back_way: Option<String>,
    /// When it was fed back, `YYYY-MM-DD`, or empty.
    pub fed_back_on: String,
    /// Who fed it back.
    pub fed_back_by: String,
    /// The improvement it closed with.
    pub improvement_id: Option<i64>,
    /// Why nothing changed, when it closed without an improvement.
    pub not_changed_because: String,
    /// `safeguarding` or `complaint`, once redirected.
    pub redirected_to: Option<String>,
    /// When it was raised (milliseconds since the Unix epoch).
    pub raised_at: i64,
    /// The steps you may take next (only on a single concern).
    pub next_steps: Vec<String>,
    /// Its history, oldest first (only on a single concern).
    pub history: Vec<ConcernEvent>,
    /// Version, for the next step.
    pub version: i64,
}

fn raised_by(r: Raiser) -> String {
    match r {
        Raiser::Person(p) => format!("person:{p}"),
        Raiser::Group(g) => format!("group:{g}"),
        Raiser::Meeting(m) => format!("meeting:{m}"),
    }
}

fn concern(c: coproduce_domain::concerns::Concern) -> Concern {
    Concern {
        id: c.id.0,
        service_id: c.service_id.0,
        raised_by: raised_by(c.raiser),
        raiser_name: c.raiser_name,
        words: c.words,
        severity: c.severity.code().to_owned(),
        status: c.status.code().to_owned(),
        status_since: c.status_since,
        due_at: None,
        owner_id: c.owner.map(|o| o.0),
        response: c.response,
        fed_back_way: c.fed_back_way.map(|w| w.code().to_owned()),
        fed_back_on: c.fed_back_on,
        fed_back_by: c.fed_back_by,
        improvement_id: c.improvement.map(|i| i.0),
        not_changed_because: c.not_changed_because,
        redirected_to: c.redirected_to.map(|r| r.code().to_owned()),
        raised_at: c.raised_at,
        next_steps: Vec::new(),
        history: Vec::new(),
        version: c.version,
    }
}

fn of_view(v: ConcernView) -> Concern {
    Concern {
        due_at: v.due.map(|d| d.millis()),
        next_steps: v.steps.iter().map(|s| s.code().to_owned()).collect(),
        history: v
            .events
            .into_iter()
            .map(|e| ConcernEvent {
                at: e.at,
                by_name: e.by_name,
                step: e.step,
                note: e.note,
            })
            .collect(),
        ..concern(v.concern)
    }
}

/// Which concerns to list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LogQuery {
    /// `true` for closed concerns too (open ones come first either way).
    pub all: Option<bool>,
    /// Where the page starts (from `next_cursor`).
    pub cursor: Option<String>,
}

/// The concerns log: open ones first, longest in their step first, then closed ones newest
/// first; 50 at a time. Redirected concerns are not on it.
#[utoipa::path(get, path = "/api/v1/concerns", tag = "concerns", operation_id = "list_concerns", params(LogQuery), security(("bearer" = [])),
    responses((status = 200, body = Page<Concern>)))]
pub async fn list(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiQuery(q): ApiQuery<LogQuery>,
) -> Result<Json<Page<Concern>>, ApiError> {
    let page: i64 = q.cursor.and_then(|c| c.parse().ok()).unwrap_or(0);
    let mut found = state
        .app
        .concerns_log(&actor, !q.all.unwrap_or(false), page)
        .await?;
    let more = found.len() as i64 > LOG_PAGE;
    found.truncate(LOG_PAGE as usize);
    Ok(Json(Page {
        items: found.into_iter().map(concern).collect(),
        next_cursor: more.then(|| page.max(0).saturating_add(1).to_string()),
    }))
}

/// A concern as it is recorded.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[serde(default)]
pub struct ConcernFields {
    /// The service it is about.
    pub service_id: Option<i64>,
    /// Who raised it: `person:ID`, `group:ID` or `meeting:ID`.
    pub raised_by: Option<String>,
    /// What was said, in their own words.
    pub words: Option<String>,
    /// `low`, `medium` or `high`.
    pub severity: Option<String>,
}

/// Records a concern someone raised.
#[utoipa::path(post, path = "/api/v1/concerns", tag = "concerns", operation_id = "create_concern", request_body = ConcernFields, security(("bearer" = [])),
    responses((status = 201, body = Concern), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn create(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiJson(body): ApiJson<ConcernFields>,
) -> Result<(StatusCode, Json<Concern>), ApiError> {
    let input = ConcernInput {
        service_id: body.service_id.map(|s| s.to_string()).unwrap_or_default(),
        raised_by: body.raised_by.unwrap_or_default(),
        words: body.words.unwrap_or_default(),
        severity: body.severity.unwrap_or_default(),
    };
    let id = state.app.raise_concern(&actor, &input).await?;
    let v = state.app.concern(&actor, id).await?;
    Ok((StatusCode::CREATED, Json(of_view(v))))
}

/// One concern, with its history and the steps you may take next.
#[utoipa::path(get, path = "/api/v1/concerns/{id}", tag = "concerns", operation_id = "show_concern", params(("id" = i64, Path, description = "The concern's id")),
    security(("bearer" = [])),
    responses((status = 200, body = Concern), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn show(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<ConcernId>,
) -> Result<Json<Concern>, ApiError> {
    Ok(Json(of_view(state.app.concern(&actor, id).await?)))
}

/// What a step sends: the version read, and the fields that step needs.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[serde(default)]
pub struct StepFields {
    /// The version read.
    pub version: Option<i64>,
    /// `escalate`: the owner's staff id.
    pub owner_id: Option<i64>,
    /// `respond`: the service's response.
    pub response: Option<String>,
    /// `feed-back`: how (`meeting`, `phone`, `email`, `letter`, `in_person`).
    pub fed_back_way: Option<String>,
    /// `feed-back`: when, `YYYY-MM-DD`.
    pub fed_back_on: Option<String>,
    /// `feed-back`: who fed it back.
    pub fed_back_by: Option<String>,
    /// `close`: the improvement it led to, or…
    pub improvement_id: Option<i64>,
    /// `close`: …why nothing changed.
    pub not_changed_because: Option<String>,
    /// `reopen`: why.
    pub reason: Option<String>,
    /// `redirect`: `safeguarding` or `complaint`.
    pub redirect_to: Option<String>,
}

impl StepFields {
    fn input(self) -> StepInput {
        let text = |v: Option<String>| v.unwrap_or_default();
        let id = |v: Option<i64>| v.map(|n| n.to_string()).unwrap_or_default();
        StepInput {
            version: self.version.unwrap_or(0),
            owner_id: id(self.owner_id),
            response: text(self.response),
            fed_back_way: text(self.fed_back_way),
            fed_back_on: text(self.fed_back_on),
            fed_back_by: text(self.fed_back_by),
            improvement_id: id(self.improvement_id),
            not_changed_because: text(self.not_changed_because),
            reason: text(self.reason),
            redirect_to: text(self.redirect_to),
        }
    }
}

/// Takes a step and answers the concern as it is now.
async fn step(
    state: AppState,
    actor: coproduce_app::Actor,
    id: ConcernId,
    step: Step,
    body: StepFields,
) -> Result<Json<Concern>, ApiError> {
    if body.version.is_none() {
        // Who may not see it hears that first, as from the step itself.
        state.app.concern(&actor, id).await?;
        return Err(coproduce_app::AppError::field("version", "Send the version you read").into());
    }
    state
        .app
        .take_concern_step(&actor, id, step, &body.input())
        .await?;
    Ok(Json(of_view(state.app.concern(&actor, id).await?)))
}

/// Declares and defines the POST action for one step.
macro_rules! step_action {
    ($name:ident, $path:literal, $op:literal, $step:expr, $doc:literal) => {
        #[doc = $doc]
        #[utoipa::path(post, path = $path, tag = "concerns", operation_id = $op,
                    params(("id" = i64, Path, description = "The concern's id")),
                    request_body = StepFields, security(("bearer" = [])),
                    responses((status = 200, body = Concern),
                        (status = 403, body = Problem, content_type = "application/problem+json"),
                        (status = 404, body = Problem, content_type = "application/problem+json"),
                        (status = 409, body = Problem, content_type = "application/problem+json"),
                        (status = 422, body = Problem, content_type = "application/problem+json")))]
        pub async fn $name(
            State(state): State<AppState>,
            ApiActor(actor): ApiActor,
            ApiPath(id): ApiPath<ConcernId>,
            ApiJson(body): ApiJson<StepFields>,
        ) -> Result<Json<Concern>, ApiError> {
            step(state, actor, id, $step, body).await
        }
    };
}

step_action!(
    escalate,
    "/api/v1/concerns/{id}/escalate",
    "escalate_concern",
    Step::Escalate,
    "Escalates a concern to a named owner in the service (`owner_id`), or hands it on."
);
step_action!(
    respond,
    "/api/v1/concerns/{id}/respond",
    "respond_to_concern",
    Step::Respond,
    "Records the service's response (`response`): its owner's, or the participation team's."
);
step_action!(
    feed_back,
    "/api/v1/concerns/{id}/feed-back",
    "feed_back_concern",
    Step::FeedBack,
    "Records how, when and by whom the response was fed back."
);
step_action!(
    close,
    "/api/v1/concerns/{id}/close",
    "close_concern",
    Step::Close,
    "Closes a fed-back concern with the improvement it led to, or why nothing changed."
);
step_action!(
    reopen,
    "/api/v1/concerns/{id}/reopen",
    "reopen_concern",
    Step::Reopen,
    "Reopens a closed concern, with a reason; it goes back to its owner."
);
step_action!(
    redirect,
    "/api/v1/concerns/{id}/redirect",
    "redirect_concern",
    Step::Redirect,
    "Sends a safeguarding matter or a formal complaint to its own process; its words are not kept."
);
