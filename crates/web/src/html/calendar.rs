//! Calendar feeds (RFC 5545) for staff: a group's meetings, to import into Outlook, Google or
//! Apple calendars.

use super::people::actor;
use crate::error::PageError;
use crate::session::SignedIn;
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use chrono::DateTime;
use coproduce_domain::ical::{calendar, Event};
use coproduce_domain::Timestamp;

/// The calendar routes.
pub fn routes() -> Router<AppState> {
    Router::new().route("/calendar/groups/{file}", get(group_feed))
}

/// How far back a feed reaches, so a calendar keeps the recent past.
const PAST_DAYS: i64 = 92;

async fn group_feed(
    State(state): State<AppState>,
    SignedIn(session): SignedIn,
    Path(file): Path<String>,
) -> Response {
    let Some(id) = file
        .strip_suffix(".ics")
        .and_then(|i| i.parse::<i64>().ok())
    else {
        return PageError::not_found().into_response();
    };
    let who = actor(&session);
    let now = state.app.now_for_display();
    let from = Timestamp(now.millis() - PAST_DAYS * 86_400_000);
    let (view, meetings) = match tokio::try_join!(
        state.app.view_group(&who, id),
        state.app.group_meetings(&who, id, Some(from), None)
    ) {
        Ok(r) => r,
        Err(e) => return PageError::from(e).into_response(),
    };
    let g = &view.group;
    let origin = &state.config.public_origin;
    let host = origin.split("://").nth(1).unwrap_or(origin);
    let mut joining = Vec::new();
    if let Some(v) = &g.video_link {
        joining.push(format!("Join online: {v}"));
    }
    if !g.phone_dial_in.is_empty() {
        joining.push(format!("Join by phone: {}", g.phone_dial_in));
    }
    if !g.venue.is_empty() {
        joining.push(format!("In person: {}", g.venue));
    }
    if !g.venue_access.is_empty() {
        joining.push(format!("Access: {}", g.venue_access));
    }
    let location = if g.venue.is_empty() {
        g.video_link.clone().unwrap_or_default()
    } else {
        g.venue.clone()
    };
    let events: Vec<Event> = meetings
        .iter()
        .filter_map(|m| {
            Some(Event {
                uid: format!("meeting-{}@{host}", m.id),
                sequence: m.sequence,
                starts_at: DateTime::from_timestamp_millis(m.starts_at)?,
                ends_at: DateTime::from_timestamp_millis(m.ends_at)?,
                summary: g.name.clone(),
                description: joining.join("\n"),
                location: location.clone(),
                url: format!("{origin}/groups/{}", g.id),
                cancelled: m.status == "cancelled",
            })
        })
        .collect();
    let stamp = DateTime::from_timestamp_millis(now.millis()).unwrap_or_default();
    let body = calendar(&g.name, &events, stamp);
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
            (header::CACHE_CONTROL, "private, max-age=300"),
        ],
        body,
    )
        .into_response()
}
