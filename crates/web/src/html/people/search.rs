//! Finding people: the list with its search and filters.

use crate::extract::Staff;
use crate::html::kit::{render, Layout, PageResult, Phone};
use askama::Template;
use axum::extract::Query;
use axum::http::StatusCode;
use coproduce_app::people::SearchInput;
use coproduce_app::Action;
use coproduce_domain::people::PersonStatus;
use coproduce_domain::services::Service;
use serde::Deserialize;

pub(super) struct ListItem {
    id: i64,
    name: String,
    status: &'static str,
    email: String,
    phone: Option<Phone>,
}

#[derive(Template)]
#[template(path = "people/list.html")]
pub(super) struct ListPage {
    layout: Layout,
    notice: Option<String>,
    download_query: String,
    search: SearchInput,
    services: Vec<Service>,
    statuses: &'static [PersonStatus],
    people: Vec<ListItem>,
    next_page: Option<String>,
}

#[derive(Deserialize)]
pub(super) struct Imported {
    imported: Option<i64>,
}

pub(super) async fn list(
    Staff(state, session, actor): Staff,
    Query(search): Query<SearchInput>,
    Query(done): Query<Imported>,
) -> PageResult {
    let (found, services) = tokio::try_join!(
        state.app.search_people(&actor, &search),
        state.app.services_for(&actor, Action::ViewPeople)
    )?;
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
            id: p.id.0,
            status: p.status.label(),
            email: p.email.unwrap_or_default(),
            phone: Phone::of(p.phone.as_deref()),
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
    Ok(render(StatusCode::OK, &page))
}

// ------------------------------------------------------------------------------------------------
// Downloads
