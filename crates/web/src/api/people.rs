//! People, their contacts, services and the keep-in-touch queue, as JSON.

use super::extract::{ApiActor, ApiJson, ApiPath, ApiQuery};
use super::kit::{codes, Page};
use crate::error::{ApiError, Problem};
use crate::AppState;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use coproduce_app::people::{
    ContactInput, Person as Record, PersonInput, PersonPatch, PersonView, QueueInput, SearchInput,
};
use coproduce_domain::relationships as record;
use coproduce_domain::PersonId;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// A person taking part.
#[derive(Debug, Serialize, ToSchema)]
pub struct Person {
    /// Id.
    pub id: i64,
    /// Full name.
    pub name: String,
    /// What they like to be called.
    pub preferred_name: String,
    /// Pronouns.
    pub pronouns: String,
    /// Date of birth, `YYYY-MM-DD`.
    pub date_of_birth: Option<String>,
    /// Email address.
    pub email: Option<String>,
    /// UK phone number, national digits.
    pub phone: Option<String>,
    /// Postal address without the postcode.
    pub address: String,
    /// Postcode.
    pub postcode: Option<String>,
    /// `enquiry`, `onboarding`, `active`, `paused` or `left`.
    pub status: String,
    /// Ways to reach them, first choice first: `phone`, `video_call`, `email`, `text`, `letter`, `in_person`.
    pub channels: Vec<String>,
    /// Best times to reach them.
    pub best_times: String,
    /// Communication and access needs: `easy_read`, `large_print`, `bsl_interpreter`, `interpreter`,
    /// `hearing_loop`, `supporter`, `step_free`, `breaks`, `other`.
    pub needs: Vec<String>,
    /// The language an interpreter is needed for.
    pub interpreter_language: String,
    /// Anything else about their needs.
    pub needs_notes: String,
    /// The partner organisation they came through.
    pub partner_id: Option<i64>,
    /// The services they have a relationship with (on single-person answers).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service_ids: Option<Vec<i64>>,
    /// Send this back with a change; a stale one gets 409.
    pub version: i64,
}

impl Person {
    fn from_row(p: Record, service_ids: Option<Vec<i64>>) -> Person {
        Person {
            id: p.id.0,
            channels: p.channels.iter().map(|c| c.code().to_owned()).collect(),
            needs: p.needs.iter().map(|n| n.code().to_owned()).collect(),
            name: p.name,
            preferred_name: p.preferred_name,
            pronouns: p.pronouns,
            date_of_birth: p.date_of_birth.map(|d| d.to_string()),
            email: p.email,
            phone: p.phone,
            address: p.address,
            postcode: p.postcode,
            status: p.status.code().to_owned(),
            best_times: p.best_times,
            interpreter_language: p.interpreter_language,
            needs_notes: p.needs_notes,
            partner_id: p.partner_id.map(|id| id.0),
            service_ids,
            version: p.version,
        }
    }

    fn from_view(v: PersonView) -> Person {
        let ids = v.relationships.iter().map(|r| r.service_id.0).collect();
        Person::from_row(v.person, Some(ids))
    }
}

/// One logged contact.
#[derive(Debug, Serialize, ToSchema)]
pub struct Contact {
    /// Id.
    pub id: i64,
    /// The person.
    pub person_id: i64,
    /// The relationship it counts towards.
    pub relationship_id: Option<i64>,
    /// `phone`, `video_call`, `email`, `text`, `letter` or `in_person`.
    pub channel: String,
    /// `outbound`, `inbound`, `meeting` or `message`.
    pub direction: String,
    /// What was said.
    pub summary: String,
    /// When, as UTC milliseconds since the Unix epoch.
    pub occurred_at: i64,
    /// A date to follow up, `YYYY-MM-DD`.
    pub follow_up_on: Option<String>,
    /// The staff member who logged it.
    pub staff_id: Option<i64>,
}

impl From<record::Contact> for Contact {
    fn from(c: record::Contact) -> Contact {
        Contact {
            id: c.id,
            person_id: c.person_id.0,
            relationship_id: c.relationship_id.map(|v| v.0),
            channel: c.channel.code().to_owned(),
            direction: c.direction.code().to_owned(),
            summary: c.summary,
            occurred_at: c.occurred_at,
            follow_up_on: c.follow_up_on,
            staff_id: c.staff_id.map(|v| v.0),
        }
    }
}

