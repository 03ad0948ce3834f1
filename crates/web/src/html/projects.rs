//! Projects: the list, setting one up or changing it, its page (aims, stage, the ladder of
//! co-production with its history, members, meetings), and adding members.

use super::kit::held::{HeldList, HeldQuery};
use super::kit::team::{member_routes, MemberItem, Notice};
use super::kit::{date_text, meeting_line, Routes};
use super::kit::{render, Errors, Layout, PageResult, ReviewHistory};
use crate::extract::{CsrfForm, Staff};
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use coproduce_app::projects::{ProjectInput, ProjectView};
use coproduce_app::sign_in::Session;
use coproduce_app::Action;
use coproduce_app::AppError;
use coproduce_domain::groups::Team;
use coproduce_domain::groups::{Ladder, ProjectStage};
use coproduce_domain::projects::Project;
use coproduce_domain::reviews::ReviewOf;
use coproduce_domain::services::Service;
use coproduce_domain::MeetingId;
use coproduce_domain::ProjectId;

/// The project routes.
pub(super) fn routes() -> Routes {
    Routes::new()
        .route("/projects", get(list).post(create))
        .route("/projects/new", get(new_form))
        .route("/projects/{id}", get(show))
        .route("/projects/{id}/edit", get(edit_form).post(save))
        .merge(member_routes(
            "/projects/{id}/members",
            "/projects/{id}/members/{member}/end",
            |id| Team::Project(ProjectId(id)),
        ))
}

#[derive(Template)]
#[template(path = "projects/list.html")]
struct ListPage {
    layout: Layout,
    projects: Vec<Project>,
}

async fn list(Staff(state, session, actor): Staff) -> PageResult {
    let projects = state.app.projects(&actor).await?;
    let layout = Layout::new(&state, Some(&session), "Projects", "/groups");
    Ok(render(StatusCode::OK, &ListPage { layout, projects }))
}

#[derive(Template)]
#[template(path = "projects/form.html")]
struct FormPage {
    layout: Layout,
    status: StatusCode,
    errors: Errors,
    action: String,
    heading: &'static str,
    form: ProjectInput,
    services: Vec<Service>,
    stages: &'static [ProjectStage],
    ladders: &'static [Ladder],
    csrf_token: String,
}

async fn form_page(
    state: &AppState,
    session: &Session,
    id: Option<i64>,
    form: ProjectInput,
    errors: Errors,
) -> PageResult {
    let services = state
        .app
        .services_for(&session.actor(), Action::EditGroups)
        .await?;
    let heading = if id.is_some() {
        "Change the project"
    } else {
        "Set up a project"
    };
    let page = FormPage {
        layout: Layout::new(state, Some(session), errors.title(heading), "/groups"),
        status: errors.status(),
        errors,
        action: id.map_or_else(
            || "/projects".to_owned(),
            |id| format!("/projects/{id}/edit"),
        ),
        heading,
        form,
        services,
        stages: ProjectStage::ALL,
        ladders: Ladder::ALL,
        csrf_token: session.csrf_token.clone(),
    };
    Ok(render(page.status, &page))
}

async fn new_form(Staff(state, session, _): Staff) -> PageResult {
    let form = ProjectInput {
        stage: "planning".into(),
        ..ProjectInput::default()
    };
    form_page(&state, &session, None, form, Errors::default()).await
}

async fn create(
    Staff(state, session, actor): Staff,
    CsrfForm(form): CsrfForm<ProjectInput>,
) -> PageResult {
    match state.app.create_project(&actor, &form).await {
        Ok(id) => Ok(Redirect::to(&format!("/projects/{id}?saved=1")).into_response()),
        Err(AppError::Invalid(list)) => {
            form_page(&state, &session, None, form, Errors::from(list)).await
        }
        Err(e) => Err(e.into()),
    }
}

async fn edit_form(Staff(state, session, actor): Staff, Path(id): Path<ProjectId>) -> PageResult {
    let v = state.app.view_project(&actor, id).await?;
    let form = ProjectInput::from_project(&v.project);
    form_page(&state, &session, Some(id.0), form, Errors::default()).await
}

async fn save(
    Staff(state, session, actor): Staff,
    Path(id): Path<ProjectId>,
    CsrfForm(form): CsrfForm<ProjectInput>,
) -> PageResult {
    let errors = match state.app.update_project(&actor, id, &form).await {
        Ok(()) => return Ok(Redirect::to(&format!("/projects/{id}?saved=1")).into_response()),
        Err(AppError::Invalid(list)) => Errors::from(list),
        Err(AppError::Conflict { version, .. }) => {
            let mut form = form;
            form.version = version;
            let errors = Errors::one(
                "name",
                "Someone else changed this project while you were changing it. What you typed is below: check it and save again.",
            );
            return form_page(&state, &session, Some(id.0), form, errors).await;
        }
        Err(e) => return Err(e.into()),
    };
    form_page(&state, &session, Some(id.0), form, errors).await
}

struct Step {
    label: &'static str,
    on: String,
    by: String,
    reason: String,
}

#[derive(Template)]
#[template(path = "projects/show.html")]
struct ShowPage {
    layout: Layout,
    notice: Option<&'static str>,
    p: Project,
    stage: &'static str,
    ladder: &'static str,
    starts: String,
    ends: String,
    steps: Vec<Step>,
    members: Vec<MemberItem>,
    meetings: Vec<(MeetingId, String, bool)>,
    held: HeldList,
    reviews: ReviewHistory,
}

fn show_page(
    state: &AppState,
    session: &Session,
    v: ProjectView,
    held: HeldList,
    reviews: ReviewHistory,
    notice: Option<&'static str>,
) -> Response {
    let p = v.project;
    let page = ShowPage {
        layout: Layout::new(state, Some(session), p.name.clone(), "/groups"),
        notice,
        stage: p.stage.label(),
        ladder: p.ladder.label(),
        starts: date_text(&p.starts_on),
        ends: p.ends_on.as_deref().map(date_text).unwrap_or_default(),
        steps: v
            .ladder
            .iter()
            .map(|l| Step {
                label: l.ladder.label(),
                on: date_text(&l.recorded_on),
                by: l.recorded_by.clone(),
                reason: l.reason.clone(),
            })
            .collect(),
        members: v
            .members
            .iter()
            .map(|m| MemberItem::new(m.id, m.person_id, &m.name, m.role, &m.joined_on))
            .collect(),
        meetings: v.meetings.iter().map(meeting_line).collect(),
        held,
        reviews,
        p,
    };
    render(StatusCode::OK, &page)
}

async fn show(
    Staff(state, session, actor): Staff,
    Path(id): Path<ProjectId>,
    Query(q): Query<Notice>,
    Query(page): Query<HeldQuery>,
) -> PageResult {
    let notice = q.text(
        "Added to the project.",
        "Removed from the project. Their membership stays in the history.",
    );
    let from = page.from();
    let of = ReviewOf::Project(id);
    let (v, held, reviews) = tokio::try_join!(
        state.app.view_project(&actor, id),
        state.app.held_meetings(&actor, Team::Project(id), from),
        state.app.review_history(&actor, of)
    )?;
    let held = HeldList::new(held, from, &format!("/projects/{id}"));
    let next = v.project.next_review_on.as_deref();
    let reviews = ReviewHistory::new(of, &reviews.0, next, &reviews.1);
    Ok(show_page(&state, &session, v, held, reviews, notice))
}
