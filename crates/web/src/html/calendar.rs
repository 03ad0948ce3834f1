//! Calendar feeds (RFC 5545) to import into Outlook, Google or Apple calendars: a group's
//! meetings for signed-in staff, and each person's or staff member's meetings at a secret link.

use super::kit::{date_text, meeting_line, render, uk, Layout, PageResult, Routes};
use crate::error::PageError;
use crate::extract::{CsrfForm, Staff};
use crate::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::DateTime;
use coproduce_app::calendar::FEED_PAST_DAYS;
use coproduce_app::sign_in::Session;
use coproduce_domain::groups::{Joiner, Team};
use coproduce_domain::ical::{calendar, Event};
use coproduce_domain::meetings::Meeting;
use coproduce_domain::meetings::MeetingStatus;
use coproduce_domain::GroupId;
use coproduce_domain::MeetingId;
use coproduce_domain::PersonId;
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
        cancelled: m.status == MeetingStatus::Cancelled,
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

async fn group_feed(Staff(state, _, actor): Staff, Path(file): Path<String>) -> PageResult {
    let id = file
        .strip_suffix(".ics")
        .and_then(|i| i.parse::<GroupId>().ok())
        .ok_or_else(PageError::not_found)?;
    let now = state.app.now_for_display();
    let from = Timestamp(now.millis() - FEED_PAST_DAYS * 86_400_000);
    let (view, meetings) = tokio::try_join!(
        state.app.view_group(&actor, id),
        state
            .app
            .team_meetings(&actor, Team::Group(id), Some(from), None)
    )?;
    Ok(ics(
        &state,
        &view.group.name,
        &meetings,
        "private, max-age=300",
    ))
}

async fn secret_feed(State(state): State<AppState>, Path(file): Path<String>) -> PageResult {
    let token = file
        .strip_suffix(".ics")
        .filter(|t| !t.is_empty() && t.len() <= 100)
        .ok_or_else(PageError::not_found)?;
    let feed = state
        .app
        .feed(token)
        .await?
        .ok_or_else(PageError::not_found)?;
    Ok(ics(
        &state,
        &feed.name,
        &feed.meetings,
        "private, max-age=300",
    ))
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
    upcoming: Vec<(MeetingId, String, bool)>,
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
) -> PageResult {
    let me = session.actor();
    let now = state.app.now_for_display().millis();
    let to = Timestamp(now + UPCOMING_DAYS * 86_400_000);
    let upcoming = state
        .app
        .attendee_meetings(&me, who, Timestamp(now), to)
        .await?;
    let (manage_link, link_made) = match state.app.calendar_link_made(&me, who).await {
        Ok(t) => (true, t.map(|t| uk(t.millis()))),
        Err(coproduce_app::AppError::Forbidden) => (false, None),
        Err(e) => return Err(e.into()),
    };
    let (heading, whose, back, whom, action, involvement) = match who {
        Joiner::Person(p) => {
            let view = state.app.view_person(&me, p).await?;
            let involvement = state
                .app
                .involvements(&me, p)
                .await?
                .into_iter()
                .map(|i| {
                    let role = coproduce_domain::groups::AttendanceRole::parse(&i.role)
                        .map_or("", |r| r.label())
                        .to_owned();
                    (date_text(&i.occurred_on), i.description, role, i.minutes)
                })
                .collect();
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
        upcoming: upcoming.iter().map(meeting_line).collect(),
        show_involvement: involvement.is_some(),
        involvement: involvement.unwrap_or_default(),
        manage_link,
        link_made,
        new_url,
        action,
        csrf_token: session.csrf_token.clone(),
    };
    Ok(render(StatusCode::OK, &page))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct LinkForm {
    /// `new` or `revoke`.
    link: String,
}

async fn change_link(state: AppState, session: Session, who: Joiner, form: LinkForm) -> PageResult {
    let me = session.actor();
    if form.link == "revoke" {
        return match state.app.revoke_calendar_link(&me, who).await {
            Ok(()) | Err(coproduce_app::AppError::NotFound) => {
                let notice = Some("The calendar link no longer works.");
                meetings_page(&state, &session, who, None, notice).await
            }
            Err(e) => Err(e.into()),
        };
    }
    let token = state.app.new_calendar_link(&me, who).await?;
    let url = format!(
        "{}/calendar/feed/{}.ics",
        state.config.public_origin,
        token.expose()
    );
    meetings_page(&state, &session, who, Some(url), None).await
}

async fn person_meetings(Staff(state, session, _): Staff, Path(id): Path<PersonId>) -> PageResult {
    meetings_page(&state, &session, Joiner::Person(id), None, None).await
}

async fn person_link(
    Staff(state, session, _): Staff,
    Path(id): Path<PersonId>,
    CsrfForm(form): CsrfForm<LinkForm>,
) -> PageResult {
    change_link(state, session, Joiner::Person(id), form).await
}

async fn own_meetings(Staff(state, session, _): Staff) -> PageResult {
    let me = Joiner::Staff(session.staff.id);
    meetings_page(&state, &session, me, None, None).await
}

async fn own_link(
    Staff(state, session, _): Staff,
    CsrfForm(form): CsrfForm<LinkForm>,
) -> PageResult {
    let me = Joiner::Staff(session.staff.id);
    change_link(state, session, me, form).await
}
