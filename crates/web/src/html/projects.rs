//! Projects: the list, setting one up or changing it, its page (aims, stage, the ladder of
//! co-production with its history, members, meetings), and adding members.

use super::kit::team::{member_routes, Notice};
use super::kit::{date_text, uk, Routes};
use super::kit::{render, Errors, Layout};
use crate::error::PageError;
use crate::extract::CsrfForm;
use crate::extract::SignedIn;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use coproduce_app::meetings::Team;
use coproduce_app::people::ServiceRow;
use coproduce_app::projects::{Project, ProjectInput, ProjectView};
use coproduce_app::sign_in::Session;
use coproduce_app::Action;
use coproduce_app::AppError;
use coproduce_domain::groups::{GroupRole, Ladder, ProjectStage};

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
            Team::Project,
        ))
}

fn stage_label(code: &str) -> &'static str {
    ProjectStage::parse(code).map_or("", ProjectStage::label)
}

fn ladder_label(code: &str) -> &'static str {
    Ladder::parse(code).map_or("", Ladder::label)
}

#[derive(Template)]
#[template(path = "projects/list.html")]
struct ListPage {
    layout: Layout,
    projects: Vec<Project>,
}

async fn list(State(state): State<AppState>, SignedIn(session, actor): SignedIn) -> Response {
    match state.app.projects(&actor).await {
        Ok(projects) => render(
            StatusCode::OK,
            &ListPage {
                layout: Layout::new(&state, Some(&session), "Projects", "/groups"),
                projects,
            },
        ),
        Err(e) => PageError::from(e).into_response(),
    }
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
    services: Vec<ServiceRow>,
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
) -> Response {
    let services = match state
        .app
        .services_for(&session.actor(), Action::EditGroups)
        .await
    {
        Ok(s) => s,
        Err(e) => return PageError::from(e).into_response(),
    };
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
    render(page.status, &page)
}

async fn new_form(State(state): State<AppState>, SignedIn(session, _): SignedIn) -> Response {
    let form = ProjectInput {
        stage: "planning".into(),
        ..ProjectInput::default()
    };
    form_page(&state, &session, None, form, Errors::default()).await
}

async fn create(
    State(state): State<AppState>,
    SignedIn(session, actor): SignedIn,
    CsrfForm(form): CsrfForm<ProjectInput>,
) -> Response {
    match state.app.create_project(&actor, &form).await {
        Ok(id) => Redirect::to(&format!("/projects/{id}?saved=1")).into_response(),
        Err(AppError::Invalid(list)) => {
            form_page(&state, &session, None, form, Errors::from(list)).await
        }
        Err(e) => PageError::from(e).into_response(),
    }
}

async fn edit_form(
    State(state): State<AppState>,
    SignedIn(session, actor): SignedIn,
    Path(id): Path<i64>,
) -> Response {
    match state.app.view_project(&actor, id).await {
        Ok(v) => {
            let form = ProjectInput::from_project(&v.project);
            form_page(&state, &session, Some(id), form, Errors::default()).await
        }
        Err(e) => PageError::from(e).into_response(),
    }
}

async fn save(
    State(state): State<AppState>,
    SignedIn(session, actor): SignedIn,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<ProjectInput>,
) -> Response {
    let who = actor;
    let errors = match state.app.update_project(&who, id, &form).await {
        Ok(()) => return Redirect::to(&format!("/projects/{id}?saved=1")).into_response(),
        Err(AppError::Invalid(list)) => Errors::from(list),
        Err(AppError::Conflict { version, .. }) => {
            let mut form = form;
            form.version = version;
            let errors = Errors::one(
                "name",
                "Someone else changed this project while you were changing it. What you typed is below: check it and save again.",
            );
            return form_page(&state, &session, Some(id), form, errors).await;
        }
        Err(e) => return PageError::from(e).into_response(),
    };
    form_page(&state, &session, Some(id), form, errors).await
}

struct Step {
    label: &'static str,
    on: String,
    by: String,
}

struct MemberItem {
    id: i64,
    name: String,
    href: Option<String>,
    role: &'static str,
    since: String,
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
    meetings: Vec<(i64, String, bool)>,
    csrf_token: String,
}

fn show_page(
    state: &AppState,
    session: &Session,
    v: ProjectView,
    notice: Option<&'static str>,
) -> Response {
    let p = v.project;
    let page = ShowPage {
        layout: Layout::new(state, Some(session), p.name.clone(), "/groups"),
        notice,
        stage: stage_label(&p.stage),
        ladder: ladder_label(&p.ladder),
        starts: date_text(&p.starts_on),
        ends: p.ends_on.as_deref().map(date_text).unwrap_or_default(),
        steps: v
            .ladder
            .iter()
            .map(|l| Step {
                label: ladder_label(&l.ladder),
                on: date_text(&l.recorded_on),
                by: l.recorded_by.clone(),
            })
            .collect(),
        members: v
            .members
            .iter()
            .map(|m| MemberItem {
                id: m.id,
                name: m.name.clone(),
                href: m.person_id.map(|id| format!("/people/{id}")),
                role: GroupRole::parse(&m.role).map_or("", GroupRole::label),
                since: date_text(&m.joined_on),
            })
            .collect(),
        meetings: v
            .meetings
            .iter()
            .map(|m| {
                (
                    m.id,
                    format!("{}: {}", m.name(), uk(m.starts_at)),
                    m.status == "cancelled",
                )
            })
            .collect(),
        csrf_token: session.csrf_token.clone(),
        p,
    };
    render(StatusCode::OK, &page)
}

async fn show(
    State(state): State<AppState>,
    SignedIn(session, actor): SignedIn,
    Path(id): Path<i64>,
    Query(q): Query<Notice>,
) -> Response {
    let notice = q.text(
        "Added to the project.",
        "Removed from the project. Their membership stays in the history.",
    );
    match state.app.view_project(&actor, id).await {
        Ok(v) => show_page(&state, &session, v, notice),
        Err(e) => PageError::from(e).into_response(),
    }
}
