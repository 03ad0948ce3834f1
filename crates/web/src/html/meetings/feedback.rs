//! Feedback for staff: recording a person's answers for them (from a phone call, say) from the
//! meeting, and a group's, project's or activity's results by quarter.

use super::view::heading;
use crate::extract::{CsrfForm, Staff};
use crate::html::kit::{question_headings, render, scale_questions};
use crate::html::kit::{Errors, Layout, PageResult, PeriodRow, ScaleQuestion};
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use coproduce_app::meetings::{FeedbackInput, FeedbackResults, MeetingFeedback};
use coproduce_app::sign_in::Session;
use coproduce_app::AppError;
use coproduce_domain::feedback::CHANGE;
use coproduce_domain::groups::Team;
use coproduce_domain::{GroupId, MeetingId, OpportunityId, ProjectId};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "meetings/feedback.html")]
struct RecordPage {
    layout: Layout,
    errors: Errors,
    notice: bool,
    heading: String,
    meeting_id: MeetingId,
    answered: usize,
    /// Those who attended and have not given feedback: `person:ID` and name.
    waiting: Vec<(String, String)>,
    questions: Vec<ScaleQuestion>,
    change_label: &'static str,
    form: FeedbackInput,
    csrf_token: String,
}

async fn record_page(
    state: &AppState,
    session: &Session,
    id: MeetingId,
    form: FeedbackInput,
    errors: Errors,
    notice: bool,
) -> PageResult {
    let MeetingFeedback {
        meeting,
        waiting,
        answered,
    } = state.app.meeting_feedback(&session.actor(), id).await?;
    let heading = heading(&meeting);
    let page = RecordPage {
        layout: Layout::new(state, Some(session), errors.title("Feedback"), "/groups"),
        notice,
        meeting_id: meeting.id,
        answered,
        waiting: waiting
            .into_iter()
            .map(|(p, name)| (format!("person:{p}"), name))
            .collect(),
        questions: scale_questions(&form, false),
        change_label: CHANGE.asks,
        heading,
        form,
        csrf_token: session.csrf_token.clone(),
        errors,
    };
    Ok(render(page.errors.status(), &page))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct Done {
    done: String,
}

pub(super) async fn record_form(
    Staff(state, session, _): Staff,
    Path(id): Path<MeetingId>,
    Query(q): Query<Done>,
) -> PageResult {
    let form = FeedbackInput::default();
    let notice = !q.done.is_empty();
    record_page(&state, &session, id, form, Errors::default(), notice).await
}

pub(super) async fn record(
    Staff(state, session, actor): Staff,
    Path(id): Path<MeetingId>,
    CsrfForm(form): CsrfForm<FeedbackInput>,
) -> PageResult {
    match state.app.record_feedback_for(&actor, id, &form).await {
        Ok(()) => Ok(Redirect::to(&format!("/meetings/{id}/feedback?done=1")).into_response()),
        Err(AppError::Invalid(list)) => {
            record_page(&state, &session, id, form, Errors::from(list), false).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "meetings/feedback_results.html")]
struct ResultsPage {
    layout: Layout,
    name: String,
    team_href: String,
    /// After what people answered, in words.
    after: &'static str,
    periods: Vec<PeriodRow>,
    headings: Vec<&'static str>,
    suggestions: Vec<(String, String)>,
}

fn results_page(
    state: &AppState,
    session: &Session,
    r: FeedbackResults,
    (href, after): (String, &'static str),
) -> PageResult {
    let page = ResultsPage {
        after,
        layout: Layout::new(
            state,
            Some(session),
            format!("Feedback: {}", r.name),
            "/groups",
        ),
        name: r.name,
        team_href: href,
        periods: r.periods.iter().map(PeriodRow::of).collect(),
        headings: question_headings(),
        suggestions: r.suggestions,
    };
    Ok(render(StatusCode::OK, &page))
}

async fn team_results(state: AppState, session: Session, team: Team) -> PageResult {
    let r = state.app.feedback_results(&session.actor(), team).await?;
    let href = crate::html::kit::team::team_path(team);
    results_page(&state, &session, r, (href, "after its meetings"))
}

pub(super) async fn group_results(
    Staff(state, session, _): Staff,
    Path(id): Path<GroupId>,
) -> PageResult {
    team_results(state, session, Team::Group(id)).await
}

pub(super) async fn project_results(
    Staff(state, session, _): Staff,
    Path(id): Path<ProjectId>,
) -> PageResult {
    team_results(state, session, Team::Project(id)).await
}

pub(super) async fn activity_results(
    Staff(state, session, actor): Staff,
    Path(id): Path<OpportunityId>,
) -> PageResult {
    let r = state.app.activity_feedback(&actor, id).await?;
    let href = format!("/manage/opportunities/{id}");
    results_page(&state, &session, r, (href, "after taking part"))
}
