//! The concerns log, recording a concern, and a concern's page with the step it waits for.

use super::kit::{render, Errors, Layout, PageResult};
use super::kit::{uk, uk_date, Choice, Routes};
use crate::extract::{CsrfForm, Staff};
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use axum::routing::{get, post, MethodRouter};
use coproduce_app::concerns::{ConcernInput, ConcernView, StepInput, LOG_PAGE};
use coproduce_app::sign_in::Session;
use coproduce_app::AppError;
use coproduce_domain::concerns::{
    Concern, ConcernEvent, ConcernStatus, FeedbackWay, Raiser, RedirectTo, Severity, Step,
};
use coproduce_domain::services::Service;
use coproduce_domain::ConcernId;
use serde::Deserialize;

mod rules;

/// Each step's path and the step it takes.
const STEPS: [(&str, Step); 6] = [
    ("/concerns/{id}/escalate", Step::Escalate),
    ("/concerns/{id}/respond", Step::Respond),
    ("/concerns/{id}/feed-back", Step::FeedBack),
    ("/concerns/{id}/close", Step::Close),
    ("/concerns/{id}/reopen", Step::Reopen),
    ("/concerns/{id}/redirect", Step::Redirect),
];

/// The concern routes.
pub(super) fn routes() -> Routes {
    let mut routes = Routes::new()
        .route("/concerns", get(log).post(raise))
        .route("/concerns/new", get(new_form))
        .route("/concerns/settings", get(rules::show).post(rules::save))
        .route("/concerns/{id}", get(show));
    for (path, step) in STEPS {
        routes = routes.route(path, step_route(step));
    }
    routes
}

/// A step's path, for its form.
fn step_path(step: Step) -> &'static str {
    STEPS
        .iter()
        .find(|(_, s)| *s == step)
        .map_or("", |(path, _)| path.trim_start_matches("/concerns/{id}/"))
}

/// What a concern waits for, in words for its page and the log.
fn next_words(c: &Concern) -> String {
    let owner = c.owner_name.clone().unwrap_or_default();
    match c.status {
        ConcernStatus::Raised => format!("Escalate it to an owner in {}.", c.service_name),
        ConcernStatus::Escalated => format!("{owner} records the service's response."),
        ConcernStatus::Responded => "Feed the response back to whoever raised it.".into(),
        ConcernStatus::FedBack => "Close it, saying what changed or why nothing did.".into(),
        ConcernStatus::Closed => "Nothing, unless it is reopened.".into(),
        ConcernStatus::Redirected => "Nothing here: it has left this log.".into(),
    }
}

/// Where the page links for whoever raised a concern.
fn raiser_href(r: Raiser) -> String {
    match r {
        Raiser::Person(p) => format!("/people/{p}"),
        Raiser::Group(g) => format!("/groups/{g}"),
        Raiser::Meeting(m) => format!("/meetings/{m}"),
    }
}

struct Line {
    c: Concern,
    raised: String,
    since: String,
}

