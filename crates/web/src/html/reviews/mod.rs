//! Reviews: what is due one, the 4Pi form for recording one, and a review's page with what it
//! agreed to adjust.

use super::kit::team::team_path;
use super::kit::{action_rows, date_text, render, uk_date, ActionRow, Choice, DueRow};
use super::kit::{question_headings, Errors, Layout, PageResult, PeriodRow, Routes};
use crate::extract::{CsrfForm, Staff};
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use axum::routing::{get, post};
use chrono::Datelike;
use coproduce_app::meetings::ActionInput;
use coproduce_app::reviews::{ReviewForm, ReviewInput, ReviewView};
use coproduce_app::sign_in::Session;
use coproduce_app::{authorise, Action, AppError, Resource};
use coproduce_domain::feedback::quarter_of;
use coproduce_domain::groups::{ActionStatus, Ladder};
use coproduce_domain::meetings::AgreedAt;
use coproduce_domain::reviews::{Rating, Review, ReviewOf, STANDARDS};
use coproduce_domain::secret::SecretToken;
use coproduce_domain::{MeetingId, ReviewId};
use serde::Deserialize;

/// The review routes.
pub(super) fn routes() -> Routes {
    Routes::new()
        .route("/reviews", get(due).post(record))
        .route("/reviews/new", get(new_form))
        .route("/reviews/{id}", get(show))
        .route("/reviews/{id}/actions", post(add_action))
}

