//! The attendance register: who came, their role and how long, saved as a new version.

use super::view::{heading, team_href};
use crate::extract::{CsrfForm, Staff};
use crate::html::kit::uk;
use crate::html::kit::{render, Errors, Layout, PageResult};
use crate::AppState;
use askama::Template;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use coproduce_app::meetings::{who_key, MeetingView, RegisterInput, RegisterLineInput};
use coproduce_app::sign_in::Session;
use coproduce_app::AppError;
use coproduce_domain::groups::{Attendance, AttendanceRole};
use coproduce_domain::meetings::Meeting;
use coproduce_domain::people::needs_text;
use coproduce_domain::MeetingId;

pub(super) struct RegisterRow {
    index: usize,
    who: String,
    name: String,
    /// Their needs, as the meeting page shows them.
    needs: String,
    attendance: String,
    minutes: String,
    role: String,
}

#[derive(Template)]
#[template(path = "meetings/register.html")]
pub(super) struct RegisterPage {
    layout: Layout,
    status: StatusCode,
    errors: Errors,
    m: Meeting,
    team_href: String,
    when: String,
    length: i64,
    rows: Vec<RegisterRow>,
    version: i64,
    attendances: &'static [Attendance],
    roles: &'static [AttendanceRole],
    csrf_token: String,
}

pub(super) fn register_page(
    state: &AppState,
    session: &Session,
    v: MeetingView,
    typed: Option<&RegisterInput>,
    errors: Errors,
) -> Response {
    let rows = v
        .invitees
        .iter()
        .filter(|i| i.invited || i.attendance.is_some())
        .enumerate()
        .map(|(index, i)| {
            let who = who_key(i.person_id, i.staff_id);
            let line = typed.and_then(|t| t.lines.iter().find(|l| l.who == who));
            RegisterRow {
                index,
                name: i.name.clone(),
                needs: needs_text(&i.needs, &i.interpreter_language),
                attendance: line.map_or_else(
                    || {
                        i.attendance
                            .map(Attendance::code)
                            .unwrap_or_default()
                            .to_owned()
                    },
                    |l| l.attendance.clone(),
                ),
                minutes: line.map_or_else(
                    || {
                        i.minutes_attended
                            .map(|n| n.to_string())
                            .unwrap_or_default()
                    },
                    |l| l.minutes_attended.clone(),
                ),
                role: line.map_or_else(
                    || {
                        i.role
                            .map(AttendanceRole::code)
                            .unwrap_or_default()
                            .to_owned()
                    },
                    |l| l.role.clone(),
                ),
                who,
            }
        })
        .collect();
    let m = v.meeting;
    let title = format!("Register: {}", heading(&m));
    let page = RegisterPage {
        layout: Layout::new(state, Some(session), errors.title(&title), "/groups"),
        status: errors.status(),
        errors,
        team_href: team_href(&m),
        when: uk(m.starts_at),
        length: (m.ends_at - m.starts_at) / 60_000,
        rows,
        version: m.register_version,
        attendances: Attendance::ALL,
        roles: AttendanceRole::ALL,
        csrf_token: session.csrf_token.clone(),
        m,
    };
    render(page.status, &page)
}

pub(super) async fn register_form(
    Staff(state, session, actor): Staff,
    Path(id): Path<MeetingId>,
) -> PageResult {
    let v = state.app.view_meeting(&actor, id).await?;
    Ok(register_page(&state, &session, v, None, Errors::default()))
}

/// Reads the register's rows, posted as `who-N`, `attendance-N`, `minutes-N` and `role-N`.
pub(super) fn read_register(pairs: &[(String, String)]) -> RegisterInput {
    let mut lines: std::collections::BTreeMap<usize, RegisterLineInput> = Default::default();
    let mut version = 0;
    for (key, value) in pairs {
        if key == "version" {
            version = value.trim().parse().unwrap_or(0);
            continue;
        }
        let Some((field, n)) = key.rsplit_once('-') else {
            continue;
        };
        let Ok(n) = n.parse::<usize>() else { continue };
        let line = lines.entry(n).or_default();
        match field {
            "who" => line.who = value.clone(),
            "attendance" => line.attendance = value.clone(),
            "minutes" => line.minutes_attended = value.clone(),
            "role" => line.role = value.clone(),
            _ => {}
        }
    }
    RegisterInput {
        lines: lines.into_values().filter(|l| !l.who.is_empty()).collect(),
        version,
    }
}

pub(super) async fn save_register(
    Staff(state, session, actor): Staff,
    Path(id): Path<MeetingId>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> PageResult {
    let input = read_register(&pairs);
    let errors = match state.app.save_register(&actor, id, &input).await {
        Ok(()) => return Ok(Redirect::to(&format!("/meetings/{id}?register=1")).into_response()),
        Err(AppError::Invalid(list)) => Errors::from(list),
        Err(AppError::Conflict { .. }) => Errors::one(
            "register",
            "Someone else saved this register while you were filling it in. What you chose is below: check it against theirs and save again.",
        ),
        Err(e) => return Err(e.into()),
    };
    let v = state.app.view_meeting(&actor, id).await?;
    Ok(register_page(&state, &session, v, Some(&input), errors))
}
