//! The participation team's enquiry queue: new enquiries by the date they should be answered
//! by, and each enquiry's page, where it is assigned, the welcome call recorded, and it is
//! turned into a person or closed with a reason.

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
use axum::routing::{get, post};
use coproduce_app::enquiries::{EnquiryAction, EnquiryRow, MatchRow};
use coproduce_app::people::ServiceRow;
use coproduce_app::sign_in::Session;
use coproduce_app::staff::StaffSummary;
use coproduce_app::AppError;
use coproduce_domain::enquiries::EnquiryStatus;
use coproduce_domain::people::{parse_list, Channel, Need};
use serde::Deserialize;

/// The enquiry routes.
pub(super) fn routes() -> Routes {
    Routes::new()
        .route("/enquiries", get(list))
        .route("/enquiries/{id}", get(show))
        .route("/enquiries/{id}/assign", post(assign))
        .route("/enquiries/{id}/welcome-call", post(welcome_call))
        .route("/enquiries/{id}/convert", post(convert))
        .route("/enquiries/{id}/close", post(close))
}

struct Line {
    e: EnquiryRow,
    received: String,
    respond_by: String,
    overdue: bool,
}

#[derive(Template)]
#[template(path = "enquiries/list.html")]
struct ListPage {
    layout: Layout,
    status: EnquiryStatus,
    statuses: Vec<(EnquiryStatus, i64)>,
    lines: Vec<Line>,
    overdue: usize,
}

#[derive(Deserialize)]
struct ListQuery {
    #[serde(default)]
    status: String,
}

async fn list(
    State(state): State<AppState>,
    SignedIn(session, actor): SignedIn,
    Query(q): Query<ListQuery>,
) -> Response {
    let status = EnquiryStatus::parse(&q.status).unwrap_or(EnquiryStatus::New);
    let found = match state.app.enquiries(&actor, status.code()).await {
        Ok(f) => f,
        Err(e) => return PageError::from(e).into_response(),
    };
    let lines: Vec<Line> = found
        .rows
        .into_iter()
        .map(|e| Line {
            received: uk(e.created_at),
            respond_by: date_text(&e.respond_by),
            overdue: e.status == "new" && e.respond_by < found.today,
            e,
        })
        .collect();
    let page = ListPage {
        layout: Layout::new(&state, Some(&session), "Enquiries", "/enquiries"),
        status,
        statuses: EnquiryStatus::ALL
            .iter()
            .copied()
            .zip(found.counts)
            .collect(),
        overdue: lines.iter().filter(|l| l.overdue).count(),
        lines,
    };
    render(StatusCode::OK, &page)
}

#[derive(Template)]
#[template(path = "enquiries/show.html")]
struct ShowPage {
    layout: Layout,
    errors: Errors,
    e: EnquiryRow,
    received: String,
    respond_by: String,
    overdue: bool,
    channels: Vec<&'static str>,
    needs: Vec<&'static str>,
    welcome_call: String,
    staff: Vec<StaffSummary>,
    services: Vec<ServiceRow>,
    matches: Vec<MatchRow>,
    form: EnquiryAction,
    notice: &'static str,
    csrf_token: String,
}

#[derive(Deserialize)]
struct ShowQuery {
    #[serde(default)]
    done: String,
}

