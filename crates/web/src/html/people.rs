//! People: the keep-in-touch queue, search, the person page, and adding and changing people,
//! relationships, contacts and consents.

use super::kit::{render, Errors, FormFields, Layout};
use crate::error::PageError;
use crate::extract::CsrfForm;
use crate::extract::SignedIn;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use coproduce_app::people::{
    ContactInput, PartnerRow, PersonInput, PersonRow, PersonView, QueueInput, RelationshipInput,
    SearchInput, ServiceRow, TagRow, DAY_MS,
};
use coproduce_app::sign_in::Session;
use coproduce_app::AppError;
use coproduce_domain::people::{parse_list, Channel, ConsentKind, Direction, Need, PersonStatus};
use coproduce_domain::{Role, SecretToken};
use serde::Deserialize;

/// The people routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/keep-in-touch", get(keep_in_touch))
        .route("/people", get(list).post(create))
        .route("/people/new", get(new_form))
        .route("/people/export.csv", get(export_csv))
        .route("/people/export.xlsx", get(export_xlsx))
        .route("/people/{id}", get(show))
        .route("/people/{id}/edit", get(edit_form).post(update))
        .route("/people/{id}/contacts", post(log_contact))
        .route("/people/{id}/relationships", post(add_relationship))
        .route("/people/{id}/consents", post(record_consent))
        .route("/people/{id}/merge/{other}", get(merge_form).post(merge))
        .route(
            "/people/{id}/relationships/{rid}",
            get(relationship_form).post(update_relationship),
        )
}

use super::kit::{date_text, uk, uk_date};

fn labels<T: Copy + PartialEq>(
    codes: &str,
    parse: impl Fn(&str) -> Option<T>,
    label: impl Fn(T) -> &'static str,
) -> String {
    parse_list(codes, parse)
        .into_iter()
        .map(label)
        .collect::<Vec<_>>()
        .join(", ")
}

/// What the needs flag says before anyone contacts a person.
pub struct NeedsFlag {
    name: String,
    channels: String,
    best_times: String,
    needs: String,
    notes: String,
}

impl NeedsFlag {
    fn new(
        name: &str,
        channels: &str,
        best_times: &str,
        needs: &str,
        interpreter: &str,
        notes: &str,
    ) -> NeedsFlag {
        let mut need_text = labels(needs, Need::parse, Need::label);
        if !interpreter.is_empty() {
            need_text = need_text.replace(
                "Spoken-language interpreter",
                &format!("{interpreter} interpreter"),
            );
        }
        NeedsFlag {
            name: name.to_owned(),
            channels: labels(channels, Channel::parse, Channel::label),
            best_times: best_times.to_owned(),
            needs: need_text,
            notes: notes.to_owned(),
        }
    }

    fn is_empty(&self) -> bool {
        self.channels.is_empty() && self.needs.is_empty() && self.notes.is_empty()
    }
}

// ------------------------------------------------------------------------------------------------
// Keep in touch

struct QueueItem {
    person_id: i64,
    name: String,
    preferred_name: String,
    overdue: bool,
    due: String,
    last_contact: String,
    channel: String,
    reach: String,
    needs: String,
    service: String,
    contact: String,
}

#[derive(Template)]
#[template(path = "people/keep_in_touch.html")]
struct QueuePage {
    layout: Layout,
    services: Vec<ServiceRow>,
    filter: QueueInput,
    rows: Vec<QueueItem>,
    more: bool,
    first_shown: i64,
    next_page: Option<String>,
}

/// "Overdue by 3 days", "Due today", "Due in 5 days".
fn due_text(due_at: i64, now: i64) -> (bool, String) {
    let days = (due_at - now).div_euclid(DAY_MS);
    match days {
        d if d < -1 => (true, format!("Overdue by {} days", -d)),
        -1 => (true, "Overdue by 1 day".to_owned()),
        0 => (false, "Due today".to_owned()),
        1 => (false, "Due tomorrow".to_owned()),
        d => (false, format!("Due in {d} days")),
    }
}