#[derive(Template)]
#[template(path = "reviews/due.html")]
struct DuePage {
    layout: Layout,
    rows: Vec<DueRow>,
    next_from: Option<i64>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct DueQuery {
    due_before: String,
    from: i64,
}

async fn due(Staff(state, session, actor): Staff, Query(q): Query<DueQuery>) -> PageResult {
    let page = state.app.reviews_due(&actor, &q.due_before, q.from).await?;
    let rows = page.rows.iter().map(|d| DueRow::of(d, &page.today));
    let page = DuePage {
        layout: Layout::new(&state, Some(&session), "Reviews due", "/groups"),
        rows: rows.collect(),
        next_from: page.next_from,
    };
    Ok(render(StatusCode::OK, &page))
}

/// One standard on the form: its rating's radios and its notes.
struct StandardRow {
    code: &'static str,
    name: &'static str,
    asks: &'static str,
    notes_field: &'static str,
    legend: String,
    notes_label: String,
    notes: String,
    choices: Vec<Choice>,
}

#[derive(Template)]
#[template(path = "reviews/form.html")]
struct FormPage {
    layout: Layout,
    errors: Errors,
    subject: ReviewForm,
    last_held: Option<(ReviewId, String)>,
    due: String,
    form: ReviewInput,
    standards: Vec<StandardRow>,
    ladders: Vec<(&'static str, &'static str)>,
    next_hint: String,
    /// The group's or project's feedback by quarter since its last review, for the views from
    /// members.
    periods: Vec<PeriodRow>,
    feedback_href: String,
    headings: Vec<&'static str>,
    csrf_token: String,
}

/// The standards' rows, with what was typed.
fn standard_rows(form: &ReviewInput) -> Vec<StandardRow> {
    STANDARDS
        .iter()
        .map(|s| {
            let (rating, notes) = form.standard(s.code);
            StandardRow {
                code: s.code,
                name: s.name,
                asks: s.asks,
                notes_field: s.notes,
                legend: format!("How well is the standard for {} met?", s.name),
                notes_label: format!("What was said about {} (optional)", s.name),
                notes: notes.to_owned(),
                choices: Choice::list(
                    Rating::ALL.iter().map(|r| (r.code(), r.label())),
                    &[rating.to_owned()],
                ),
            }
        })
        .collect()
}

async fn form_page(
    state: &AppState,
    session: &Session,
    of: ReviewOf,
    mut form: ReviewInput,
    errors: Errors,
) -> PageResult {
    let subject = state.app.review_form(&session.actor(), of).await?;
    // The quarters since the last review, as the feedback page reports them: a period of its
    // own could be told apart from those and give away an answer.
    let feedback = match of.team() {
        Some(team) => {
            let since = subject.last.as_ref().and_then(|r| quarter_of(&r.held_on));
            let r = state.app.feedback_results(&session.actor(), team).await?;
            let recent = r
                .periods
                .iter()
                .filter(|p| since.as_ref().is_none_or(|s| p.starts >= *s));
            recent.map(PeriodRow::of).collect()
        }
        None => Vec::new(),
    };
    if form.submission_key.is_empty() {
        form.submission_key = SecretToken::generate("").expose().to_owned();
    }
    // A new form is held today; one sent back keeps what was typed, even left empty.
    if form.held_on.is_empty() && errors.is_empty() {
        let d = subject.today;
        form.held_on = format!("{}/{}/{}", d.day(), d.month(), d.year());
    }
    if form.ladder.is_empty() {
        form.ladder = subject
            .ladder
            .map(|l| l.code().to_owned())
            .unwrap_or_default();
    }
    let status = errors.status();
    let title = format!("Review {}", subject.name);
    let page = FormPage {
        layout: Layout::new(state, Some(session), errors.title(title), "/groups"),
        errors,
        last_held: subject.last.as_ref().map(|r| (r.id, date_text(&r.held_on))),
        due: subject.due_on.as_deref().map(date_text).unwrap_or_default(),
        standards: standard_rows(&form),
        ladders: Ladder::ALL.iter().map(|l| (l.code(), l.label())).collect(),
        next_hint: format!(
            "Left empty, it is {} months on: {}.",
            of.cadence_months(),
            date_text(&subject.usual_next)
        ),
        periods: feedback,
        feedback_href: of
            .team()
            .map(|t| format!("{}/feedback", team_path(t)))
            .unwrap_or_default(),
        headings: question_headings(),
        subject,
        form,
        csrf_token: session.csrf_token.clone(),
    };
    Ok(render(status, &page))
}

async fn new_form(
    Staff(state, session, actor): Staff,
    Query(form): Query<ReviewInput>,
) -> PageResult {
    let Some(of) = ReviewOf::parse(&form.of) else {
        // A review starts from what it looks at: the list of what is due names each.
        authorise(&actor, Action::RecordReviews, &Resource::ANY)?;
        return Ok(Redirect::to("/reviews").into_response());
    };
    form_page(&state, &session, of, form, Errors::default()).await
}

async fn record(
    Staff(state, session, actor): Staff,
    CsrfForm(form): CsrfForm<ReviewInput>,
) -> PageResult {
    match state.app.record_review(&actor, &form).await {
        Ok(id) => Ok(Redirect::to(&format!("/reviews/{id}?done=record")).into_response()),
        Err(AppError::Invalid(list)) => match ReviewOf::parse(&form.of) {
            Some(of) => form_page(&state, &session, of, form, Errors::from(list)).await,
            // Nothing to review: there is no form to show again.
            None => Err(AppError::Invalid(list).into()),
        },
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "reviews/show.html")]
struct ShowPage {
    layout: Layout,
    errors: Errors,
    notice: &'static str,
    r: Review,
    subject_href: String,
    held_on: String,
    next_on: String,
    recorded_at: String,
    /// Each standard's name, what it asks, the rating's words and the notes.
    found: Vec<(&'static str, &'static str, &'static str, String)>,
    actions: Vec<ActionRow>,
    actions_caption: &'static str,
    /// None: an action's status form returns to where it was agreed, this review.
    action_meeting: Option<MeetingId>,
    owners: Vec<(String, String)>,
    statuses: &'static [ActionStatus],
    action_form: ActionInput,
    csrf_token: String,
}

async fn show_page(
    state: &AppState,
    session: &Session,
    id: ReviewId,
    errors: Errors,
    notice: &'static str,
    action_form: Option<ActionInput>,
) -> PageResult {
    let ReviewView {
        review: r,
        adjustments,
        owners,
    } = state.app.review(&session.actor(), id).await?;
    let status = errors.status();
    let found = STANDARDS
        .iter()
        .zip(&r.assessments)
        .map(|(s, a)| (s.name, s.asks, a.rating.label(), a.notes.clone()))
        .collect();
    let action_form = action_form.unwrap_or_else(|| ActionInput {
        submission_key: SecretToken::generate("").expose().to_owned(),
        ..ActionInput::default()
    });
    let page = ShowPage {
        layout: Layout::new(
            state,
            Some(session),
            errors.title(format!("Review of {}", r.subject_name)),
            "/groups",
        ),
        errors,
        notice,
        subject_href: r.subject_href(),
        held_on: date_text(&r.held_on),
        next_on: date_text(&r.next_review_on),
        recorded_at: uk_date(r.created_at),
        found,
        actions: action_rows(adjustments, AgreedAt::Review(id)),
        actions_caption: "What the review agreed to adjust",
        action_meeting: None,
        owners: owners
            .into_iter()
            .map(|(id, name)| (format!("staff:{id}"), name))
            .collect(),
        statuses: ActionStatus::ALL,
        action_form,
        r,
        csrf_token: session.csrf_token.clone(),
    };
    Ok(render(status, &page))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ShowQuery {
    done: String,
    action: String,
}

async fn show(
    Staff(state, session, _): Staff,
    Path(id): Path<ReviewId>,
    Query(q): Query<ShowQuery>,
) -> PageResult {
    let notice = match (q.done.as_str(), q.action.as_str()) {
        ("record", _) => "The review is recorded. Add what it agreed to adjust below.",
        (_, "1") => "The adjustments are saved.",
        _ => "",
    };
    show_page(&state, &session, id, Errors::default(), notice, None).await
}

async fn add_action(
    Staff(state, session, actor): Staff,
    Path(id): Path<ReviewId>,
    CsrfForm(form): CsrfForm<ActionInput>,
) -> PageResult {
    match state.app.add_review_action(&actor, id, &form).await {
        Ok(_) => Ok(Redirect::to(&format!("/reviews/{id}?action=1#adjustments")).into_response()),
        Err(AppError::Invalid(list)) => {
            show_page(&state, &session, id, Errors::from(list), "", Some(form)).await
        }
        Err(e) => Err(e.into()),
    }
}
