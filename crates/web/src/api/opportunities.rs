//! Opportunities and who is interested in them, as JSON.

use super::extract::{ApiActor, ApiJson, ApiPath};
use super::kit::{codes, Page};
use crate::error::{ApiError, Problem};
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use coproduce_app::opportunities::OpportunityInput;
use coproduce_domain::easy_read;
use coproduce_domain::opportunities as record;
use coproduce_domain::OpportunityId;
use coproduce_domain::PersonId;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// One sentence of an Easy Read summary and its picture.
#[derive(Debug, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[serde(default)]
pub struct EasyReadLine {
    /// A built-in picture's name (see the README), `upload:ID`, or empty for none.
    pub picture: String,
    /// The sentence.
    pub text: String,
}

/// A role to fill.
#[derive(Debug, Serialize, ToSchema)]
pub struct Opportunity {
    /// Id.
    pub id: i64,
    /// Title.
    pub title: String,
    /// `training_delivery`, `recruitment_panel`, `environment_review`, `reading_panel`,
    /// `focus_group`, `co_design_workshop` or `other`.
    pub kind: String,
    /// Its service.
    pub service_id: i64,
    /// The first day, `YYYY-MM-DD`.
    pub starts_on: String,
    /// Start time, `HH:MM`, or empty.
    pub start_time: String,
    /// End time, `HH:MM`, or empty.
    pub end_time: String,
    /// Further dates, in words.
    pub dates_note: String,
    /// `online`, `phone` or `venue`.
    pub place: String,
    /// The venue.
    pub venue: String,
    /// Access information.
    pub access_info: String,
    /// Places.
    pub places: i64,
    /// What is asked of people.
    pub asked: String,
    /// Support codes: `training`, `buddy`, `pre_meeting`.
    pub support: Vec<String>,
    /// More about the support.
    pub support_notes: String,
    /// Requirement codes: `training_done`, `dbs`, `adult`.
    pub requirements: Vec<String>,
    /// Payment terms.
    pub payment: String,
    /// The last day to ask, `YYYY-MM-DD`.
    pub closes_on: String,
    /// Plain-English description.
    pub description: String,
    /// The Easy Read summary.
    pub easy_read: Vec<EasyReadLine>,
    /// `draft`, `involved` or `public`.
    pub visibility: String,
    /// Hours taking part counts for.
    pub hours: f64,
    /// How many are confirmed.
    pub confirmed: i64,
    /// How many are interested or selected.
    pub interested: i64,
    /// Version.
    pub version: i64,
}

fn of_row(o: record::Opportunity) -> Opportunity {
    Opportunity {
        id: o.id.0,
        title: o.title,
        kind: o.kind.code().to_owned(),
        service_id: o.service_id.0,
        starts_on: o.starts_on,
        start_time: o.start_time,
        end_time: o.end_time,
        dates_note: o.dates_note,
        place: o.place.code().to_owned(),
        venue: o.venue,
        access_info: o.access_info,
        places: o.places,
        asked: o.asked,
        support: codes(&o.support),
        support_notes: o.support_notes,
        requirements: codes(&o.requirements),
        payment: o.payment,
        closes_on: o.closes_on,
        description: o.description,
        easy_read: easy_read::parse(&o.easy_read)
            .into_iter()
            .map(|l| EasyReadLine {
                picture: l.picture,
                text: l.text,
            })
            .collect(),
        visibility: o.visibility.code().to_owned(),
        hours: o.minutes as f64 / 60.0,
        confirmed: o.confirmed,
        interested: o.interested,
        version: o.version,
    }
}

/// The opportunities you work on (your services', for service staff).
#[utoipa::path(get, path = "/api/v1/opportunities", tag = "opportunities", operation_id = "list_opportunities", security(("bearer" = [])),
    responses((status = 200, body = Page<Opportunity>)))]
pub async fn list(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
) -> Result<Json<Page<Opportunity>>, ApiError> {
    let items = state
        .app
        .staff_opportunities(&actor)
        .await?
        .into_iter()
        .map(of_row)
        .collect();
    Ok(Page::whole(items))
}

