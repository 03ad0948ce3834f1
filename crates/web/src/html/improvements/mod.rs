//! Improvements: the list, recording one (from a concern, a meeting or on its own), its page,
//! and changing it, which is where it is published on "You said, we did".

use super::kit::{render, Errors, FormFields, Layout, PageResult, Routes};
use crate::extract::{CsrfForm, Staff};
use crate::AppState;
use askama::Template;
use axum::extract::DefaultBodyLimit;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use axum::routing::{get, post};
use coproduce_app::improvements::{
    ImprovementChoices, ImprovementInput, LIST_PAGE, MAX_EVIDENCE_BYTES,
};
use coproduce_app::sign_in::Session;
use coproduce_app::AppError;
use coproduce_domain::improvements::{Improvement, LedBy};
use coproduce_domain::services::Service;
use coproduce_domain::time::iso_date_text;
use coproduce_domain::ImprovementId;
use serde::Deserialize;

mod files;

/// The improvement routes.
pub(super) fn routes() -> Routes {
    Routes::new()
        .route("/improvements", get(list).post(record))
        .route("/improvements/new", get(new_form))
        .route("/improvements/{id}", get(show).post(change))
        .route("/improvements/{id}/edit", get(edit_form))
        .route(
            "/improvements/{id}/files",
            post(files::add).layer(DefaultBodyLimit::max(MAX_EVIDENCE_BYTES + 64 * 1024)),
        )
        .route(
            "/improvements/{id}/files/{removable}/remove",
            post(files::remove),
        )
        .route("/improvements/files/{evidence}", get(files::download))
}

