//! Calendar feeds (RFC 5545) to import into Outlook, Google or Apple calendars: a group's
//! meetings for signed-in staff, and each person's or staff member's meetings at a secret link.

use super::kit::{date_text, render, uk, Layout, Routes};
use crate::error::PageError;
use crate::extract::CsrfForm;
use crate::extract::SignedIn;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::DateTime;
use coproduce_app::calendar::FEED_PAST_DAYS;
use coproduce_app::meetings::Joiner;
use coproduce_app::meetings::{Meeting, Team};
use coproduce_app::sign_in::Session;
use coproduce_domain::ical::{calendar, Event};
use coproduce_domain::Timestamp;
use serde::Deserialize;

/// The calendar routes.
pub(super) fn routes() -> Routes {
    Routes::new()
        .route("/calendar/groups/{file}", get(group_feed))
        .route("/calendar/feed/{file}", get(secret_feed))
        .route(
            "/people/{id}/meetings",
            get(person_meetings).post(person_link),
        )
        .route("/account/meetings", get(own_meetings).post(own_link))
}

/// A meeting as a calendar event, with how to join and a link back.
fn event(state: &AppState, host: &str, m: &Meeting) -> Option<Event> {
    let origin = &state.config.public_origin;
    let mut joining = Vec::new();
    if let Some(v) = &m.join_video_link {
        joining.push(format!("Join online: {v}"));
    }
    if !m.join_phone_dial_in.is_empty() {
        joining.push(format!("Join by phone: {}", m.join_phone_dial_in));
    }
    if !m.join_venue.is_empty() {
        joining.push(format!("In person: {}", m.join_venue));
    }
    if !m.join_venue_access.is_empty() {
        joining.push(format!("Access: {}", m.join_venue_access));
    }
    let location = if m.join_venue.is_empty() {
        m.join_video_link.clone().unwrap_or_default()
    } else {
        m.join_venue.clone()
    };
    Some(Event {
        uid: format!("meeting-{}@{host}", m.id),
        sequence: m.sequence,
        starts_at: DateTime::from_timestamp_millis(m.starts_at)?,
        ends_at: DateTime::from_timestamp_millis(m.ends_at)?,
        summary: m.name().to_owned(),
        description: joining.join("\n"),
        location,
        url: format!("{origin}/meetings/{}", m.id),
        cancelled: m.status == "cancelled",
    })
}

fn ics(state: &AppState, name: &str, meetings: &[Meeting], cache: &'static str) -> Response {
    let origin = &state.config.public_origin;
    let host = origin.split("://").nth(1).unwrap_or(origin);
    let events: Vec<Event> = meetings
        .iter()
        .filter_map(|m| event(state, host, m))
        .collect();
    let stamp =
        DateTime::from_timestamp_millis(state.app.now_for_display().millis()).unwrap_or_default();
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
            (header::CACHE_CONTROL, cache),
        ],
        calendar(name, &events, stamp),
    )
        .into_response()
}

async fn group_feed(
    State(state): State<AppState>,
    SignedIn(_, actor): SignedIn,
    Path(file): Path<String>,
) -> Response {
    let Some(id) = file
        .strip_suffix(".ics")
        .and_then(|i| i.parse::<i64>().ok())
    else {
        return PageError::not_found().into_response();
    };
    let who = actor;
    let now = state.app.now_for_display();
    let from = Timestamp(now.millis() - FEED_PAST_DAYS * 86_400_000);
    let (view, meetings) = match tokio::try_join!(
        state.app.view_group(&who, id),
        state
            .app
            .team_meetings(&who, Team::Group(id), Some(from), None)
    ) {
        Ok(r) => r,
        Err(e) => return PageError::from(e).into_response(),
    };
    ics(&state, &view.group.name, &meetings, "private, max-age=300")
}

async fn secret_feed(State(state): State<AppState>, Path(file): Path<String>) -> Response {
    let Some(token) = file
        .strip_suffix(".ics")
        .filter(|t| !t.is_empty() && t.len() <= 100)
    else {
        return PageError::not_found().into_response();
    };
    match state.app.feed(token).await {
        Ok(Some(feed)) => ics(&state, &feed.name, &feed.meetings, "private, max-age=300"),
        Ok(None) => PageError::not_found().into_response(),
        Err(e) => PageError::from(e).into_response(),
    }
}

#[derive(Template)]
#[template(path = "calendar/meetings.html")]
struct MeetingsPage {
    layout: Layout,
    notice: Option<&'static str>,
    back: Option<String>,
    whose: String,
    whom: &'static str,
    heading: String,
    upcoming: Vec<(i64, String, bool)>,
    show_involvement: bool,
    involvement: Vec<(String, String, String, i64)>,
    manage_link: bool,
    link_made: Option<String>,
    new_url: Option<String>,
    action: String,
    csrf_token: String,
}