/// A row of the keep-in-touch queue.
#[derive(Debug, Serialize, ToSchema)]
pub struct QueueItem {
    /// The relationship.
    pub relationship_id: i64,
    /// The person.
    pub person_id: i64,
    /// Their name.
    pub name: String,
    /// Their service.
    pub service_name: String,
    /// The group, when the relationship is with one of the service's groups.
    pub group_name: Option<String>,
    /// The named contact.
    pub staff_contact_id: Option<i64>,
    /// Ways to reach them, first choice first.
    pub channels: Vec<String>,
    /// Their communication and access needs.
    pub needs: Vec<String>,
    /// When the last contact was, UTC milliseconds.
    pub last_contact_at: Option<i64>,
    /// When the next is due, UTC milliseconds.
    pub due_at: i64,
}

/// Search filters for people.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PeopleQuery {
    /// Words to find in name, email or phone.
    pub q: Option<String>,
    /// A service id.
    pub service: Option<i64>,
    /// A status.
    pub status: Option<String>,
    /// A tag.
    pub tag: Option<String>,
    /// Only people overdue a contact.
    pub overdue: Option<bool>,
    /// Where the page starts (from `next_cursor`).
    pub cursor: Option<String>,
}

/// Finds people in the token's scope, by name, a page at a time.
#[utoipa::path(get, path = "/api/v1/people", tag = "people", params(PeopleQuery), security(("bearer" = [])),
    responses((status = 200, body = Page<Person>), (status = 401, body = Problem, content_type = "application/problem+json"),
              (status = 403, body = Problem, content_type = "application/problem+json")))]
pub async fn list(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiQuery(q): ApiQuery<PeopleQuery>,
) -> Result<Json<Page<Person>>, ApiError> {
    let input = SearchInput {
        q: q.q.unwrap_or_default(),
        service: q.service.map(|s| s.to_string()).unwrap_or_default(),
        status: q.status.unwrap_or_default(),
        tag: q.tag.unwrap_or_default(),
        overdue: q.overdue.unwrap_or(false),
        cursor: q.cursor.unwrap_or_default(),
    };
    let page = state.app.search_people(&actor, &input).await?;
    Ok(Json(Page {
        items: page
            .people
            .into_iter()
            .map(|p| Person::from_row(p, None))
            .collect(),
        next_cursor: page.next_cursor,
    }))
}

/// A new person, and the service they first work with.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[serde(default)]
pub struct NewPerson {
    /// Full name.
    pub name: String,
    /// What they like to be called.
    pub preferred_name: String,
    /// Pronouns.
    pub pronouns: String,
    /// Date of birth, `YYYY-MM-DD`.
    pub date_of_birth: String,
    /// Email address.
    pub email: String,
    /// UK phone number.
    pub phone: String,
    /// Postal address.
    pub address: String,
    /// Postcode.
    pub postcode: String,
    /// Status (default `active`).
    pub status: String,
    /// Ways to reach them, first choice first.
    pub channels: Vec<String>,
    /// Best times.
    pub best_times: String,
    /// Needs.
    pub needs: Vec<String>,
    /// Interpreter language.
    pub interpreter_language: String,
    /// Notes about needs.
    pub needs_notes: String,
    /// The partner organisation they came through.
    pub partner_id: Option<i64>,
    /// The service they first work with.
    pub service_id: i64,
}

impl NewPerson {
    fn input(self) -> PersonInput {
        PersonInput {
            name: self.name,
            preferred_name: self.preferred_name,
            pronouns: self.pronouns,
            date_of_birth: self.date_of_birth,
            email: self.email,
            phone: self.phone,
            address: self.address,
            postcode: self.postcode,
            status: self.status,
            channels: self.channels,
            best_times: self.best_times,
            needs: self.needs,
            interpreter_language: self.interpreter_language,
            needs_notes: self.needs_notes,
            partner_id: self.partner_id.map(|p| p.to_string()).unwrap_or_default(),
            ..PersonInput::default()
        }
    }
}

