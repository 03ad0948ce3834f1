//! The keep-in-touch queue: who is due a contact, most overdue first.

use super::view::{due_text, NeedsFlag};
use crate::extract::Staff;
use crate::html::kit::{date_text, uk_date, Phone};
use crate::html::kit::{render, DueRow, Layout, PageResult};
use askama::Template;
use axum::extract::Query;
use axum::http::StatusCode;
use coproduce_app::people::{KeepInTouchPage, QueueInput};
use coproduce_app::Action;
use coproduce_domain::concerns::Concern;
use coproduce_domain::people::{parse_list, Channel, Need};
use coproduce_domain::services::Service;

pub(super) struct QueueItem {
    person_id: i64,
    name: String,
    preferred_name: String,
    overdue: bool,
    due: String,
    last_contact: String,
    channel: String,
    /// The number to call or text, when that is how they like to be reached.
    phone: Option<Phone>,
    /// The address to write to, when email is.
    email: Option<String>,
    needs: String,
    service: String,
    contact: String,
}

#[derive(Template)]
#[template(path = "people/keep_in_touch.html")]
pub(super) struct QueuePage {
    layout: Layout,
    services: Vec<Service>,
    filter: QueueInput,
    rows: Vec<QueueItem>,
    more: bool,
    first_shown: i64,
    next_page: Option<String>,
    /// The staff member's own open actions: (what, where it was agreed, due).
    actions: Vec<(String, String, String)>,
    /// Overdue concerns: the concern, and since when it has waited for its step.
    concerns: Vec<(Concern, String)>,
    /// Groups, projects and relationships overdue or due a review soon.
    reviews: Vec<DueRow>,
}

pub(super) async fn keep_in_touch(
    Staff(state, session, actor): Staff,
    Query(filter): Query<QueueInput>,
) -> PageResult {
    let (
        KeepInTouchPage {
            queue,
            actions,
            concerns,
            reviews,
            today,
        },
        services,
    ) = tokio::try_join!(
        state.app.keep_in_touch_page(&actor, &filter),
        state.app.services_for(&actor, Action::ViewPeople),
    )?;
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
            let (phone, email) = match first {
                Some(Channel::Phone | Channel::Text) => (Phone::of(r.phone.as_deref()), None),
                Some(Channel::Email) => (None, r.email.clone()),
                _ => (None, None),
            };
            let needs = parse_list(&r.needs, Need::parse);
            let flag = NeedsFlag::new(&r.name, &[], "", &needs, &r.interpreter_language, "");
            QueueItem {
                person_id: r.person_id.0,
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
                phone,
                email,
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
        actions: actions
            .into_iter()
            .map(|a| {
                let due = a.due_on.as_deref().map(date_text).unwrap_or_default();
                let href = a.agreed_at().href();
                (a.description, href, due)
            })
            .collect(),
        concerns: concerns
            .into_iter()
            .map(|c| {
                let since = uk_date(c.status_since);
                (c, since)
            })
            .collect(),
        reviews: reviews.iter().map(|d| DueRow::of(d, &today)).collect(),
    };
    Ok(render(StatusCode::OK, &page))
}

// ------------------------------------------------------------------------------------------------
// Search