/// How far ahead "coming up" looks.
const UPCOMING_DAYS: i64 = 92;

async fn meetings_page(
    state: &AppState,
    session: &Session,
    who: Joiner,
    new_url: Option<String>,
    notice: Option<&'static str>,
) -> Response {
    let me = session.actor();
    let now = state.app.now_for_display().millis();
    let to = Timestamp(now + UPCOMING_DAYS * 86_400_000);
    let upcoming = match state
        .app
        .attendee_meetings(&me, who, Timestamp(now), to)
        .await
    {
        Ok(m) => m,
        Err(e) => return PageError::from(e).into_response(),
    };
    let (manage_link, link_made) = match state.app.calendar_link_made(&me, who).await {
        Ok(t) => (true, t.map(|t| uk(t.millis()))),
        Err(coproduce_app::AppError::Forbidden) => (false, None),
        Err(e) => return PageError::from(e).into_response(),
    };
    let (heading, whose, back, whom, action, involvement) = match who {
        Joiner::Person(p) => {
            let view = match state.app.view_person(&me, p).await {
                Ok(v) => v,
                Err(e) => return PageError::from(e).into_response(),
            };
            let involvement = match state.app.involvements(&me, p).await {
                Ok(rows) => rows
                    .into_iter()
                    .map(|i| {
                        let role = coproduce_domain::groups::AttendanceRole::parse(&i.role)
                            .map_or("", |r| r.label())
                            .to_owned();
                        (date_text(&i.occurred_on), i.description, role, i.minutes)
                    })
                    .collect(),
                Err(e) => return PageError::from(e).into_response(),
            };
            let name = view.person.name.clone();
            (
                format!("Meetings and involvement: {name}"),
                name,
                Some(format!("/people/{p}")),
                "them",
                format!("/people/{p}/meetings"),
                Some(involvement),
            )
        }
        Joiner::Staff(_) => (
            "Your meetings".to_owned(),
            session.staff.name.clone(),
            None,
            "your own calendar",
            "/account/meetings".to_owned(),
            None,
        ),
    };
    let page = MeetingsPage {
        layout: Layout::new(
            state,
            Some(session),
            heading.clone(),
            if back.is_some() {
                "/people"
            } else {
                "/account"
            },
        ),
        notice,
        back,
        whose,
        whom,
        heading,
        upcoming: upcoming
            .iter()
            .map(|m| {
                (
                    m.id,
                    format!("{}: {}", m.name(), uk(m.starts_at)),
                    m.status == "cancelled",
                )
            })
            .collect(),
        show_involvement: involvement.is_some(),
        involvement: involvement.unwrap_or_default(),
        manage_link,
        link_made,
        new_url,
        action,
        csrf_token: session.csrf_token.clone(),
    };
    render(StatusCode::OK, &page)
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct LinkForm {
    /// `new` or `revoke`.
    link: String,
}

async fn change_link(state: AppState, session: Session, who: Joiner, form: LinkForm) -> Response {
    let me = session.actor();
    if form.link == "revoke" {
        return match state.app.revoke_calendar_link(&me, who).await {
            Ok(()) | Err(coproduce_app::AppError::NotFound) => {
                meetings_page(
                    &state,
                    &session,
                    who,
                    None,
                    Some("The calendar link no longer works."),
                )
                .await
            }
            Err(e) => PageError::from(e).into_response(),
        };
    }
    match state.app.new_calendar_link(&me, who).await {
        Ok(token) => {
            let url = format!(
                "{}/calendar/feed/{}.ics",
                state.config.public_origin,
                token.expose()
            );
            meetings_page(&state, &session, who, Some(url), None).await
        }
        Err(e) => PageError::from(e).into_response(),
    }
}

async fn person_meetings(
    State(state): State<AppState>,
    SignedIn(session, _): SignedIn,
    Path(id): Path<i64>,
) -> Response {
    meetings_page(&state, &session, Joiner::Person(id), None, None).await
}

async fn person_link(
    State(state): State<AppState>,
    SignedIn(session, _): SignedIn,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<LinkForm>,
) -> Response {
    change_link(state, session, Joiner::Person(id), form).await
}

async fn own_meetings(State(state): State<AppState>, SignedIn(session, _): SignedIn) -> Response {
    let me = Joiner::Staff(session.staff.id.0);
    meetings_page(&state, &session, me, None, None).await
}

async fn own_link(
    State(state): State<AppState>,
    SignedIn(session, _): SignedIn,
    CsrfForm(form): CsrfForm<LinkForm>,
) -> Response {
    let me = Joiner::Staff(session.staff.id.0);
    change_link(state, session, me, form).await
}