async fn keep_in_touch(
    State(state): State<AppState>,
    SignedIn(session, actor): SignedIn,
    Query(filter): Query<QueueInput>,
) -> Response {
    let (queue, services) = match tokio::try_join!(
        state.app.keep_in_touch(&actor, &filter),
        state.app.own_services(&actor)
    ) {
        Ok(r) => r,
        Err(e) => return PageError::from(e).into_response(),
    };
    let now = state.app.now_for_display().millis();
    let next_page = queue.next_from.map(|from| {
        let query = url::form_urlencoded::Serializer::new(String::new())
            .append_pair("service", &filter.service)
            .append_pair("contact", &filter.contact)
            .append_pair("from", &from.to_string())
            .finish();
        format!("/keep-in-touch?{query}")
    });
    let more = queue.next_from.is_some();
    let first_shown = filter.from.max(0) + 1;
    let rows = queue
        .rows
        .into_iter()
        .map(|r| {
            let (overdue, due) = due_text(r.due_at, now);
            let with_whom = r.with_whom();
            let first = parse_list(&r.channels, Channel::parse).first().copied();
            let reach = match first {
                Some(Channel::Phone | Channel::Text) => r.phone.clone().unwrap_or_default(),
                Some(Channel::Email) => r.email.clone().unwrap_or_default(),
                _ => String::new(),
            };
            let flag = NeedsFlag::new(&r.name, "", "", &r.needs, &r.interpreter_language, "");
            QueueItem {
                person_id: r.person_id,
                preferred_name: r.preferred_name,
                overdue,
                due,
                last_contact: r
                    .last_contact_at
                    .map_or_else(|| "none yet".to_owned(), uk_date),
                channel: first
                    .map_or("No preference recorded", Channel::label)
                    .to_owned()
                    + &if r.best_times.is_empty() {
                        String::new()
                    } else {
                        format!(", {}", r.best_times)
                    },
                reach,
                needs: flag.needs,
                service: with_whom,
                contact: r
                    .staff_contact_name
                    .unwrap_or_else(|| "No named contact".to_owned()),
                name: r.name,
            }
        })
        .collect();
    let page = QueuePage {
        layout: Layout::new(&state, Some(&session), "Keep in touch", "/keep-in-touch"),
        services,
        filter,
        rows,
        more,
        first_shown,
        next_page,
    };
    render(StatusCode::OK, &page)
}

// ------------------------------------------------------------------------------------------------
// Search

struct ListItem {
    id: i64,
    name: String,
    status: &'static str,
    email: String,
    phone: String,
}

#[derive(Template)]
#[template(path = "people/list.html")]
struct ListPage {
    layout: Layout,
    notice: Option<String>,
    download_query: String,
    search: SearchInput,
    services: Vec<ServiceRow>,
    statuses: &'static [PersonStatus],
    people: Vec<ListItem>,
    next_page: Option<String>,
}

#[derive(Deserialize)]
struct Imported {
    imported: Option<i64>,
}

async fn list(
    State(state): State<AppState>,
    SignedIn(session, actor): SignedIn,
    Query(search): Query<SearchInput>,
    Query(done): Query<Imported>,
) -> Response {
    let (found, services) = match tokio::try_join!(
        state.app.search_people(&actor, &search),
        state.app.own_services(&actor)
    ) {
        Ok(r) => r,
        Err(e) => return PageError::from(e).into_response(),
    };
    let filters = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("q", &search.q)
        .append_pair("service", &search.service)
        .append_pair("status", &search.status)
        .append_pair("tag", &search.tag)
        .append_pair("overdue", if search.overdue { "true" } else { "false" })
        .finish();
    let next_page = found.next_cursor.map(|cursor| {
        let cursor: String = url::form_urlencoded::byte_serialize(cursor.as_bytes()).collect();
        format!("/people?{filters}&cursor={cursor}")
    });
    let people = found
        .people
        .into_iter()
        .map(|p| ListItem {
            id: p.id,
            status: PersonStatus::parse(&p.status).map_or("", PersonStatus::label),
            email: p.email.unwrap_or_default(),
            phone: p.phone.unwrap_or_default(),
            name: p.name,
        })
        .collect();
    let page = ListPage {
        layout: Layout::new(&state, Some(&session), "People", "/people"),
        notice: done.imported.map(|n| match n {
            1 => "Imported 1 person.".to_owned(),
            n => format!("Imported {n} people."),
        }),
        download_query: filters,
        search,
        services,
        statuses: PersonStatus::ALL,
        people,
        next_page,
    };
    render(StatusCode::OK, &page)
}

// ------------------------------------------------------------------------------------------------
// Downloads

const EXPORT_HEADER: [&str; 14] = [
    "Name",
    "Preferred name",
    "Pronouns",
    "Date of birth",
    "Email",
    "Phone",
    "Address",
    "Postcode",
    "Status",
    "Ways to reach them",
    "Best times",
    "Needs",
    "Interpreter language",
    "Notes about needs",
];

