//! The participation team's enquiry queue: new enquiries by the date they should be answered
//! by, and each enquiry's page, where it is assigned, the welcome call recorded, and it is
//! turned into a person or closed with a reason.

use super::kit::{date_text, uk, Phone, Routes};
use super::kit::{render, Errors, Layout, PageResult};
use crate::extract::{CsrfForm, Staff};
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use axum::routing::{get, post, MethodRouter};
use coproduce_app::enquiries::EnquiryAction;
use coproduce_app::sign_in::Session;
use coproduce_app::staff::StaffSummary;
use coproduce_app::AppError;
use coproduce_domain::enquiries::EnquiryStatus;
use coproduce_domain::enquiries::{Enquiry, Match};
use coproduce_domain::people::{parse_list, Channel, Need};
use coproduce_domain::services::Service;
use coproduce_domain::EnquiryId;
use serde::Deserialize;

/// The enquiry routes.
pub(super) fn routes() -> Routes {
    Routes::new()
        .route("/enquiries", get(list))
        .route("/enquiries/{id}", get(show))
        .route("/enquiries/{id}/assign", step(Step::Assign))
        .route("/enquiries/{id}/welcome-call", step(Step::WelcomeCall))
        .route("/enquiries/{id}/convert", post(convert))
        .route("/enquiries/{id}/close", step(Step::Close))
}

struct Line {
    e: Enquiry,
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

async fn list(Staff(state, session, actor): Staff, Query(q): Query<ListQuery>) -> PageResult {
    let status = EnquiryStatus::parse(&q.status).unwrap_or(EnquiryStatus::New);
    let found = state.app.enquiries(&actor, status.code()).await?;
    let lines: Vec<Line> = found
        .rows
        .into_iter()
        .map(|e| Line {
            received: uk(e.created_at),
            respond_by: date_text(&e.respond_by),
            overdue: e.status == EnquiryStatus::New && e.respond_by < found.today,
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
    Ok(render(StatusCode::OK, &page))
}

#[derive(Template)]
#[template(path = "enquiries/show.html")]
struct ShowPage {
    layout: Layout,
    errors: Errors,
    e: Enquiry,
    phone: Option<Phone>,
    received: String,
    respond_by: String,
    overdue: bool,
    channels: Vec<&'static str>,
    needs: Vec<&'static str>,
    welcome_call: String,
    staff: Vec<StaffSummary>,
    services: Vec<Service>,
    matches: Vec<Match>,
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
    id: EnquiryId,
    errors: Errors,
    form: Option<EnquiryAction>,
    notice: &'static str,
) -> PageResult {
    let who = session.actor();
    let e = state.app.view_enquiry(&who, id).await?;
    let staff = state
        .app
        .list_staff(&who)
        .await
        .unwrap_or_default()
        .into_iter()
        .filter(|s| !s.disabled)
        .collect();
    let services = state.app.services().await.unwrap_or_default();
    let matches = if e.status == EnquiryStatus::New {
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
        phone: Phone::of(e.phone.as_deref()),
        received: uk(e.created_at),
        respond_by: date_text(&e.respond_by),
        overdue: e.status == EnquiryStatus::New
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
    Ok(render(status, &page))
}

async fn show(
    Staff(state, session, _): Staff,
    Path(id): Path<EnquiryId>,
    Query(q): Query<ShowQuery>,
) -> PageResult {
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
    id: EnquiryId,
    result: Result<(), AppError>,
    done: &str,
    field: &'static str,
    form: EnquiryAction,
) -> PageResult {
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/enquiries/{id}?done={done}")).into_response()),
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
        Err(e) => Err(e.into()),
    }
}

/// The actions that come back to the enquiry's page.
#[derive(Clone, Copy)]
enum Step {
    Assign,
    WelcomeCall,
    Close,
}

/// The route for a step: the same form, a use case each, and what the page then says.
fn step(step: Step) -> MethodRouter<AppState> {
    type Form = CsrfForm<EnquiryAction>;
    post(
        move |staff: Staff, Path(id): Path<EnquiryId>, CsrfForm(form): Form| {
            take_step(step, staff, id, form)
        },
    )
}

async fn take_step(
    step: Step,
    Staff(state, session, actor): Staff,
    id: EnquiryId,
    form: EnquiryAction,
) -> PageResult {
    let app = &state.app;
    let (result, done, field) = match step {
        Step::Assign => (
            app.assign_enquiry(&actor, id, &form).await,
            "assign",
            "staff_id",
        ),
        Step::WelcomeCall => {
            let result = app.record_welcome_call(&actor, id, &form).await;
            (result, "welcome_call", "notes")
        }
        Step::Close => (
            app.close_enquiry(&actor, id, &form).await,
            "close",
            "reason",
        ),
    };
    after(&state, &session, id, result, done, field, form).await
}

async fn convert(
    Staff(state, session, actor): Staff,
    Path(id): Path<EnquiryId>,
    CsrfForm(form): CsrfForm<EnquiryAction>,
) -> PageResult {
    match state.app.convert_enquiry(&actor, id, &form).await {
        Ok(person) => Ok(Redirect::to(&format!("/people/{person}?saved=1")).into_response()),
        Err(e) => after(&state, &session, id, Err(e), "", "service_id", form).await,
    }
}
