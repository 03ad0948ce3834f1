//! Staff pages for opportunities: the list, writing one (with its Easy Read summary), and its
//! page, where people are invited, found and moved through interested, selected, waiting and
//! confirmed.

use super::kit::opportunity::Shown;
use super::kit::{check_upload_token, render, Errors, FormFields, Layout, PageResult, Routes};
use crate::extract::{CsrfForm, Staff};
use crate::AppState;
use askama::Template;
use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use coproduce_app::opportunities::{OpportunityInput, MAX_PICTURE_BYTES};
use coproduce_app::people::{Person, SearchInput};
use coproduce_app::sign_in::Session;
use coproduce_app::Action;
use coproduce_app::AppError;
use coproduce_domain::easy_read::{pictures, Line, Picture, MAX_LINES};
use coproduce_domain::opportunities::OpportunityPerson;
use coproduce_domain::opportunities::{self as record, Opportunity};
use coproduce_domain::opportunities::{
    OpportunityKind, Place, Requirement, Stage, Support, Visibility,
};
use coproduce_domain::people::needs_text;
use coproduce_domain::services::Service;
use coproduce_domain::OpportunityId;
use coproduce_domain::PersonId;
use serde::Deserialize;

/// The staff opportunity routes.
pub(super) fn routes() -> Routes {
    Routes::new()
        .route("/manage/opportunities", get(list).post(create))
        .route("/manage/opportunities/new", get(new_form))
        .route("/manage/opportunities/{id}", get(show))
        .route("/manage/opportunities/{id}/edit", get(edit_form).post(save))
        .route("/manage/opportunities/{id}/people", post(set_stage))
        .route(
            "/manage/pictures",
            get(pictures_page)
                .post(upload_picture)
                .layer(DefaultBodyLimit::max(MAX_PICTURE_BYTES + 64 * 1024)),
        )
        .route("/pictures/{id}", get(picture))
}

#[derive(Template)]
#[template(path = "opportunities/list.html")]
struct ListPage {
    layout: Layout,
    opportunities: Vec<Shown>,
}

async fn list(Staff(state, session, actor): Staff) -> PageResult {
    let rows = state.app.staff_opportunities(&actor).await?;
    let page = ListPage {
        layout: Layout::new(
            &state,
            Some(&session),
            "Opportunities",
            "/manage/opportunities",
        ),
        opportunities: rows.into_iter().map(Shown::new).collect(),
    };
    Ok(render(StatusCode::OK, &page))
}

#[derive(Template)]
#[template(path = "opportunities/form.html")]
struct FormPage {
    layout: Layout,
    errors: Errors,
    action: String,
    heading: &'static str,
    form: OpportunityInput,
    lines: Vec<Line>,
    services: Vec<Service>,
    kinds: &'static [OpportunityKind],
    places: &'static [Place],
    supports: &'static [Support],
    requirements: &'static [Requirement],
    visibilities: &'static [Visibility],
    pictures: &'static [Picture],
    uploaded: Vec<record::Picture>,
    csrf_token: String,
}

impl FormPage {
    fn has_support(&self, code: &str) -> bool {
        self.form.support.iter().any(|c| c == code)
    }

    fn has_requirement(&self, code: &str) -> bool {
        self.form.requirements.iter().any(|c| c == code)
    }
}

async fn form_page(
    state: &AppState,
    session: &Session,
    id: Option<i64>,
    form: OpportunityInput,
    errors: Errors,
) -> PageResult {
    let services = state
        .app
        .services_for(&session.actor(), Action::EditGroups)
        .await?;
    let uploaded = state
        .app
        .uploaded_pictures(&session.actor())
        .await
        .unwrap_or_default();
    let mut lines = form.easy_read.clone();
    let rows = (lines.len() + 2).clamp(6, MAX_LINES);
    lines.resize(rows, Line::default());
    let (action, heading, title) = match id {
        Some(id) => (
            format!("/manage/opportunities/{id}/edit"),
            "Change the opportunity",
            "Change the opportunity",
        ),
        None => (
            "/manage/opportunities".to_owned(),
            "Add an opportunity",
            "Add an opportunity",
        ),
    };
    let page = FormPage {
        layout: Layout::new(
            state,
            Some(session),
            errors.title(title),
            "/manage/opportunities",
        ),
        errors,
        action,
        heading,
        form,
        lines,
        services,
        kinds: OpportunityKind::ALL,
        places: Place::ALL,
        supports: Support::ALL,
        requirements: Requirement::ALL,
        visibilities: Visibility::ALL,
        pictures: pictures(),
        uploaded,
        csrf_token: session.csrf_token.clone(),
    };
    Ok(render(page.errors.status(), &page))
}

async fn new_form(Staff(state, session, _): Staff) -> PageResult {
    let form = OpportunityInput {
        visibility: "draft".into(),
        places: "1".into(),
        ..OpportunityInput::default()
    };
    form_page(&state, &session, None, form, Errors::default()).await
}

