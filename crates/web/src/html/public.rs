//! The pages anyone can see: what getting involved means (with an Easy Read version), the open
//! opportunities, and the form to ask to get involved, with its thank-you page.

use super::kit::opportunity::Shown;
use super::kit::{
    render, render_with_form_token, Choice, Errors, FormFields, Layout, PageResult, Routes,
};
use crate::error::PageError;
use crate::extract::CsrfForm;
use crate::extract::{ClientAddress, MaybeSession};
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use coproduce_app::enquiries::EnquiryInput;
use coproduce_app::AppError;
use coproduce_domain::opportunities::Opportunity;
use coproduce_domain::opportunities::OpportunityKind;
use coproduce_domain::people::{Channel, Need};
use coproduce_domain::OpportunityId;
use serde::Deserialize;

/// The public routes.
pub(super) fn routes() -> Routes {
    Routes::new()
        .route("/get-involved", get(get_involved))
        .route("/get-involved/easy-read", get(get_involved_easy_read))
        .route("/get-involved/ask", ask_form(false).post(ask))
        .route("/get-involved/ask/easy-read", ask_form(true))
        .route("/get-involved/thank-you", get(thank_you))
        .route("/opportunities", get(list))
        .route("/opportunities/{id}", get(show))
}

#[derive(Template)]
#[template(path = "public/get_involved.html")]
struct GetInvolvedPage {
    layout: Layout,
    kinds: &'static [OpportunityKind],
}

async fn get_involved(State(state): State<AppState>) -> Response {
    render(
        StatusCode::OK,
        &GetInvolvedPage {
            layout: Layout::public(&state, "Get involved", "/get-involved"),
            kinds: OpportunityKind::ALL,
        },
    )
}

#[derive(Template)]
#[template(path = "public/get_involved_easy_read.html")]
struct EasyReadPage {
    layout: Layout,
}

async fn get_involved_easy_read(State(state): State<AppState>) -> Response {
    let mut layout = Layout::public(&state, "Get involved: Easy Read", "/get-involved");
    layout.easy_read = true;
    render(StatusCode::OK, &EasyReadPage { layout })
}

#[derive(Template)]
#[template(path = "public/opportunities.html")]
struct ListPage {
    layout: Layout,
    opportunities: Vec<Shown>,
}

async fn list(State(state): State<AppState>) -> PageResult {
    let rows = state.app.public_opportunities().await?;
    let page = ListPage {
        layout: Layout::public(&state, "Opportunities to get involved", "/opportunities"),
        opportunities: rows.iter().cloned().map(Shown::new).collect(),
    };
    Ok(render(StatusCode::OK, &page))
}

#[derive(Template)]
#[template(path = "public/opportunity.html")]
struct ShowPage {
    layout: Layout,
    s: Shown,
    open: bool,
    staff: bool,
}

async fn show(
    State(state): State<AppState>,
    MaybeSession(session): MaybeSession,
    Path(id): Path<OpportunityId>,
) -> PageResult {
    let (o, open) = state.app.public_opportunity(id).await?;
    // Staff who can manage it get a link to do so.
    let staff = session.is_some_and(|s| {
        coproduce_app::may(
            &s.actor(),
            coproduce_app::Action::EditGroups,
            &coproduce_app::Resource::in_service(coproduce_domain::ServiceId(o.service_id.0)),
        )
    });
    let page = ShowPage {
        layout: Layout::public(&state, o.title.clone(), "/opportunities"),
        s: Shown::new(o),
        open,
        staff,
    };
    Ok(render(StatusCode::OK, &page))
}

#[derive(Template)]
#[template(path = "public/ask.html")]
struct AskPage {
    layout: Layout,
    errors: Errors,
    form: EnquiryInput,
    opportunities: std::sync::Arc<Vec<Opportunity>>,
    channel_choices: Vec<Choice>,
    need_choices: Vec<Choice>,
    csrf_token: String,
}

/// The channels the form offers: those we can use to reply.
const ASK_CHANNELS: &[Channel] = &[
    Channel::Email,
    Channel::Phone,
    Channel::Text,
    Channel::VideoCall,
];