async fn page(
    state: &AppState,
    session: &Session,
    id: i64,
    errors: Errors,
    form: Option<EnquiryAction>,
    notice: &'static str,
) -> Response {
    let who = session.actor();
    let e = match state.app.view_enquiry(&who, id).await {
        Ok(e) => e,
        Err(e) => return PageError::from(e).into_response(),
    };
    let staff = state
        .app
        .list_staff(&who)
        .await
        .unwrap_or_default()
        .into_iter()
        .filter(|s| !s.disabled)
        .collect();
    let services = state.app.services().await.unwrap_or_default();
    let matches = if e.status == "new" {
        state
            .app
            .enquiry_matches(&who, id)
            .await
            .unwrap_or_default()
    } else {
        Vec::new()
    };
    let today = state.app.now_for_display();
    let mut form = form.unwrap_or_default();
    form.version = e.version;
    if form.staff_id.is_empty() {
        form.staff_id = e.assigned_to.map(|s| s.to_string()).unwrap_or_default();
    }
    let status = errors.status();
    let page = ShowPage {
        layout: Layout::new(
            state,
            Some(session),
            errors.title(e.name.clone()),
            "/enquiries",
        ),
        received: uk(e.created_at),
        respond_by: date_text(&e.respond_by),
        overdue: e.status == "new"
            && e.respond_by < coproduce_domain::time::uk_day(today).to_string(),
        channels: parse_list(&e.channels, Channel::parse)
            .into_iter()
            .map(Channel::label)
            .collect(),
        needs: parse_list(&e.needs, Need::parse)
            .into_iter()
            .map(Need::label)
            .collect(),
        welcome_call: e.welcome_call_at.map(uk).unwrap_or_default(),
        errors,
        e,
        staff,
        services,
        matches,
        form,
        notice,
        csrf_token: session.csrf_token.clone(),
    };
    render(status, &page)
}

async fn show(
    State(state): State<AppState>,
    SignedIn(session, _): SignedIn,
    Path(id): Path<i64>,
    Query(q): Query<ShowQuery>,
) -> Response {
    let notice = match q.done.as_str() {
        "assign" => "Saved who is dealing with this enquiry.",
        "welcome_call" => "The welcome call is recorded.",
        "close" => "The enquiry is closed.",
        _ => "",
    };
    page(&state, &session, id, Errors::default(), None, notice).await
}

/// The fields the enquiry page has, which a problem can be shown against.
const ON_THE_PAGE: &[&str] = &["staff_id", "notes", "service_id", "person_id", "reason"];

/// What a failed action shows: the problems, or for a stale page, what changed.
async fn after(
    state: &AppState,
    session: &Session,
    id: i64,
    result: Result<(), AppError>,
    done: &str,
    field: &'static str,
    form: EnquiryAction,
) -> Response {
    match result {
        Ok(()) => Redirect::to(&format!("/enquiries/{id}?done={done}")).into_response(),
        Err(AppError::Invalid(list)) => {
            // Each problem is shown against a field on the page.
            let list = list
                .into_iter()
                .map(|mut f| {
                    if !ON_THE_PAGE.contains(&f.field) {
                        f.field = field;
                    }
                    f
                })
                .collect();
            page(state, session, id, Errors::from(list), Some(form), "").await
        }
        Err(AppError::Conflict { .. }) => {
            let errors = Errors::one(
                "status",
                "Someone else changed this enquiry while you were looking at it. Check it below and try again.",
            );
            page(state, session, id, errors, Some(form), "").await
        }
        Err(e) => PageError::from(e).into_response(),
    }
}

async fn assign(
    State(state): State<AppState>,
    SignedIn(session, actor): SignedIn,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<EnquiryAction>,
) -> Response {
    let result = state.app.assign_enquiry(&actor, id, &form).await;
    after(&state, &session, id, result, "assign", "staff_id", form).await
}

async fn welcome_call(
    State(state): State<AppState>,
    SignedIn(session, actor): SignedIn,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<EnquiryAction>,
) -> Response {
    let result = state.app.record_welcome_call(&actor, id, &form).await;
    after(&state, &session, id, result, "welcome_call", "notes", form).await
}

async fn close(
    State(state): State<AppState>,
    SignedIn(session, actor): SignedIn,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<EnquiryAction>,
) -> Response {
    let result = state.app.close_enquiry(&actor, id, &form).await;
    after(&state, &session, id, result, "close", "reason", form).await
}

async fn convert(
    State(state): State<AppState>,
    SignedIn(session, actor): SignedIn,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<EnquiryAction>,
) -> Response {
    match state.app.convert_enquiry(&actor, id, &form).await {
        Ok(person) => Redirect::to(&format!("/people/{person}?saved=1")).into_response(),
        Err(e) => after(&state, &session, id, Err(e), "", "service_id", form).await,
    }
}