/// Adds a person with a first relationship with a service.
#[utoipa::path(post, path = "/api/v1/people", tag = "people", request_body = NewPerson, security(("bearer" = [])),
    responses((status = 201, body = Person), (status = 422, body = Problem, content_type = "application/problem+json"),
              (status = 401, body = Problem, content_type = "application/problem+json")))]
pub async fn create(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiJson(body): ApiJson<NewPerson>,
) -> Result<(StatusCode, Json<Person>), ApiError> {
    let service = body.service_id.to_string();
    let view = state
        .app
        .create_person_view(&actor, &body.input(), &service)
        .await?;
    Ok((StatusCode::CREATED, Json(Person::from_view(view))))
}

/// One person. Each read is written to the audit trail.
#[utoipa::path(get, path = "/api/v1/people/{id}", tag = "people", params(("id" = i64, Path, description = "The person's id")),
    security(("bearer" = [])),
    responses((status = 200, body = Person), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn show(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<PersonId>,
) -> Result<Json<Person>, ApiError> {
    Ok(Json(Person::from_view(
        state.app.view_person(&actor, id).await?,
    )))
}

/// Changes a person. Send the `version` you read: if someone changed them since, nothing
/// changes and the answer is 409, naming the fields they changed.
#[utoipa::path(patch, path = "/api/v1/people/{id}", tag = "people", request_body = PersonPatch,
    params(("id" = i64, Path, description = "The person's id")), security(("bearer" = [])),
    responses((status = 200, body = Person), (status = 409, body = Problem, content_type = "application/problem+json"),
              (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn update(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<PersonId>,
    ApiJson(change): ApiJson<PersonPatch>,
) -> Result<Json<Person>, ApiError> {
    Ok(Json(Person::from_view(
        state.app.patch_person(&actor, id, change).await?,
    )))
}

/// A person's contacts, newest first.
#[utoipa::path(get, path = "/api/v1/people/{id}/contacts", tag = "people", params(("id" = i64, Path, description = "The person's id")),
    security(("bearer" = [])), responses((status = 200, body = Page<Contact>), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn contacts(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<PersonId>,
) -> Result<Json<Page<Contact>>, ApiError> {
    let view = state.app.view_person(&actor, id).await?;
    let items = view.contacts.into_iter().map(Contact::from).collect();
    Ok(Page::whole(items))
}

/// A contact to log.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[serde(default)]
pub struct NewContact {
    /// The relationship it counts towards (default: all their active ones).
    pub relationship_id: Option<i64>,
    /// `phone`, `video_call`, `email`, `text`, `letter` or `in_person`.
    pub channel: String,
    /// `outbound`, `inbound`, `meeting` or `message`.
    pub direction: String,
    /// What was said.
    pub summary: String,
    /// The UK date it happened, `YYYY-MM-DD` (default today).
    pub date: String,
    /// The UK time it happened, `HH:MM` (default now).
    pub time: String,
    /// A date to follow up, `YYYY-MM-DD`.
    pub follow_up_on: String,
}

/// Logs a contact. Send an `Idempotency-Key` header: the same key twice logs one contact.
#[utoipa::path(post, path = "/api/v1/people/{id}/contacts", tag = "people", request_body = NewContact,
    params(("id" = i64, Path, description = "The person's id"), ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe")),
    security(("bearer" = [])),
    responses((status = 201, body = Contact), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn log_contact(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<PersonId>,
    headers: HeaderMap,
    ApiJson(body): ApiJson<NewContact>,
) -> Result<(StatusCode, Json<Contact>), ApiError> {
    let key = headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(|k| format!("api:{}:{k}", actor.audit_name()));
    let input = ContactInput {
        relationship_id: body
            .relationship_id
            .map(|r| r.to_string())
            .unwrap_or_default(),
        channel: body.channel,
        direction: body.direction,
        date: body.date,
        time: body.time,
        summary: body.summary,
        follow_up_on: body.follow_up_on,
        submission_key: key.unwrap_or_default(),
    };
    let contact_id = state.app.log_contact(&actor, id, &input).await?;
    let view = state.app.view_person(&actor, id).await?;
    let c = view
        .contacts
        .into_iter()
        .find(|c| c.id == contact_id)
        .ok_or_else(ApiError::not_found)?;
    Ok((StatusCode::CREATED, Json(Contact::from(c))))
}

/// Queue filters.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct QueueQuery {
    /// A service id.
    pub service: Option<i64>,
    /// A staff member's id, or `mine`.
    pub contact: Option<String>,
    /// Where the page starts (from `next_cursor`).
    pub cursor: Option<String>,
}

/// Everyone overdue a contact or due one within 7 days, most overdue first, 50 at a time.
#[utoipa::path(get, path = "/api/v1/keep-in-touch", tag = "people", params(QueueQuery), security(("bearer" = [])),
    responses((status = 200, body = Page<QueueItem>), (status = 403, body = Problem, content_type = "application/problem+json")))]
pub async fn keep_in_touch(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiQuery(q): ApiQuery<QueueQuery>,
) -> Result<Json<Page<QueueItem>>, ApiError> {
    let input = QueueInput {
        service: q.service.map(|s| s.to_string()).unwrap_or_default(),
        contact: q.contact.unwrap_or_default(),
        from: q.cursor.and_then(|c| c.parse().ok()).unwrap_or(0),
    };
    let page = state.app.keep_in_touch(&actor, &input).await?;
    let items = page
        .rows
        .into_iter()
        .map(|r| QueueItem {
            relationship_id: r.relationship_id.0,
            person_id: r.person_id.0,
            name: r.name,
            service_name: r.service_name,
            group_name: r.group_name,
            staff_contact_id: r.staff_contact_id.map(|v| v.0),
            channels: codes(&r.channels),
            needs: codes(&r.needs),
            last_contact_at: r.last_contact_at,
            due_at: r.due_at,
        })
        .collect();
    Ok(Json(Page {
        items,
        next_cursor: page.next_from.map(|n| n.to_string()),
    }))
}

/// One consent record: given or withdrawn, never edited.
#[derive(Debug, Serialize, ToSchema)]
pub struct Consent {
    /// `contact`, `hold_data`, `photos` or `quotes`.
    pub kind: String,
    /// True when given, false when withdrawn.
    pub given: bool,
    /// Any note.
    pub note: String,
    /// When it was recorded, UTC milliseconds.
    pub recorded_at: i64,
}

/// A person's consent records, oldest first.
#[utoipa::path(get, path = "/api/v1/people/{id}/consents", tag = "people", params(("id" = i64, Path, description = "The person's id")),
    security(("bearer" = [])), responses((status = 200, body = Page<Consent>), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn consents(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<PersonId>,
) -> Result<Json<Page<Consent>>, ApiError> {
    let view = state.app.view_person(&actor, id).await?;
    let items = view
        .consents
        .into_iter()
        .map(|c| Consent {
            kind: c.kind,
            given: c.given,
            note: c.note,
            recorded_at: c.recorded_at,
        })
        .collect();
    Ok(Page::whole(items))
}

/// Consent to record.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[serde(default)]
pub struct NewConsent {
    /// `contact`, `hold_data`, `photos` or `quotes`.
    pub kind: String,
    /// True when given, false when withdrawn.
    pub given: Option<bool>,
    /// Any note.
    pub note: String,
}

/// Records consent given or withdrawn: always a new record.
#[utoipa::path(post, path = "/api/v1/people/{id}/consents", tag = "people", request_body = NewConsent,
    params(("id" = i64, Path, description = "The person's id")), security(("bearer" = [])),
    responses((status = 201, body = Page<Consent>), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn record_consent(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<PersonId>,
    ApiJson(body): ApiJson<NewConsent>,
) -> Result<(StatusCode, Json<Page<Consent>>), ApiError> {
    let given = match body.given {
        Some(true) => "yes",
        Some(false) => "no",
        None => "",
    };
    state
        .app
        .record_consent(&actor, id, &body.kind, given, &body.note)
        .await?;
    let Json(page) = consents(State(state), ApiActor(actor), ApiPath(id)).await?;
    Ok((StatusCode::CREATED, Json(page)))
}