#[derive(Template)]
#[template(path = "concerns/log.html")]
struct LogPage {
    layout: Layout,
    lines: Vec<Line>,
    all: bool,
    page: i64,
    more: bool,
    /// Whether to link to the targets and signposting (for those who may set them).
    settings: bool,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct LogQuery {
    all: String,
    page: i64,
}

async fn log(Staff(state, session, actor): Staff, Query(q): Query<LogQuery>) -> PageResult {
    let all = q.all == "1";
    let mut found = state.app.concerns_log(&actor, !all, q.page).await?;
    let more = found.len() as i64 > LOG_PAGE;
    found.truncate(LOG_PAGE as usize);
    let page = LogPage {
        layout: Layout::new(&state, Some(&session), "Concerns", "/concerns"),
        lines: found
            .into_iter()
            .map(|c| Line {
                raised: uk(c.raised_at),
                since: uk(c.status_since),
                c,
            })
            .collect(),
        all,
        page: q.page.max(0),
        more,
        settings: coproduce_app::Capabilities::of(&actor).manage_services,
    };
    Ok(render(StatusCode::OK, &page))
}

/// The form to record a concern, and what it was opened for.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
struct RaiseForm {
    service_id: String,
    raised_by: String,
    words: String,
    severity: String,
    /// The page to go back to once it is recorded (a meeting's), if any.
    back: String,
}

impl RaiseForm {
    fn input(&self) -> ConcernInput {
        ConcernInput {
            service_id: self.service_id.clone(),
            raised_by: self.raised_by.clone(),
            words: self.words.clone(),
            severity: self.severity.clone(),
        }
    }
}

#[derive(Template)]
#[template(path = "concerns/new.html")]
struct NewPage {
    layout: Layout,
    errors: Errors,
    form: RaiseForm,
    services: Vec<Service>,
    raisers: Vec<(String, String)>,
    severities: Vec<Choice>,
    csrf_token: String,
}

async fn new_page(
    state: &AppState,
    session: &Session,
    errors: Errors,
    form: RaiseForm,
) -> PageResult {
    let actor = session.actor();
    let services = state.app.services().await?;
    let mut raisers: Vec<(String, String)> = state
        .app
        .groups(&actor)
        .await?
        .into_iter()
        .map(|g| (format!("group:{}", g.id), g.name))
        .collect();
    if !form.raised_by.is_empty() && !raisers.iter().any(|(code, _)| *code == form.raised_by) {
        raisers.insert(0, (form.raised_by.clone(), "Where you came from".into()));
    }
    let status = errors.status();
    let page = NewPage {
        layout: Layout::new(
            state,
            Some(session),
            errors.title("Record a concern"),
            "/concerns",
        ),
        severities: Choice::list(
            Severity::ALL.iter().map(|s| (s.code(), s.label())),
            std::slice::from_ref(&form.severity),
        ),
        errors,
        form,
        services,
        raisers,
        csrf_token: session.csrf_token.clone(),
    };
    Ok(render(status, &page))
}

async fn new_form(Staff(state, session, _): Staff, Query(form): Query<RaiseForm>) -> PageResult {
    new_page(&state, &session, Errors::default(), form).await
}

async fn raise(
    Staff(state, session, actor): Staff,
    CsrfForm(form): CsrfForm<RaiseForm>,
) -> PageResult {
    match state.app.raise_concern(&actor, &form.input()).await {
        Ok(id) if form.back.starts_with("/meetings/") => {
            Ok(Redirect::to(&format!("{}?concern={id}#concerns", form.back)).into_response())
        }
        Ok(id) => Ok(Redirect::to(&format!("/concerns/{id}?done=raise")).into_response()),
        Err(AppError::Invalid(list)) => new_page(&state, &session, Errors::from(list), form).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "concerns/show.html")]
struct ShowPage {
    layout: Layout,
    errors: Errors,
    c: Concern,
    raised: String,
    since: String,
    next: String,
    raiser_href: String,
    events: Vec<(String, ConcernEvent, &'static str)>,
    steps: Vec<(Step, &'static str)>,
    owners: Vec<(coproduce_domain::StaffId, String)>,
    improvements: Vec<(coproduce_domain::ImprovementId, String)>,
    /// When its next step is due (a UK date), or empty.
    due: String,
    overdue: bool,
    rules: coproduce_domain::concerns::ConcernRules,
    ways: Vec<Choice>,
    redirects: Vec<Choice>,
    form: StepInput,
    notice: &'static str,
    csrf_token: String,
}

async fn page(
    state: &AppState,
    session: &Session,
    id: ConcernId,
    errors: Errors,
    form: StepInput,
    notice: &'static str,
) -> PageResult {
    let ConcernView {
        concern: c,
        events,
        steps,
        owners,
        improvements,
        due,
        overdue,
        rules,
    } = state.app.concern(&session.actor(), id).await?;
    let form = StepInput {
        version: c.version,
        ..form
    };
    let status = errors.status();
    let page = ShowPage {
        layout: Layout::new(
            state,
            Some(session),
            errors.title(format!("Concern {id}")),
            "/concerns",
        ),
        raised: uk(c.raised_at),
        since: uk(c.status_since),
        next: next_words(&c),
        raiser_href: raiser_href(c.raiser),
        events: events
            .into_iter()
            .map(|e| (uk(e.at), Step::history_words(&e.step), e))
            .map(|(at, words, e)| (at, e, words))
            .collect(),
        steps: steps.into_iter().map(|s| (s, step_path(s))).collect(),
        owners,
        improvements,
        due: due.map(|d| uk_date(d.millis())).unwrap_or_default(),
        overdue,
        rules,
        ways: Choice::list(
            FeedbackWay::ALL.iter().map(|w| (w.code(), w.label())),
            std::slice::from_ref(&form.fed_back_way),
        ),
        redirects: Choice::list(
            RedirectTo::ALL.iter().map(|w| (w.code(), w.label())),
            std::slice::from_ref(&form.redirect_to),
        ),
        errors,
        c,
        form,
        notice,
        csrf_token: session.csrf_token.clone(),
    };
    Ok(render(status, &page))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ShowQuery {
    done: String,
}

async fn show(
    Staff(state, session, _): Staff,
    Path(id): Path<ConcernId>,
    Query(q): Query<ShowQuery>,
) -> PageResult {
    let notice = match q.done.as_str() {
        "raise" => "The concern is recorded.",
        "escalate" => "It is escalated to its owner.",
        "respond" => "The response is recorded.",
        "feed-back" => "How it was fed back is recorded.",
        "close" => "The concern is closed.",
        "reopen" => "The concern is open again.",
        "redirect" => "It is redirected, and has left the log.",
        _ => "",
    };
    page(
        &state,
        &session,
        id,
        Errors::default(),
        StepInput::default(),
        notice,
    )
    .await
}

/// The route for a step: its form, the use case, and the page again.
fn step_route(step: Step) -> MethodRouter<AppState> {
    post(
        move |Staff(state, session, actor): Staff,
              Path(id): Path<ConcernId>,
              CsrfForm(form): CsrfForm<StepInput>| async move {
            match state.app.take_concern_step(&actor, id, step, &form).await {
                Ok(()) => Ok(
                    Redirect::to(&format!("/concerns/{id}?done={}", step_path(step)))
                        .into_response(),
                ),
                Err(AppError::Invalid(list)) => {
                    page(&state, &session, id, Errors::from(list), form, "").await
                }
                Err(AppError::Conflict { .. }) => {
                    let errors = Errors::one(
                        "step",
                        "Someone else changed this concern while you were looking at it. Check it below and try again.",
                    );
                    page(&state, &session, id, errors, form, "").await
                }
                Err(e) => Err(e.into()),
            }
        },
    )
}