#[derive(Template)]
#[template(path = "improvements/list.html")]
struct ListPage {
    layout: Layout,
    items: Vec<(Improvement, String)>,
    page: i64,
    more: bool,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ListQuery {
    page: i64,
}

async fn list(Staff(state, session, actor): Staff, Query(q): Query<ListQuery>) -> PageResult {
    let mut found = state.app.improvements(&actor, None, q.page).await?;
    let more = found.len() as i64 > LIST_PAGE;
    found.truncate(LIST_PAGE as usize);
    let page = ListPage {
        layout: Layout::new(&state, Some(&session), "Improvements", "/concerns"),
        items: found
            .into_iter()
            .map(|i| {
                let on = iso_date_text(&i.changed_on);
                (i, on)
            })
            .collect(),
        page: q.page.max(0),
        more,
    };
    Ok(render(StatusCode::OK, &page))
}

/// One box of what may have led to an improvement.
struct LedByBox {
    code: String,
    name: String,
    checked: bool,
}

#[derive(Template)]
#[template(path = "improvements/form.html")]
struct FormPage {
    layout: Layout,
    errors: Errors,
    /// The improvement being changed, if it is not new.
    id: Option<ImprovementId>,
    form: ImprovementInput,
    services: Vec<Service>,
    led_by: Vec<LedByBox>,
    quotable: Vec<(String, String)>,
    csrf_token: String,
}

/// The boxes: what is chosen already (named as its page names it, where known), then every
/// other choice.
fn led_by_boxes(
    form: &ImprovementInput,
    known: &[(String, String)],
    choices: Vec<(String, String)>,
) -> Vec<LedByBox> {
    let name_of = |code: &str| {
        known
            .iter()
            .chain(choices.iter())
            .find(|(c, _)| c == code)
            .map(|(_, n)| n.clone())
            .or_else(|| {
                LedBy::parse(code).map(|l| match l {
                    LedBy::Meeting(_) => "The meeting you came from".to_owned(),
                    other => format!("{} {}", other.kind(), other.id()),
                })
            })
    };
    let mut boxes: Vec<LedByBox> = form
        .led_by
        .iter()
        .filter_map(|code| {
            Some(LedByBox {
                name: name_of(code)?,
                code: code.clone(),
                checked: true,
            })
        })
        .collect();
    for (code, name) in choices {
        if !boxes.iter().any(|b| b.code == code) {
            boxes.push(LedByBox {
                code,
                name,
                checked: false,
            });
        }
    }
    boxes
}

async fn form_page(
    state: &AppState,
    session: &Session,
    id: Option<ImprovementId>,
    form: ImprovementInput,
    known: &[(String, String)],
    errors: Errors,
) -> PageResult {
    let actor = session.actor();
    let ImprovementChoices { led_by, quotable } = state.app.improvement_choices(&actor).await?;
    let title = match id {
        Some(_) => "Change the improvement",
        None => "Record an improvement",
    };
    let status = errors.status();
    let page = FormPage {
        layout: Layout::new(state, Some(session), errors.title(title), "/concerns"),
        errors,
        id,
        services: state.app.services().await?,
        led_by: led_by_boxes(&form, known, led_by),
        quotable: quotable
            .into_iter()
            .map(|(p, name, yes)| {
                let answer = if yes {
                    "agreed to be quoted"
                } else {
                    "said no to being quoted"
                };
                (p.to_string(), format!("{name} ({answer})"))
            })
            .collect(),
        form,
        csrf_token: session.csrf_token.clone(),
    };
    Ok(render(status, &page))
}

/// The form's fields, and the boxes ticked.
fn input_of(pairs: &[(String, String)]) -> ImprovementInput {
    let f = FormFields(pairs);
    ImprovementInput {
        version: f.one("version").trim().parse().unwrap_or(0),
        service_id: f.one("service_id"),
        you_said: f.one("you_said"),
        we_did: f.one("we_did"),
        evidence: f.one("evidence"),
        changed_on: f.one("changed_on"),
        quote: f.one("quote"),
        quote_person_id: f.one("quote_person_id"),
        you_said_easy: f.one("you_said_easy"),
        we_did_easy: f.one("we_did_easy"),
        publish: f.one("publish") == "yes",
        led_by: f.all("led_by"),
    }
}

async fn new_form(
    Staff(state, session, _): Staff,
    Query(pairs): Query<Vec<(String, String)>>,
) -> PageResult {
    let form = input_of(&pairs);
    form_page(&state, &session, None, form, &[], Errors::default()).await
}

async fn record(
    Staff(state, session, actor): Staff,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> PageResult {
    let form = input_of(&pairs);
    match state.app.record_improvement(&actor, &form).await {
        Ok(id) => Ok(Redirect::to(&format!("/improvements/{id}?done=record")).into_response()),
        Err(AppError::Invalid(list)) => {
            form_page(&state, &session, None, form, &[], Errors::from(list)).await
        }
        Err(e) => Err(e.into()),
    }
}

/// How the page names what led to an improvement, as `(kind:id, name)`.
fn known_links(i: &Improvement) -> Vec<(String, String)> {
    i.links
        .iter()
        .map(|l| (l.led_by.code(), l.name.clone()))
        .collect()
}

async fn edit_form(
    Staff(state, session, actor): Staff,
    Path(id): Path<ImprovementId>,
) -> PageResult {
    let found = state.app.improvement(&actor, id).await?;
    let form = ImprovementInput::of(&found);
    form_page(
        &state,
        &session,
        Some(id),
        form,
        &known_links(&found),
        Errors::default(),
    )
    .await
}

async fn change(
    Staff(state, session, actor): Staff,
    Path(id): Path<ImprovementId>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> PageResult {
    let form = input_of(&pairs);
    let errors = match state.app.change_improvement(&actor, id, &form).await {
        Ok(()) => {
            return Ok(Redirect::to(&format!("/improvements/{id}?done=change")).into_response())
        }
        Err(AppError::Invalid(list)) => Errors::from(list),
        Err(AppError::Conflict { .. }) => Errors::one(
            "improvement",
            "Someone else changed this improvement while you were editing it. Check it below and make your change again.",
        ),
        Err(e) => return Err(e.into()),
    };
    let found = state.app.improvement(&actor, id).await?;
    let form = ImprovementInput {
        version: found.version,
        ..form
    };
    form_page(
        &state,
        &session,
        Some(id),
        form,
        &known_links(&found),
        errors,
    )
    .await
}

#[derive(Template)]
#[template(path = "improvements/show.html")]
struct ShowPage {
    layout: Layout,
    errors: Errors,
    i: Improvement,
    changed_on: String,
    notice: &'static str,
    csrf_token: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ShowQuery {
    done: String,
}

pub(super) async fn show_page(
    state: &AppState,
    session: &Session,
    id: ImprovementId,
    errors: Errors,
    notice: &'static str,
) -> PageResult {
    let i = state.app.improvement(&session.actor(), id).await?;
    let status = errors.status();
    let page = ShowPage {
        layout: Layout::new(
            state,
            Some(session),
            errors.title(format!("Improvement {id}")),
            "/concerns",
        ),
        errors,
        changed_on: iso_date_text(&i.changed_on),
        i,
        notice,
        csrf_token: session.csrf_token.clone(),
    };
    Ok(render(status, &page))
}

async fn show(
    Staff(state, session, _): Staff,
    Path(id): Path<ImprovementId>,
    Query(q): Query<ShowQuery>,
) -> PageResult {
    let notice = match q.done.as_str() {
        "record" => "The improvement is recorded.",
        "change" => "The improvement is saved.",
        "file" => "The file is kept with it.",
        "remove" => "The file is removed.",
        _ => "",
    };
    show_page(&state, &session, id, Errors::default(), notice).await
}
