//! Enquiries from the public, as JSON.

use super::extract::{ApiActor, ApiJson, ApiPath, ApiQuery};
use super::kit::{codes, Page};
use crate::error::{ApiError, Problem};
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use coproduce_app::enquiries::EnquiryInput;
use coproduce_domain::enquiries as record;
use coproduce_domain::EnquiryId;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// An enquiry and what the team has done with it.
#[derive(Debug, Serialize, ToSchema)]
pub struct Enquiry {
    /// Id.
    pub id: i64,
    /// Their name.
    pub name: String,
    /// Email address.
    pub email: Option<String>,
    /// Phone number.
    pub phone: Option<String>,
    /// Channel codes, most preferred first.
    pub channels: Vec<String>,
    /// When is best to contact them.
    pub best_times: String,
    /// Need codes.
    pub needs: Vec<String>,
    /// Anything else about their needs.
    pub needs_notes: String,
    /// What they are interested in.
    pub interests: String,
    /// The opportunity they asked about.
    pub opportunity_id: Option<i64>,
    /// Their community group.
    pub community_group: String,
    /// `new`, `converted` or `closed`.
    pub status: String,
    /// The staff member dealing with it.
    pub assigned_to: Option<i64>,
    /// When the welcome call was, in milliseconds since 1970 (UTC).
    pub welcome_call_at: Option<i64>,
    /// What was said on it.
    pub welcome_call_notes: String,
    /// The person it became.
    pub person_id: Option<i64>,
    /// Why it was closed.
    pub closed_reason: String,
    /// The date to reply by, `YYYY-MM-DD`.
    pub respond_by: String,
    /// When it came in, in milliseconds since 1970 (UTC).
    pub created_at: i64,
    /// Version.
    pub version: i64,
    /// Sent back from the public form sooner than a person could type it: held for review, and
    /// sent no confirmation.
    pub sent_quickly: bool,
}

fn of_row(e: record::Enquiry) -> Enquiry {
    Enquiry {
        id: e.id.0,
        name: e.name,
        email: e.email,
        phone: e.phone,
        channels: codes(&e.channels),
        best_times: e.best_times,
        needs: codes(&e.needs),
        needs_notes: e.needs_notes,
        interests: e.interests,
        opportunity_id: e.opportunity_id.map(|v| v.0),
        community_group: e.community_group,
        status: e.status.code().to_owned(),
        assigned_to: e.assigned_to.map(|v| v.0),
        welcome_call_at: e.welcome_call_at,
        welcome_call_notes: e.welcome_call_notes,
        person_id: e.person_id.map(|v| v.0),
        closed_reason: e.closed_reason,
        respond_by: e.respond_by,
        created_at: e.created_at,
        version: e.version,
        sent_quickly: e.sent_quickly,
    }
}

/// Which enquiries to list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct EnquiryQuery {
    /// `new` (the default: waiting, soonest due first), `converted` or `closed`.
    pub status: String,
}

/// Enquiries in one status.
#[utoipa::path(get, path = "/api/v1/enquiries", tag = "enquiries", operation_id = "list_enquiries", params(EnquiryQuery), security(("bearer" = [])),
    responses((status = 200, body = Page<Enquiry>)))]
pub async fn list(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiQuery(q): ApiQuery<EnquiryQuery>,
) -> Result<Json<Page<Enquiry>>, ApiError> {
    let found = state.app.enquiries(&actor, &q.status).await?;
    Ok(Page::whole(found.rows.into_iter().map(of_row).collect()))
}

/// One enquiry.
#[utoipa::path(get, path = "/api/v1/enquiries/{id}", tag = "enquiries", operation_id = "show_enquiry",
    params(("id" = i64, Path, description = "The enquiry's id")), security(("bearer" = [])),
    responses((status = 200, body = Enquiry), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn show(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<EnquiryId>,
) -> Result<Json<Enquiry>, ApiError> {
    Ok(Json(of_row(state.app.view_enquiry(&actor, id).await?)))
}

/// An enquiry that came another way: a phone call, or a partner's website.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[serde(default)]
pub struct EnquiryFields {
    /// Their name.
    pub name: String,
    /// Email address (this or a phone number is needed).
    pub email: String,
    /// Phone number.
    pub phone: String,
    /// Channel codes, most preferred first.
    pub channels: Vec<String>,
    /// When is best to contact them.
    pub best_times: String,
    /// Need codes.
    pub needs: Vec<String>,
    /// Anything else about their needs.
    pub needs_notes: String,
    /// What they are interested in.
    pub interests: String,
    /// A public opportunity they asked about.
    pub opportunity_id: Option<i64>,
    /// Their community group.
    pub community_group: String,
    /// That they agreed to us holding their details: must be true.
    pub consent: bool,
    /// The same on every retry: a second request with it records nothing new.
    pub idempotency_key: String,
}

/// Records an enquiry. An email address gets a confirmation.
#[utoipa::path(post, path = "/api/v1/enquiries", tag = "enquiries", operation_id = "create_enquiry", request_body = EnquiryFields, security(("bearer" = [])),
    responses((status = 201, body = Enquiry), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn create(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiJson(b): ApiJson<EnquiryFields>,
) -> Result<(StatusCode, Json<Enquiry>), ApiError> {
    let input = EnquiryInput {
        name: b.name,
        email: b.email,
        phone: b.phone,
        channels: b.channels,
        best_times: b.best_times,
        needs: b.needs,
        needs_notes: b.needs_notes,
        interests: b.interests,
        opportunity_id: b.opportunity_id.map(|o| o.to_string()).unwrap_or_default(),
        community_group: b.community_group,
        consent: if b.consent {
            "yes".into()
        } else {
            String::new()
        },
        form_key: b.idempotency_key,
        website: String::new(),
    };
    let received = state.app.record_enquiry(&actor, &input).await?;
    let row = state
        .app
        .view_enquiry(&actor, EnquiryId(received.id))
        .await?;
    Ok((StatusCode::CREATED, Json(of_row(row))))
}