async fn export_rows(
    state: &AppState,
    session: &Session,
    search: &SearchInput,
) -> Result<Vec<Vec<String>>, AppError> {
    let people = state.app.export_people(&session.actor(), search).await?;
    Ok(people
        .into_iter()
        .map(|p| {
            vec![
                p.name,
                p.preferred_name,
                p.pronouns,
                p.date_of_birth.unwrap_or_default(),
                p.email.unwrap_or_default(),
                p.phone.unwrap_or_default(),
                p.address,
                p.postcode.unwrap_or_default(),
                PersonStatus::parse(&p.status)
                    .map_or("", PersonStatus::label)
                    .to_owned(),
                labels(&p.channels, Channel::parse, Channel::label),
                p.best_times,
                labels(&p.needs, Need::parse, Need::label),
                p.interpreter_language,
                p.needs_notes,
            ]
        })
        .collect())
}

fn download(content_type: &'static str, filename: &'static str, bytes: Vec<u8>) -> Response {
    (
        [
            (axum::http::header::CONTENT_TYPE, content_type),
            (axum::http::header::CONTENT_DISPOSITION, filename),
        ],
        bytes,
    )
        .into_response()
}

async fn export_csv(
    State(state): State<AppState>,
    SignedIn(session, _): SignedIn,
    Query(search): Query<SearchInput>,
) -> Response {
    match export_rows(&state, &session, &search).await {
        Ok(rows) => download(
            "text/csv; charset=utf-8",
            "attachment; filename=\"people.csv\"",
            super::spreadsheet::csv_bytes(&EXPORT_HEADER, &rows),
        ),
        Err(e) => PageError::from(e).into_response(),
    }
}

async fn export_xlsx(
    State(state): State<AppState>,
    SignedIn(session, _): SignedIn,
    Query(search): Query<SearchInput>,
) -> Response {
    let rows = match export_rows(&state, &session, &search).await {
        Ok(rows) => rows,
        Err(e) => return PageError::from(e).into_response(),
    };
    match tokio::task::spawn_blocking(move || {
        super::spreadsheet::xlsx_bytes("People", &EXPORT_HEADER, &rows)
    })
    .await
    {
        Ok(Ok(bytes)) => download(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "attachment; filename=\"people.xlsx\"",
            bytes,
        ),
        _ => PageError::from(AppError::Internal(
            "the spreadsheet could not be made".into(),
        ))
        .into_response(),
    }
}

// ------------------------------------------------------------------------------------------------
// Adding and changing a person

#[derive(Template)]
#[template(path = "people/form.html")]
struct FormPage {
    layout: Layout,
    errors: Errors,
    conflict: Option<String>,
    heading: &'static str,
    action: String,
    person_id: i64,
    version: i64,
    form: PersonInput,
    first_channel: String,
    services: Vec<ServiceRow>,
    service_id: String,
    partners: Vec<PartnerRow>,
    statuses: &'static [PersonStatus],
    channels: &'static [Channel],
    needs: &'static [Need],
    csrf_token: String,
}

impl FormPage {
    fn new(
        state: &AppState,
        session: &Session,
        partners: Vec<PartnerRow>,
        person_id: Option<i64>,
        form: PersonInput,
    ) -> FormPage {
        let heading = if person_id.is_some() {
            "Change their details"
        } else {
            "Add a person"
        };
        let first_channel = form.channels.first().cloned().unwrap_or_default();
        FormPage {
            partners,
            layout: Layout::new(state, Some(session), heading, ""),
            errors: Errors::default(),
            conflict: None,
            heading,
            action: person_id
                .map_or_else(|| "/people".to_owned(), |id| format!("/people/{id}/edit")),
            person_id: person_id.unwrap_or(0),
            version: 0,
            form,
            first_channel,
            services: Vec::new(),
            service_id: String::new(),
            statuses: PersonStatus::ALL,
            channels: Channel::ALL,
            needs: Need::ALL,
            csrf_token: session.csrf_token.clone(),
        }
    }

    fn with_errors(mut self, errors: Errors) -> FormPage {
        self.layout.title = format!("Error: {}", self.layout.title);
        self.errors = errors;
        self
    }
}

