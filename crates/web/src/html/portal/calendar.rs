//! A person's calendar link.

use super::*;

#[derive(Template)]
#[template(path = "portal/calendar.html")]
pub(super) struct CalendarPage {
    layout: Layout,
    made: String,
    link: String,
    csrf_token: String,
}

pub(super) async fn calendar_response(
    state: &AppState,
    s: &PortalSession,
    link: String,
) -> PageResult {
    let made = state
        .app
        .calendar_link_made(&s.actor(), Joiner::Person(s.person_id))
        .await?
        .map(|t| uk(t.millis()))
        .unwrap_or_default();
    let page = CalendarPage {
        layout: portal_layout(state, s, "Your calendar link", "/my/calendar"),
        made,
        link,
        csrf_token: s.csrf_token.clone(),
    };
    Ok(render(StatusCode::OK, &page))
}

pub(super) async fn calendar(State(state): State<AppState>, Portal(s): Portal) -> PageResult {
    calendar_response(&state, &s, String::new()).await
}

pub(super) async fn new_calendar_link(
    State(state): State<AppState>,
    PortalForm(s, _): PortalForm<Vec<(String, String)>>,
) -> PageResult {
    let token = state
        .app
        .new_calendar_link(&s.actor(), Joiner::Person(s.person_id))
        .await?;
    let link = format!(
        "{}/calendar/feed/{}.ics",
        state.config.public_origin,
        token.expose()
    );
    calendar_response(&state, &s, link).await
}