/// The form's fields: several values for ticked boxes, and the Easy Read rows numbered.
fn opportunity_input(pairs: &[(String, String)]) -> OpportunityInput {
    let form = FormFields(pairs);
    let get = |k: &str| form.one(k);
    let all = |k: &str| form.all(k);
    let easy_read = (0..MAX_LINES)
        .map(|n| Line {
            picture: get(&format!("picture-{n}")),
            text: get(&format!("sentence-{n}")),
        })
        .filter(|l| !l.text.trim().is_empty())
        .collect();
    OpportunityInput {
        title: get("title"),
        kind: get("kind"),
        service_id: get("service_id"),
        starts_on: get("starts_on"),
        start_time: get("start_time"),
        end_time: get("end_time"),
        dates_note: get("dates_note"),
        place: get("place"),
        venue: get("venue"),
        access_info: get("access_info"),
        places: get("places"),
        asked: get("asked"),
        support: all("support"),
        support_notes: get("support_notes"),
        requirements: all("requirements"),
        payment: get("payment"),
        closes_on: get("closes_on"),
        description: get("description"),
        easy_read,
        visibility: get("visibility"),
        hours: get("hours"),
        version: get("version").parse().unwrap_or(0),
    }
}

async fn create(
    Staff(state, session, actor): Staff,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> PageResult {
    let form = opportunity_input(&pairs);
    match state.app.create_opportunity(&actor, &form).await {
        Ok(id) => Ok(saved(id.0)),
        Err(AppError::Invalid(list)) => {
            form_page(&state, &session, None, form, Errors::from(list)).await
        }
        Err(e) => Err(e.into()),
    }
}

/// To the opportunity's page, saying it is saved.
fn saved(id: i64) -> Response {
    Redirect::to(&format!("/manage/opportunities/{id}?done=saved")).into_response()
}

/// An opportunity as its form shows it.
fn as_input(o: &Opportunity) -> OpportunityInput {
    let split = |codes: &str| {
        codes
            .split(',')
            .filter(|c| !c.is_empty())
            .map(str::to_owned)
            .collect()
    };
    OpportunityInput {
        title: o.title.clone(),
        kind: o.kind.code().to_owned(),
        service_id: o.service_id.to_string(),
        starts_on: o.starts_on.clone(),
        start_time: o.start_time.clone(),
        end_time: o.end_time.clone(),
        dates_note: o.dates_note.clone(),
        place: o.place.code().to_owned(),
        venue: o.venue.clone(),
        access_info: o.access_info.clone(),
        places: o.places.to_string(),
        asked: o.asked.clone(),
        support: split(&o.support),
        support_notes: o.support_notes.clone(),
        requirements: split(&o.requirements),
        payment: o.payment.clone(),
        closes_on: o.closes_on.clone(),
        description: o.description.clone(),
        easy_read: coproduce_domain::easy_read::parse(&o.easy_read),
        visibility: o.visibility.code().to_owned(),
        hours: if o.minutes == 0 {
            String::new()
        } else {
            format!("{}", o.minutes as f64 / 60.0)
        },
        version: o.version,
    }
}

async fn edit_form(
    Staff(state, session, actor): Staff,
    Path(id): Path<OpportunityId>,
) -> PageResult {
    let form = as_input(&state.app.view_opportunity(&actor, id).await?.opportunity);
    form_page(&state, &session, Some(id.0), form, Errors::default()).await
}

async fn save(
    Staff(state, session, actor): Staff,
    Path(id): Path<OpportunityId>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> PageResult {
    let mut form = opportunity_input(&pairs);
    let errors = match state.app.update_opportunity(&actor, id, &form).await {
        Ok(()) => return Ok(saved(id.0)),
        Err(AppError::Invalid(list)) => Errors::from(list),
        Err(AppError::Conflict { version, .. }) => {
            form.version = version;
            Errors::one(
                "title",
                "Someone else changed this opportunity while you were changing it. What you typed is below: check it and save again.",
            )
        }
        Err(e) => return Err(e.into()),
    };
    form_page(&state, &session, Some(id.0), form, errors).await
}

struct PersonLine {
    p: OpportunityPerson,
    stage: &'static str,
    /// What they need, to arrange before they take part.
    needs: String,
}

#[derive(Template)]
#[template(path = "opportunities/show.html")]
struct ShowPage {
    layout: Layout,
    errors: Errors,
    s: Shown,
    visibility: &'static str,
    people: Vec<PersonLine>,
    stages: &'static [Stage],
    q: String,
    searched: bool,
    found: Vec<Person>,
    notice: &'static str,
    csrf_token: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ShowQuery {
    q: String,
    done: String,
}

async fn show_page(
    state: &AppState,
    session: &Session,
    id: OpportunityId,
    q: ShowQuery,
    errors: Errors,
) -> PageResult {
    let who = session.actor();
    let view = state.app.view_opportunity(&who, id).await?;
    let searched = !q.q.trim().is_empty();
    let found = if searched {
        let input = SearchInput {
            q: q.q.clone(),
            ..SearchInput::default()
        };
        state.app.search_people(&who, &input).await?.people
    } else {
        Vec::new()
    };
    let notice = match q.done.as_str() {
        "saved" => "The opportunity is saved.",
        "stage" => "Saved.",
        _ => "",
    };
    let page = ShowPage {
        layout: Layout::new(
            state,
            Some(session),
            errors.title(view.opportunity.title.clone()),
            "/manage/opportunities",
        ),
        errors,
        visibility: view.opportunity.visibility.label(),
        s: Shown::new(view.opportunity),
        people: view
            .people
            .into_iter()
            .map(|p| PersonLine {
                stage: p.status.label(),
                needs: needs_text(&p.needs, &p.interpreter_language),
                p,
            })
            .collect(),
        stages: Stage::ALL,
        q: q.q,
        searched,
        found,
        notice,
        csrf_token: session.csrf_token.clone(),
    };
    Ok(render(page.errors.status(), &page))
}

async fn show(
    Staff(state, session, _): Staff,
    Path(id): Path<OpportunityId>,
    Query(q): Query<ShowQuery>,
) -> PageResult {
    show_page(&state, &session, id, q, Errors::default()).await
}

/// Parsed leniently, so the opportunity is found (or refused) before the answers are read.
#[derive(Deserialize, Default)]
#[serde(default)]
struct StageForm {
    person_id: i64,
    stage: String,
}

async fn set_stage(
    Staff(state, session, actor): Staff,
    Path(id): Path<OpportunityId>,
    CsrfForm(form): CsrfForm<StageForm>,
) -> PageResult {
    let (person, stage) = (PersonId(form.person_id), &form.stage);
    match state
        .app
        .set_opportunity_stage(&actor, id, person, stage)
        .await
    {
        Ok(()) => {
            Ok(Redirect::to(&format!("/manage/opportunities/{id}?done=stage")).into_response())
        }
        Err(AppError::Invalid(list)) => {
            let q = ShowQuery::default();
            show_page(&state, &session, id, q, Errors::from(list)).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "opportunities/pictures.html")]
struct PicturesPage {
    layout: Layout,
    errors: Errors,
    uploaded: Vec<record::Picture>,
    alt: String,
    added: bool,
    csrf_token: String,
}

async fn pictures_response(
    state: &AppState,
    session: &Session,
    errors: Errors,
    alt: String,
    added: bool,
) -> PageResult {
    let uploaded = state.app.uploaded_pictures(&session.actor()).await?;
    let page = PicturesPage {
        layout: Layout::new(
            state,
            Some(session),
            errors.title("Easy Read pictures"),
            "/manage/opportunities",
        ),
        errors,
        uploaded,
        alt,
        added,
        csrf_token: session.csrf_token.clone(),
    };
    Ok(render(page.errors.status(), &page))
}

async fn pictures_page(Staff(state, session, _): Staff, Query(q): Query<ShowQuery>) -> PageResult {
    let added = q.done == "added";
    pictures_response(&state, &session, Errors::default(), String::new(), added).await
}

async fn upload_picture(Staff(state, session, actor): Staff, mut form: Multipart) -> PageResult {
    let (mut token, mut alt, mut bytes) = (String::new(), String::new(), Vec::new());
    loop {
        match form.next_field().await {
            Ok(Some(field)) => match field.name().unwrap_or("") {
                "csrf_token" => token = crate::input::field_text(field).await,
                "alt" => alt = crate::input::field_text(field).await,
                "file" => bytes = field.bytes().await.map(|b| b.to_vec()).unwrap_or_default(),
                _ => {}
            },
            Ok(None) => break,
            Err(_) => {
                let errors = Errors::one("file", "The picture must be 1 MB or smaller");
                return pictures_response(&state, &session, errors, alt, false).await;
            }
        }
    }
    check_upload_token(&token, &session)?;
    match state.app.upload_picture(&actor, &alt, &bytes).await {
        Ok(_) => Ok(Redirect::to("/manage/pictures?done=added").into_response()),
        Err(AppError::Invalid(list)) => {
            pictures_response(&state, &session, Errors::from(list), alt, false).await
        }
        Err(e) => Err(e.into()),
    }
}

/// An uploaded picture. Only PNG and JPEG are accepted, and they are sent with their own type,
/// never sniffed, and with a policy that lets nothing in them run.
async fn picture(State(state): State<AppState>, Path(id): Path<i64>) -> PageResult {
    let (kind, bytes) = state.app.picture(id).await?;
    let headers = [
        (header::CONTENT_TYPE, kind),
        (header::CACHE_CONTROL, "public, max-age=86400".to_owned()),
        (
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; sandbox".to_owned(),
        ),
    ];
    Ok((headers, bytes).into_response())
}