/// Reads the person form, whose checkboxes repeat their names.
fn person_input(pairs: &[(String, String)]) -> (PersonInput, String, i64) {
    let form = FormFields(pairs);
    let get = |k: &str| form.one(k);
    let all = |k: &str| form.all(k);
    let channels = form.ranked_channels();
    let input = PersonInput {
        name: get("name"),
        preferred_name: get("preferred_name"),
        pronouns: get("pronouns"),
        date_of_birth: get("date_of_birth"),
        email: get("email"),
        phone: get("phone"),
        address: get("address"),
        postcode: get("postcode"),
        status: get("status"),
        status_reason: get("status_reason"),
        channels,
        best_times: get("best_times"),
        needs: all("needs"),
        interpreter_language: get("interpreter_language"),
        needs_notes: get("needs_notes"),
        interests: get("interests"),
        lived_experience: get("lived_experience"),
        lived_experience_restricted: get("lived_experience_restricted") == "true",
        partner_id: get("partner_id"),
    };
    (
        input,
        get("service_id"),
        get("version").parse().unwrap_or(0),
    )
}

async fn new_form(State(state): State<AppState>, SignedIn(session, actor): SignedIn) -> Response {
    let services = match state.app.own_services(&actor).await {
        Ok(s) => s,
        Err(e) => return PageError::from(e).into_response(),
    };
    let form = PersonInput {
        status: PersonStatus::Active.code().to_owned(),
        ..PersonInput::default()
    };
    let mut page = FormPage::new(
        &state,
        &session,
        state.app.partners().await.unwrap_or_default(),
        None,
        form,
    );
    page.services = services;
    render(StatusCode::OK, &page)
}

async fn create(
    State(state): State<AppState>,
    SignedIn(session, actor): SignedIn,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Response {
    let (input, service_id, _) = person_input(&pairs);
    match state.app.create_person(&actor, &input, &service_id).await {
        Ok(id) => Redirect::to(&format!("/people/{id}?saved=1")).into_response(),
        Err(AppError::Invalid(list)) => {
            let services = state.app.own_services(&actor).await.unwrap_or_default();
            let mut page = FormPage::new(
                &state,
                &session,
                state.app.partners().await.unwrap_or_default(),
                None,
                input,
            )
            .with_errors(Errors::from(list));
            page.services = services;
            page.service_id = service_id;
            render(StatusCode::BAD_REQUEST, &page)
        }
        Err(e) => PageError::from(e).into_response(),
    }
}

/// A stored record as the form shows it.
fn input_from(p: &PersonView) -> PersonInput {
    let r = &p.person;
    let tags = |kind: &str| {
        p.tags
            .iter()
            .filter(|t| t.kind == kind)
            .map(|t| t.name.clone())
            .collect::<Vec<_>>()
            .join(", ")
    };
    PersonInput {
        name: r.name.clone(),
        preferred_name: r.preferred_name.clone(),
        pronouns: r.pronouns.clone(),
        date_of_birth: r
            .date_of_birth
            .as_deref()
            .map(date_text)
            .unwrap_or_default(),
        email: r.email.clone().unwrap_or_default(),
        phone: r.phone.clone().unwrap_or_default(),
        address: r.address.clone(),
        postcode: r.postcode.clone().unwrap_or_default(),
        status: r.status.clone(),
        status_reason: String::new(),
        channels: r
            .channels
            .split(',')
            .filter(|c| !c.is_empty())
            .map(str::to_owned)
            .collect(),
        best_times: r.best_times.clone(),
        needs: r
            .needs
            .split(',')
            .filter(|c| !c.is_empty())
            .map(str::to_owned)
            .collect(),
        interpreter_language: r.interpreter_language.clone(),
        needs_notes: r.needs_notes.clone(),
        interests: tags("interest"),
        lived_experience: tags("lived_experience"),
        lived_experience_restricted: p
            .tags
            .iter()
            .any(|t| t.kind == "lived_experience" && t.restricted),
        partner_id: r.partner_id.map(|id| id.to_string()).unwrap_or_default(),
    }
}

async fn edit_form(
    State(state): State<AppState>,
    SignedIn(session, actor): SignedIn,
    Path(id): Path<i64>,
) -> Response {
    match state.app.view_person(&actor, id).await {
        Ok(view) => {
            let mut page = FormPage::new(
                &state,
                &session,
                state.app.partners().await.unwrap_or_default(),
                Some(id),
                input_from(&view),
            );
            page.version = view.person.version;
            render(StatusCode::OK, &page)
        }
        Err(e) => PageError::from(e).into_response(),
    }
}

fn field_label(field: &str) -> &'static str {
    match field {
        "name" => "name",
        "preferred_name" => "what they like to be called",
        "pronouns" => "pronouns",
        "date_of_birth" => "date of birth",
        "email" => "email address",
        "phone" => "phone number",
        "address" => "address",
        "postcode" => "postcode",
        "status" => "status",
        "channels" => "ways to reach them",
        "best_times" => "best times",
        "needs" => "needs",
        "needs_notes" => "notes about needs",
        "partner_id" => "partner",
        _ => "details",
    }
}