/// One opportunity you work on.
#[utoipa::path(get, path = "/api/v1/opportunities/{id}", tag = "opportunities", params(("id" = i64, Path, description = "The opportunity's id")),
    security(("bearer" = [])),
    responses((status = 200, body = Opportunity), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn show(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<OpportunityId>,
) -> Result<Json<Opportunity>, ApiError> {
    let view = state.app.view_opportunity(&actor, id).await?;
    Ok(Json(of_row(view.opportunity)))
}

/// An opportunity's fields when adding one.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[serde(default)]
pub struct OpportunityFields {
    /// Title.
    pub title: String,
    /// Kind code.
    pub kind: String,
    /// Its service.
    pub service_id: i64,
    /// The first day, `YYYY-MM-DD`.
    pub starts_on: String,
    /// Start time, `HH:MM`.
    pub start_time: String,
    /// End time, `HH:MM`.
    pub end_time: String,
    /// Further dates, in words.
    pub dates_note: String,
    /// `online`, `phone` or `venue`.
    pub place: String,
    /// The venue (needed for `venue`).
    pub venue: String,
    /// Access information.
    pub access_info: String,
    /// Places, 1 to 500.
    pub places: i64,
    /// What is asked of people.
    pub asked: String,
    /// Support codes.
    pub support: Vec<String>,
    /// More about the support.
    pub support_notes: String,
    /// Requirement codes.
    pub requirements: Vec<String>,
    /// Payment terms.
    pub payment: String,
    /// The last day to ask, `YYYY-MM-DD`, on or before `starts_on`.
    pub closes_on: String,
    /// Plain-English description.
    pub description: String,
    /// The Easy Read summary: at most 12 sentences.
    pub easy_read: Vec<EasyReadLine>,
    /// `draft`, `involved` or `public`.
    pub visibility: String,
    /// Hours taking part counts for.
    pub hours: f64,
}

/// Adds an opportunity.
#[utoipa::path(post, path = "/api/v1/opportunities", tag = "opportunities", operation_id = "create_opportunity", request_body = OpportunityFields, security(("bearer" = [])),
    responses((status = 201, body = Opportunity), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn create(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiJson(b): ApiJson<OpportunityFields>,
) -> Result<(StatusCode, Json<Opportunity>), ApiError> {
    let input = OpportunityInput {
        title: b.title,
        kind: b.kind,
        service_id: b.service_id.to_string(),
        starts_on: b.starts_on,
        start_time: b.start_time,
        end_time: b.end_time,
        dates_note: b.dates_note,
        place: b.place,
        venue: b.venue,
        access_info: b.access_info,
        places: b.places.to_string(),
        asked: b.asked,
        support: b.support,
        support_notes: b.support_notes,
        requirements: b.requirements,
        payment: b.payment,
        closes_on: b.closes_on,
        description: b.description,
        easy_read: b
            .easy_read
            .into_iter()
            .map(|l| easy_read::Line {
                picture: l.picture,
                text: l.text,
            })
            .collect(),
        visibility: b.visibility,
        hours: if b.hours != 0.0 {
            b.hours.to_string()
        } else {
            String::new()
        },
        version: 0,
    };
    let id = state.app.create_opportunity(&actor, &input).await?;
    let v = state.app.view_opportunity(&actor, id).await?;
    Ok((StatusCode::CREATED, Json(of_row(v.opportunity))))
}

/// A person's place in an opportunity.
#[derive(Debug, Serialize, ToSchema)]
pub struct Interest {
    /// The person.
    pub person_id: i64,
    /// Their name.
    pub name: String,
    /// `invited`, `interested`, `selected`, `waiting`, `confirmed`, `declined` or `withdrawn`.
    pub stage: String,
}

/// Everyone invited to, interested in, selected for, waiting for or confirmed on an opportunity.
#[utoipa::path(get, path = "/api/v1/opportunities/{id}/interest", tag = "opportunities", operation_id = "list_interest",
    params(("id" = i64, Path, description = "The opportunity's id")), security(("bearer" = [])),
    responses((status = 200, body = Page<Interest>), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn interest(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<OpportunityId>,
) -> Result<Json<Page<Interest>>, ApiError> {
    let v = state.app.view_opportunity(&actor, id).await?;
    Ok(Page::whole(
        v.people
            .into_iter()
            .map(|p| Interest {
                person_id: p.person_id.0,
                name: p.name,
                stage: p.status.code().to_owned(),
            })
            .collect(),
    ))
}

/// Moving a person to a stage.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[serde(default)]
pub struct InterestFields {
    /// The person.
    pub person_id: i64,
    /// The stage (default `interested`). `confirmed` needs a free place and records their
    /// involvement; `invited` sends them an invitation.
    pub stage: Option<String>,
}

/// Records a person's interest in an opportunity, or moves them to another stage.
#[utoipa::path(post, path = "/api/v1/opportunities/{id}/interest", tag = "opportunities", operation_id = "set_interest",
    params(("id" = i64, Path, description = "The opportunity's id")), request_body = InterestFields, security(("bearer" = [])),
    responses((status = 200, body = Page<Interest>), (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn set_interest(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<OpportunityId>,
    ApiJson(b): ApiJson<InterestFields>,
) -> Result<Json<Page<Interest>>, ApiError> {
    let stage = b.stage.unwrap_or_else(|| "interested".to_owned());
    state
        .app
        .set_opportunity_stage(&actor, id, PersonId(b.person_id), &stage)
        .await?;
    interest(State(state), ApiActor(actor), ApiPath(id)).await
}