async fn ask_page(
    state: &AppState,
    headers: &HeaderMap,
    staff: Option<&coproduce_app::sign_in::Session>,
    status: StatusCode,
    errors: Errors,
    (mut form, easy_read): (EnquiryInput, bool),
) -> Response {
    let opportunities = state.app.public_opportunities().await.unwrap_or_default();
    // A form sent back with a problem keeps its key, so its time still counts; a key that is
    // missing, not ours, too old or used is replaced.
    if !state
        .app
        .form_key_reusable(&form.form_key)
        .await
        .unwrap_or(false)
    {
        match state.app.new_form_key().await {
            Ok(key) => form.form_key = key,
            Err(e) => return PageError::from(e).into_response(),
        }
    }
    form.website.clear();
    // Staff signed in (taking an enquiry by phone, say) send the form with their own token.
    let mut layout = Layout::public(state, errors.title("Ask to get involved"), "/get-involved");
    layout.easy_read = easy_read;
    let channels = ASK_CHANNELS.iter().map(|c| (c.code(), c.label()));
    let channel_choices = Choice::list(channels, &form.channels);
    let need_choices = Choice::list(Need::ALL.iter().map(|n| (n.code(), n.label())), &form.needs);
    render_with_form_token(state, headers, staff, status, |csrf_token| AskPage {
        layout,
        errors,
        form,
        opportunities,
        channel_choices,
        need_choices,
        csrf_token,
    })
}

#[derive(Deserialize)]
struct AskQuery {
    #[serde(default)]
    opportunity: String,
}

/// The form to ask, standard or (the Easy Read page's way in) Easy Read, with Easy Read ticked
/// as a need.
fn ask_form(easy_read: bool) -> axum::routing::MethodRouter<AppState> {
    get(
        move |State(state): State<AppState>,
              headers: HeaderMap,
              MaybeSession(staff): MaybeSession,
              Query(q): Query<AskQuery>| async move {
            let needs = if easy_read {
                vec![Need::EasyRead.code().to_owned()]
            } else {
                Vec::new()
            };
            let form = EnquiryInput {
                opportunity_id: q.opportunity,
                needs,
                ..EnquiryInput::default()
            };
            let (staff, ok) = (staff.as_ref(), StatusCode::OK);
            ask_page(
                &state,
                &headers,
                staff,
                ok,
                Errors::default(),
                (form, easy_read),
            )
            .await
        },
    )
}

/// Reads the form's fields, several values for the ticked boxes.
fn enquiry_input(pairs: &[(String, String)]) -> EnquiryInput {
    let form = FormFields(pairs);
    let get = |k: &str| form.one(k);
    let all = |k: &str| form.all(k);
    EnquiryInput {
        name: get("name"),
        email: get("email"),
        phone: get("phone"),
        channels: all("channels"),
        best_times: get("best_times"),
        needs: all("needs"),
        needs_notes: get("needs_notes"),
        interests: get("interests"),
        opportunity_id: get("opportunity_id"),
        community_group: get("community_group"),
        consent: get("consent"),
        form_key: get("form_key"),
        website: get("website"),
    }
}

async fn ask(
    State(state): State<AppState>,
    headers: HeaderMap,
    MaybeSession(staff): MaybeSession,
    ClientAddress(address): ClientAddress,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Response {
    let input = enquiry_input(&pairs);
    // The Easy Read form comes back as itself, and thanks in Easy Read.
    let easy_read = FormFields(&pairs).one("easy_read") == "yes";
    match state.app.submit_enquiry(&input, &address).await {
        Ok(r) => Redirect::to(&format!(
            "/get-involved/thank-you?by={}&email={}{}",
            r.respond_by,
            u8::from(r.confirmation),
            if easy_read { "&easy_read=1" } else { "" }
        ))
        .into_response(),
        Err(AppError::Invalid(list)) => {
            ask_page(
                &state,
                &headers,
                staff.as_ref(),
                StatusCode::BAD_REQUEST,
                Errors::from(list),
                (input, easy_read),
            )
            .await
        }
        Err(AppError::Throttled) => {
            let errors = Errors::one(
                "form",
                "We have had a lot of requests from your internet connection in the last hour, so we could not take this one. Your answers are still here: please try again in an hour, or email or phone the participation team.",
            );
            ask_page(
                &state,
                &headers,
                staff.as_ref(),
                StatusCode::TOO_MANY_REQUESTS,
                errors,
                (input, easy_read),
            )
            .await
        }
        Err(e) => PageError::from(e).into_response(),
    }
}

#[derive(Template)]
#[template(path = "public/thank_you.html")]
struct ThankYouPage {
    layout: Layout,
    by: String,
    email: bool,
}

#[derive(Deserialize)]
struct ThankYouQuery {
    #[serde(default)]
    by: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    easy_read: String,
}

async fn thank_you(State(state): State<AppState>, Query(q): Query<ThankYouQuery>) -> Response {
    let by = chrono::NaiveDate::parse_from_str(&q.by, "%Y-%m-%d")
        .map(|d| d.format("%A %-d %B %Y").to_string())
        .unwrap_or_else(|_| "within 5 working days".to_owned());
    let title = "Thank you for asking to get involved";
    let mut layout = Layout::public(&state, title, "/get-involved");
    layout.easy_read = q.easy_read == "1";
    render(
        StatusCode::OK,
        &ThankYouPage {
            layout,
            by,
            email: q.email == "1",
        },
    )
}
