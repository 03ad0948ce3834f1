//! A person's page: their record, relationships, contacts, consents and likely duplicates.

use super::view::{due_text, NeedsFlag};
use crate::extract::Staff;
use crate::html::kit::{date_text, uk, uk_date, Phone};
use crate::html::kit::{render, Errors, Layout, PageResult};
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query};
use axum::response::{IntoResponse, Redirect};
use coproduce_app::people::{ContactInput, Person, PersonView};
use coproduce_app::sign_in::Session;
use coproduce_app::Action;
use coproduce_app::AppError;
use coproduce_domain::people::{Channel, ConsentKind, Direction, PersonStatus};
use coproduce_domain::relationships::Tag;
use coproduce_domain::relationships::{RelationshipStatus, TagKind};
use coproduce_domain::services::{Partner, Service};
use coproduce_domain::PersonId;
use coproduce_domain::SecretToken;
use coproduce_domain::ServiceId;
use serde::Deserialize;

pub(super) struct RelationshipItem {
    id: i64,
    editable: bool,
    review: String,
    service: String,
    contact: String,
    cadence: i64,
    due: String,
    since: String,
}

pub(super) struct TimelineItem {
    at: i64,
    when: String,
    what: String,
    who: String,
    text: String,
}

#[derive(Template)]
#[template(path = "people/show.html")]
pub(super) struct ShowPage {
    layout: Layout,
    errors: Errors,
    notice: Option<&'static str>,
    id: i64,
    name: String,
    status: &'static str,
    flag: NeedsFlag,
    details: Vec<(&'static str, String, Option<String>)>,
    relationships: Vec<RelationshipItem>,
    other_services: Vec<(ServiceId, String)>,
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

pub(super) fn details(
    p: &Person,
    tags: &[Tag],
    partners: &[Partner],
) -> Vec<(&'static str, String, Option<String>)> {
    let partner = partners
        .iter()
        .find(|x| p.partner_id == Some(x.id))
        .map(|x| x.name.clone());
    let mut rows = vec![
        ("Came through", partner.unwrap_or_default()),
        ("Likes to be called", p.preferred_name.clone()),
        ("Pronouns", p.pronouns.clone()),
        (
            "Date of birth",
            p.date_of_birth
                .map(|d| date_text(&d.to_string()))
                .unwrap_or_default(),
        ),
        ("Email", p.email.clone().unwrap_or_default()),
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
    let of = |kind: TagKind| {
        tags.iter()
            .filter(|t| t.kind == kind)
            .map(|t| t.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    rows.push(("Interests", of(TagKind::Interest)));
    rows.push(("Lived experience", of(TagKind::LivedExperience)));
    let phone = Phone::of(p.phone.as_deref());
    let mut rows: Vec<_> = rows
        .into_iter()
        .map(|(k, v)| {
            let v = if v.is_empty() {
                "Not recorded".to_owned()
            } else {
                v
            };
            (k, v, None)
        })
        .collect();
    // The phone, after the email, shown as it is read and dialled from the page.
    let (text, dial) = phone.map_or(("Not recorded".to_owned(), None), |p| {
        (p.text, Some(format!("tel:{}", p.dial)))
    });
    rows.insert(5, ("Phone", text, dial));
    rows
}

pub(super) async fn show_page(
    state: &AppState,
    session: &Session,
    id: PersonId,
    contact: ContactInput,
    errors: Errors,
    notice: Option<&'static str>,
) -> PageResult {
    let actor = session.actor();
    let (view, (services, partners)) = tokio::try_join!(
        state.app.view_person(&actor, id),
        state
            .app
            .services_and_partners_for(&actor, Action::EditPeople)
    )?;
    let now = state.app.now_for_display().millis();
    let p = &view.person;
    let timeline = timeline(&view);
    let consents = consent_lines(&view);
    let contact = with_defaults(contact, p);
    let page = ShowPage {
        layout: Layout::new(state, Some(session), errors.title(&p.name), ""),
        errors,
        notice,
        id: id.0,
        name: p.name.clone(),
        status: p.status.label(),
        flag: NeedsFlag::new(
            &p.name,
            &p.channels,
            &p.best_times,
            &p.needs,
            &p.interpreter_language,
            &p.needs_notes,
        ),
        details: details(p, &view.tags, &partners),
        relationships: relationship_items(&view, now),
        other_services: other_services(&view, services),
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
            .map(|d| (d.id.0, d.name.clone()))
            .collect(),
        csrf_token: session.csrf_token.clone(),
    };
    Ok(render(page.errors.status(), &page))
}

#[derive(Deserialize)]
pub(super) struct Saved {
    saved: Option<String>,
    logged: Option<String>,
    merged: Option<String>,
}

pub(super) async fn show(
    Staff(state, session, _): Staff,
    Path(id): Path<PersonId>,
    Query(q): Query<Saved>,
) -> PageResult {
    let notice = if q.merged.is_some() {
        Some("Merged. Everything about both records is now here.")
    } else if q.logged.is_some() {
        Some("Contact logged. They have moved down the keep-in-touch queue.")
    } else if q.saved.is_some() {
        Some("Saved.")
    } else {
        None
    };
    let (typed, errors) = (ContactInput::default(), Errors::default());
    show_page(&state, &session, id, typed, errors, notice).await
}

/// After a form on the person page: back to the page with a notice, or the page again with the
/// problems and what was typed.
pub(super) async fn after_person_form<T>(
    state: &AppState,
    session: &Session,
    id: PersonId,
    result: Result<T, AppError>,
    notice: &str,
    typed: ContactInput,
) -> PageResult {
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/people/{id}?{notice}=1")).into_response()),
        Err(AppError::Invalid(list)) => {
            show_page(state, session, id, typed, Errors::from(list), None).await
        }
        Err(e) => Err(e.into()),
    }
}

/// What has happened with a person, newest first: contacts, status changes and consents.
fn timeline(view: &PersonView) -> Vec<TimelineItem> {
    let mut timeline: Vec<TimelineItem> = Vec::new();
    for c in &view.contacts {
        let channel = c.channel.label();
        let direction = c.direction.label();
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
    timeline
}

/// Each kind of consent's latest record, as a line.
fn consent_lines(view: &PersonView) -> Vec<String> {
    ConsentKind::ALL
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
        .collect()
}

/// A person's relationships as their page lists them.
fn relationship_items(view: &PersonView, now: i64) -> Vec<RelationshipItem> {
    view.relationships
        .iter()
        .map(|r| RelationshipItem {
            id: r.id.0,
            editable: view.can_edit_relationships.contains(&r.id),
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
            due: if r.status == RelationshipStatus::Active {
                due_text(r.due_at, now).1
            } else {
                format!("Not due: {}", r.status.code())
            },
            since: date_text(&r.started_on),
        })
        .collect()
}

/// The contact form as first shown: their first way of being reached, and that we called.
fn with_defaults(mut contact: ContactInput, p: &Person) -> ContactInput {
    if contact.channel.is_empty() {
        contact.channel = p.channels.first().map_or("phone", |c| c.code()).to_owned();
    }
    if contact.direction.is_empty() {
        contact.direction = Direction::Outbound.code().to_owned();
    }
    contact
}

/// The services a relationship could be started with: those not already linked.
fn other_services(view: &PersonView, services: Vec<Service>) -> Vec<(ServiceId, String)> {
    let linked: Vec<ServiceId> = view
        .relationships
        .iter()
        .filter(|r| r.group_id.is_none())
        .map(|r| r.service_id)
        .collect();
    services
        .into_iter()
        .filter(|s| !linked.contains(&s.id))
        .map(|s| (s.id, s.name))
        .collect()
}