async fn update(
    State(state): State<AppState>,
    SignedIn(session, actor): SignedIn,
    Path(id): Path<i64>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Response {
    let (input, _, version) = person_input(&pairs);
    match state.app.update_person(&actor, id, version, &input).await {
        Ok(()) => Redirect::to(&format!("/people/{id}?saved=1")).into_response(),
        Err(AppError::Invalid(list)) => {
            let mut page = FormPage::new(
                &state,
                &session,
                state.app.partners().await.unwrap_or_default(),
                Some(id),
                input,
            )
            .with_errors(Errors::from(list));
            page.version = version;
            render(StatusCode::BAD_REQUEST, &page)
        }
        Err(AppError::Conflict {
            version: current,
            changed,
        }) => {
            let mut page = FormPage::new(
                &state,
                &session,
                state.app.partners().await.unwrap_or_default(),
                Some(id),
                input,
            );
            page.version = current;
            let what: Vec<&str> = changed.iter().map(|f| field_label(f)).collect();
            page.conflict = Some(if what.is_empty() {
                "some details".to_owned()
            } else {
                what.join(", ")
            });
            render(StatusCode::CONFLICT, &page)
        }
        Err(e) => PageError::from(e).into_response(),
    }
}

// ------------------------------------------------------------------------------------------------
// The person page

struct RelationshipItem {
    id: i64,
    editable: bool,
    review: String,
    service: String,
    contact: String,
    cadence: i64,
    due: String,
    since: String,
}

struct TimelineItem {
    at: i64,
    when: String,
    what: String,
    who: String,
    text: String,
}

#[derive(Template)]
#[template(path = "people/show.html")]
struct ShowPage {
    layout: Layout,
    errors: Errors,
    notice: Option<&'static str>,
    id: i64,
    name: String,
    status: &'static str,
    flag: NeedsFlag,
    details: Vec<(&'static str, String)>,
    relationships: Vec<RelationshipItem>,
    other_services: Vec<(i64, String)>,
    consents: Vec<String>,
    consent_kinds: &'static [ConsentKind],
    channels: &'static [Channel],
    directions: &'static [Direction],
    contact: ContactInput,
    submission_key: String,
    timeline: Vec<TimelineItem>,
    duplicates: Vec<(i64, String)>,
    csrf_token: String,
}

fn details(p: &PersonRow, tags: &[TagRow], partners: &[PartnerRow]) -> Vec<(&'static str, String)> {
    let partner = partners
        .iter()
        .find(|x| Some(x.id) == p.partner_id)
        .map(|x| x.name.clone());
    let mut rows = vec![
        ("Came through", partner.unwrap_or_default()),
        ("Likes to be called", p.preferred_name.clone()),
        ("Pronouns", p.pronouns.clone()),
        (
            "Date of birth",
            p.date_of_birth
                .as_deref()
                .map(date_text)
                .unwrap_or_default(),
        ),
        ("Email", p.email.clone().unwrap_or_default()),
        ("Phone", p.phone.clone().unwrap_or_default()),
        (
            "Address",
            [p.address.as_str(), p.postcode.as_deref().unwrap_or("")]
                .iter()
                .filter(|s| !s.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join(", "),
        ),
    ];
    let of = |kind: &str| {
        tags.iter()
            .filter(|t| t.kind == kind)
            .map(|t| t.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    rows.push(("Interests", of("interest")));
    rows.push(("Lived experience", of("lived_experience")));
    rows.into_iter()
        .map(|(k, v)| {
            (
                k,
                if v.is_empty() {
                    "Not recorded".to_owned()
                } else {
                    v
                },
            )
        })
        .collect()
}

async fn show_page(
    state: &AppState,
    session: &Session,
    id: i64,
    contact: ContactInput,
    errors: Errors,
    notice: Option<&'static str>,
) -> Response {
    let actor = session.actor();
    let (view, (services, partners)) = match tokio::try_join!(
        state.app.view_person(&actor, id),
        state.app.services_and_partners()
    ) {
        Ok(r) => r,
        Err(e) => return PageError::from(e).into_response(),
    };
    let services = coproduce_app::services::in_scope(&session.actor(), services);
    let now = state.app.now_for_display().millis();
    let p = &view.person;
    let mut timeline: Vec<TimelineItem> = Vec::new();
    for c in &view.contacts {
        let channel = Channel::parse(&c.channel).map_or("Contact", Channel::label);
        let direction = Direction::parse(&c.direction).map_or("", Direction::label);
        let follow = c
            .follow_up_on
            .as_deref()
            .map(|d| format!(" Follow up on {}.", date_text(d)))
            .unwrap_or_default();
        timeline.push(TimelineItem {
            at: c.occurred_at,
            when: uk(c.occurred_at),
            what: format!("{channel}: {direction}"),
            who: c.staff_name.clone().unwrap_or_default(),
            text: format!("{}{follow}", c.summary),
        });
    }
    for s in &view.status_changes {
        timeline.push(TimelineItem {
            at: s.recorded_at,
            when: uk(s.recorded_at),
            what: format!(
                "Status: {}",
                PersonStatus::parse(&s.status).map_or("", PersonStatus::label)
            ),
            who: s.recorded_by_name.clone().unwrap_or_default(),
            text: s.reason.clone(),
        });
    }
    let consents: Vec<String> = ConsentKind::ALL
        .iter()
        .filter_map(|k| {
            view.consents
                .iter()
                .rev()
                .find(|c| c.kind == k.code())
                .map(|c| {
                    let state = if c.given { "given" } else { "withdrawn" };
                    format!("{}: {state} on {}", k.label(), uk_date(c.recorded_at))
                })
        })
        .collect();
    for c in &view.consents {
        let kind = ConsentKind::parse(&c.kind).map_or("", ConsentKind::label);
        timeline.push(TimelineItem {
            at: c.recorded_at,
            when: uk(c.recorded_at),
            what: format!(
                "Consent {}: {kind}",
                if c.given { "given" } else { "withdrawn" }
            ),
            who: c.recorded_by_name.clone().unwrap_or_default(),
            text: c.note.clone(),
        });
    }
    timeline.sort_by_key(|e| std::cmp::Reverse(e.at));
    let linked: Vec<i64> = view
        .relationships
        .iter()
        .filter(|r| r.group_id.is_none())
        .map(|r| r.service_id)
        .collect();
    let mut contact = contact;
    if contact.channel.is_empty() {
        contact.channel = p.channels.split(',').next().unwrap_or("phone").to_owned();
    }
    if contact.direction.is_empty() {
        contact.direction = Direction::Outbound.code().to_owned();
    }
    let page = ShowPage {
        layout: Layout::new(
            state,
            Some(session),
            if errors.is_empty() {
                p.name.clone()
            } else {
                format!("Error: {}", p.name)
            },
            "",
        ),
        errors,
        notice,
        id,
        name: p.name.clone(),
        status: PersonStatus::parse(&p.status).map_or("", PersonStatus::label),
        flag: NeedsFlag::new(
            &p.name,
            &p.channels,
            &p.best_times,
            &p.needs,
            &p.interpreter_language,
            &p.needs_notes,
        ),
        details: details(p, &view.tags, &partners),
        relationships: view
            .relationships
            .iter()
            .map(|r| RelationshipItem {
                id: r.id,
                editable: session.staff.role == Role::Admin
                    || session
                        .staff
                        .service_ids
                        .iter()
                        .any(|s| s.0 == r.service_id),
                review: r
                    .next_review_on
                    .as_deref()
                    .map(date_text)
                    .unwrap_or_default(),
                service: r.with_whom(),
                contact: r
                    .staff_contact_name
                    .clone()
                    .unwrap_or_else(|| "None".to_owned()),
                cadence: r.cadence_days,
                due: if r.status == "active" {
                    due_text(r.due_at, now).1
                } else {
                    format!("Not due: {}", r.status)
                },
                since: date_text(&r.started_on),
            })
            .collect(),
        other_services: services
            .into_iter()
            .filter(|s| !linked.contains(&s.id))
            .map(|s| (s.id, s.name))
            .collect(),
        consents,
        consent_kinds: ConsentKind::ALL,
        channels: Channel::ALL,
        directions: Direction::ALL,
        contact,
        submission_key: SecretToken::generate("").expose().to_owned(),
        timeline,
        duplicates: view
            .duplicates
            .iter()
            .map(|d| (d.id, d.name.clone()))
            .collect(),
        csrf_token: session.csrf_token.clone(),
    };
    let status = if page.errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    render(status, &page)
}

#[derive(Deserialize)]
struct Saved {
    saved: Option<String>,
    logged: Option<String>,
    merged: Option<String>,
}

async fn show(
    State(state): State<AppState>,
    SignedIn(session, _): SignedIn,
    Path(id): Path<i64>,
    Query(q): Query<Saved>,
) -> Response {
    let notice = if q.merged.is_some() {
        Some("Merged. Everything about both records is now here.")
    } else if q.logged.is_some() {
        Some("Contact logged. They have moved down the keep-in-touch queue.")
    } else if q.saved.is_some() {
        Some("Saved.")
    } else {
        None
    };
    show_page(
        &state,
        &session,
        id,
        ContactInput::default(),
        Errors::default(),
        notice,
    )
    .await
}

/// After a form on the person page: back to the page with a notice, or the page again with the
/// problems and what was typed.
async fn after_person_form<T>(
    state: &AppState,
    session: &Session,
    id: i64,
    result: Result<T, AppError>,
    notice: &str,
    typed: ContactInput,
) -> Response {
    match result {
        Ok(_) => Redirect::to(&format!("/people/{id}?{notice}=1")).into_response(),
        Err(AppError::Invalid(list)) => {
            show_page(state, session, id, typed, Errors::from(list), None).await
        }
        Err(e) => PageError::from(e).into_response(),
    }
}

async fn log_contact(
    State(state): State<AppState>,
    SignedIn(session, actor): SignedIn,
    Path(id): Path<i64>,
    CsrfForm(input): CsrfForm<ContactInput>,
) -> Response {
    let result = state.app.log_contact(&actor, id, &input).await;
    after_person_form(&state, &session, id, result, "logged", input).await
}

#[derive(Deserialize)]
struct RelationshipForm {
    #[serde(default)]
    service_id: String,
    #[serde(default)]
    cadence_days: String,
}

async fn add_relationship(
    State(state): State<AppState>,
    SignedIn(session, actor): SignedIn,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<RelationshipForm>,
) -> Response {
    let contact = Some(session.staff.id.0);
    let who = actor;
    let result = state
        .app
        .add_relationship(&who, id, &f.service_id, contact, &f.cadence_days)
        .await;
    after_person_form(
        &state,
        &session,
        id,
        result,
        "saved",
        ContactInput::default(),
    )
    .await
}

#[derive(Deserialize)]
struct ConsentForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    given: String,
    #[serde(default)]
    note: String,
}

async fn record_consent(
    State(state): State<AppState>,
    SignedIn(session, actor): SignedIn,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<ConsentForm>,
) -> Response {
    let result = state
        .app
        .record_consent(&actor, id, &f.kind, &f.given, &f.note)
        .await;
    after_person_form(
        &state,
        &session,
        id,
        result,
        "saved",
        ContactInput::default(),
    )
    .await
}

// ------------------------------------------------------------------------------------------------
// Merging two records of the same person

#[derive(Template)]
#[template(path = "people/merge.html")]
struct MergePage {
    layout: Layout,
    keep_id: i64,
    keep_name: String,
    other_id: i64,
    other_name: String,
    rows: Vec<(&'static str, String, String)>,
    csrf_token: String,
}

async fn merge_form(
    State(state): State<AppState>,
    SignedIn(session, actor): SignedIn,
    Path((keep, other)): Path<(i64, i64)>,
) -> Response {
    let (kept, merged) = match tokio::try_join!(
        state.app.view_person(&actor, keep),
        state.app.view_person(&actor, other)
    ) {
        Ok(r) => r,
        Err(e) => return PageError::from(e).into_response(),
    };
    let partners = state.app.partners().await.unwrap_or_default();
    let left = details(&kept.person, &kept.tags, &partners);
    let right = details(&merged.person, &merged.tags, &partners);
    let mut rows = vec![("Name", kept.person.name.clone(), merged.person.name.clone())];
    rows.extend(
        left.into_iter()
            .zip(right)
            .map(|((k, a), (_, b))| (k, a, b)),
    );
    let services = |v: &PersonView| {
        v.relationships
            .iter()
            .map(|r| r.with_whom())
            .collect::<Vec<_>>()
            .join(", ")
    };
    rows.push(("Services", services(&kept), services(&merged)));
    rows.push((
        "Contacts logged",
        kept.contacts.len().to_string(),
        merged.contacts.len().to_string(),
    ));
    let page = MergePage {
        layout: Layout::new(&state, Some(&session), "Merge two records", ""),
        keep_id: keep,
        keep_name: kept.person.name,
        other_id: other,
        other_name: merged.person.name,
        rows,
        csrf_token: session.csrf_token.clone(),
    };
    render(StatusCode::OK, &page)
}

#[derive(Deserialize)]
struct Empty {}

async fn merge(
    State(state): State<AppState>,
    SignedIn(_, actor): SignedIn,
    Path((keep, other)): Path<(i64, i64)>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Response {
    match state.app.merge_people(&actor, keep, other).await {
        Ok(()) => Redirect::to(&format!("/people/{keep}?merged=1")).into_response(),
        Err(e) => PageError::from(e).into_response(),
    }
}

// ------------------------------------------------------------------------------------------------
// Changing a relationship

#[derive(Template)]
#[template(path = "people/relationship.html")]
struct RelationshipPage {
    layout: Layout,
    errors: Errors,
    conflict: bool,
    person_id: i64,
    person_name: String,
    id: i64,
    service: String,
    version: i64,
    form: RelationshipInput,
    statuses: [(&'static str, &'static str); 3],
    contacts: Vec<(i64, String)>,
    csrf_token: String,
}

async fn relationship_page(
    state: &AppState,
    session: &Session,
    (person, id): (i64, i64),
    typed: Option<RelationshipInput>,
    errors: Errors,
    conflict: bool,
) -> Response {
    let actor = session.actor();
    let (form, person_row) = match tokio::try_join!(
        state.app.relationship_form(&actor, person, id),
        state.app.view_person(&actor, person)
    ) {
        Ok(r) => r,
        Err(e) => return PageError::from(e).into_response(),
    };
    let r = &form.relationship;
    let stored = RelationshipInput {
        version: r.version,
        status: r.status.clone(),
        staff_contact_id: r
            .staff_contact_id
            .map(|c| c.to_string())
            .unwrap_or_default(),
        cadence_days: r.cadence_days.to_string(),
        next_review_on: r
            .next_review_on
            .as_deref()
            .map(date_text)
            .unwrap_or_default(),
    };
    let status = if conflict {
        StatusCode::CONFLICT
    } else if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    let title = if errors.is_empty() {
        r.with_whom()
    } else {
        format!("Error: {}", r.with_whom())
    };
    let page = RelationshipPage {
        layout: Layout::new(state, Some(session), title, ""),
        errors,
        conflict,
        person_id: person,
        person_name: person_row.person.name,
        id,
        service: r.with_whom(),
        version: r.version,
        form: typed.unwrap_or(stored),
        statuses: [
            ("active", "Active"),
            ("paused", "Paused"),
            ("ended", "Ended"),
        ],
        contacts: form.possible_contacts,
        csrf_token: session.csrf_token.clone(),
    };
    render(status, &page)
}

async fn relationship_form(
    State(state): State<AppState>,
    SignedIn(session, _): SignedIn,
    Path(ids): Path<(i64, i64)>,
) -> Response {
    relationship_page(&state, &session, ids, None, Errors::default(), false).await
}

async fn update_relationship(
    State(state): State<AppState>,
    SignedIn(session, actor): SignedIn,
    Path((person, id)): Path<(i64, i64)>,
    CsrfForm(input): CsrfForm<RelationshipInput>,
) -> Response {
    match state
        .app
        .update_relationship(&actor, person, id, &input)
        .await
    {
        Ok(()) => Redirect::to(&format!("/people/{person}?saved=1")).into_response(),
        Err(AppError::Invalid(list)) => {
            relationship_page(
                &state,
                &session,
                (person, id),
                Some(input),
                Errors::from(list),
                false,
            )
            .await
        }
        Err(AppError::Conflict { .. }) => {
            relationship_page(
                &state,
                &session,
                (person, id),
                Some(input),
                Errors::default(),
                true,
            )
            .await
        }
        Err(e) => PageError::from(e).into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn due_dates_read_as_people_say_them() {
        let now = 100 * DAY_MS;
        assert_eq!(
            due_text(now - 3 * DAY_MS, now),
            (true, "Overdue by 3 days".to_owned())
        );
        assert_eq!(
            due_text(now - 1, now),
            (true, "Overdue by 1 day".to_owned())
        );
        assert_eq!(due_text(now + 1, now), (false, "Due today".to_owned()));
        assert_eq!(
            due_text(now + 5 * DAY_MS + 1, now),
            (false, "Due in 5 days".to_owned())
        );
    }

    #[test]
    fn the_first_choice_channel_leads_the_ranking() {
        let pairs: Vec<(String, String)> = [
            ("channels", "phone"),
            ("channels", "email"),
            ("first_channel", "email"),
            ("name", "A"),
        ]
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
        let (input, _, _) = person_input(&pairs);
        assert_eq!(input.channels, vec!["email", "phone"]);
    }
}
