//! A meeting's page: joining details, agenda, papers, invitees and replies, minutes and actions.

use super::view::{heading, team_href};
use crate::extract::Staff;
use crate::html::kit::uk;
use crate::html::kit::{action_rows, render, ActionRow, Choice, Errors, Layout, PageResult};
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use coproduce_app::meetings::{who_key, ActionInput, MeetingView};
use coproduce_app::sign_in::Session;
use coproduce_app::AppError;
use coproduce_domain::concerns::{Concern, Severity};
use coproduce_domain::groups::{minutes_blocks, ActionStatus, Attendance, Block, Rsvp};
use coproduce_domain::meetings::MeetingStatus;
use coproduce_domain::meetings::{AgreedAt, Invitee, Meeting, Paper};
use coproduce_domain::outbox::Message;
use coproduce_domain::people::{needs_summary, needs_text};
use coproduce_domain::secret::SecretToken;
use coproduce_domain::MeetingId;
use serde::Deserialize;

pub(super) struct InviteeItem {
    who: String,
    name: String,
    href: Option<String>,
    member_role: String,
    /// Their needs, to arrange before the day.
    needs: String,
    rsvp: String,
    /// Whether they said, on their page, they are coming to all the group's meetings.
    coming_to_all: bool,
    attendance: &'static str,
}

pub(super) struct MessageItem {
    to: String,
    what: &'static str,
    how: &'static str,
    status: &'static str,
    detail: String,
}

pub(super) struct PaperItem {
    id: i64,
    title: String,
    href: String,
    external: bool,
    easy_read: bool,
    detail: String,
}

#[derive(Template)]
#[template(path = "meetings/show.html")]
pub(super) struct ShowPage {
    layout: Layout,
    status: StatusCode,
    errors: Errors,
    notice: Option<&'static str>,
    m: Meeting,
    team_href: String,
    when: String,
    length: i64,
    agenda: Vec<Block>,
    minutes: Vec<Block>,
    papers: Vec<PaperItem>,
    invited: Vec<InviteeItem>,
    not_invited: Vec<InviteeItem>,
    register_taken: bool,
    /// What those invited need, summed up ("2 need a BSL interpreter").
    needs_summary: String,
    /// Whether it has begun: a register is taken and minutes written once it has; before, the
    /// page leads with who is coming.
    started: bool,
    actions: Vec<ActionRow>,
    actions_caption: &'static str,
    /// The meeting an action's status form returns to.
    action_meeting: Option<MeetingId>,
    messages: Vec<MessageItem>,
    action_form: ActionInput,
    owners: Vec<(String, String)>,
    replies: &'static [Rsvp],
    statuses: &'static [ActionStatus],
    /// Concerns recorded from this meeting, and the choices of the form to record one.
    concerns: Vec<Concern>,
    concern_severities: Vec<Choice>,
    csrf_token: String,
}

pub(super) fn show_page(
    state: &AppState,
    session: &Session,
    v: MeetingView,
    concerns: Vec<Concern>,
    errors: Errors,
    notice: Option<&'static str>,
    action_form: Option<ActionInput>,
) -> Response {
    let m = v.meeting;
    let items = invitee_items(&v.invitees);
    // Whoever is invited, then the staff who are not: an action can be a staff member's.
    let mut owners: Vec<(String, String)> = v
        .invitees
        .iter()
        .filter(|i| i.invited)
        .map(|i| (who_key(i.person_id, i.staff_id), i.name.clone()))
        .collect();
    for (id, name) in &v.staff {
        let key = who_key(None, Some(*id));
        if !owners.iter().any(|(k, _)| *k == key) {
            owners.push((key, format!("{name} (staff)")));
        }
    }
    let register_taken = v.invitees.iter().any(|i| i.attendance.is_some());
    let (invited, not_invited): (Vec<_>, Vec<_>) = items.into_iter().partition(|(i, _)| *i);
    let actions = action_rows(v.actions, AgreedAt::Meeting(m.id));
    let papers = paper_items(&v.papers);
    let messages = message_items(&v.messages);
    let title = heading(&m);
    let page = ShowPage {
        layout: Layout::new(state, Some(session), errors.title(&title), "/groups"),
        notice,
        team_href: team_href(&m),
        when: uk(m.starts_at),
        length: (m.ends_at - m.starts_at) / 60_000,
        agenda: minutes_blocks(&m.agenda),
        minutes: minutes_blocks(&m.notes),
        papers,
        invited: invited.into_iter().map(|(_, i)| i).collect(),
        not_invited: not_invited.into_iter().map(|(_, i)| i).collect(),
        register_taken,
        needs_summary: needs_summary(
            v.invitees
                .iter()
                .filter(|i| i.invited && i.rsvp != Some(Rsvp::No))
                .map(|i| i.needs.as_slice()),
        ),
        started: m.starts_at <= state.app.now_for_display().millis(),
        actions,
        actions_caption: "Actions, with open ones from earlier meetings",
        action_meeting: Some(m.id),
        messages,
        action_form: action_form.unwrap_or_else(|| ActionInput {
            submission_key: SecretToken::generate("").expose().to_owned(),
            ..ActionInput::default()
        }),
        owners,
        replies: Rsvp::ALL,
        statuses: ActionStatus::ALL,
        concerns,
        concern_severities: Choice::list(Severity::ALL.iter().map(|s| (s.code(), s.label())), &[]),
        csrf_token: session.csrf_token.clone(),
        status: errors.status(),
        errors,
        m,
    };
    render(page.status, &page)
}

pub(super) fn file_size(bytes: i64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    } else {
        format!("{} KB", (bytes + 1023) / 1024)
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct Notice {
    saved: Option<String>,
    register: Option<String>,
    reply: Option<String>,
    invited: Option<String>,
    action: Option<String>,
    paper: Option<String>,
    concern: Option<String>,
}

pub(super) async fn show(
    Staff(state, session, actor): Staff,
    Path(id): Path<MeetingId>,
    Query(q): Query<Notice>,
) -> PageResult {
    let notice = if q.saved.is_some() {
        Some("Saved. The rest of the series is unchanged.")
    } else if q.register.is_some() {
        Some("Register saved.")
    } else if q.reply.is_some() {
        Some("Reply saved.")
    } else if q.invited.is_some() {
        Some("Invitations updated.")
    } else if q.action.is_some() {
        Some("Action saved.")
    } else if q.paper.is_some() {
        Some("Papers updated.")
    } else if q.concern.is_some() {
        Some("The concern is recorded, and is on the concerns log.")
    } else {
        None
    };
    let v = state.app.view_meeting(&actor, id).await?;
    let concerns = state.app.meeting_concerns(&actor, id).await?;
    Ok(show_page(
        &state,
        &session,
        v,
        concerns,
        Errors::default(),
        notice,
        None,
    ))
}

/// Re-shows the meeting page with a form's problems, or the error page.
pub(super) async fn show_with(
    state: &AppState,
    session: &Session,
    id: MeetingId,
    errors: Errors,
    action_form: Option<ActionInput>,
) -> PageResult {
    let actor = session.actor();
    let v = state.app.view_meeting(&actor, id).await?;
    let concerns = state.app.meeting_concerns(&actor, id).await?;
    Ok(show_page(
        state,
        session,
        v,
        concerns,
        errors,
        None,
        action_form,
    ))
}

/// After a form on the meeting's page: back to it at `to`, or the page again with the form's
/// problems (and, for a new action, what was typed).
pub(super) async fn back_to_meeting<T>(
    state: &AppState,
    session: &Session,
    id: MeetingId,
    result: Result<T, AppError>,
    to: String,
    action_form: Option<ActionInput>,
) -> PageResult {
    match result {
        Ok(_) => Ok(Redirect::to(&to).into_response()),
        Err(AppError::Invalid(list)) => {
            show_with(state, session, id, Errors::from(list), action_form).await
        }
        Err(e) => Err(e.into()),
    }
}

/// The meeting's invitees as the page lists them, each marked whether invited.
fn invitee_items(invitees: &[Invitee]) -> Vec<(bool, InviteeItem)> {
    invitees
        .iter()
        .map(|i| {
            (
                i.invited,
                InviteeItem {
                    who: who_key(i.person_id, i.staff_id),
                    name: i.name.clone(),
                    href: i.person_id.map(|p| format!("/people/{p}")),
                    member_role: i
                        .member_role
                        .map_or("Invited to this meeting", |r| r.label())
                        .to_owned(),
                    needs: needs_text(&i.needs, &i.interpreter_language),
                    rsvp: i.rsvp.map(Rsvp::code).unwrap_or_default().to_owned(),
                    coming_to_all: i.coming_to_all,
                    attendance: i.attendance.map_or("Not taken", Attendance::label),
                },
            )
        })
        .collect()
}

/// The papers, each a link to its file or to where it lives.
fn paper_items(papers: &[Paper]) -> Vec<PaperItem> {
    papers
        .iter()
        .map(|p| PaperItem {
            id: p.id,
            title: p.title.clone(),
            href: p
                .link
                .clone()
                .unwrap_or_else(|| format!("/papers/{}", p.id)),
            external: p.link.is_some(),
            easy_read: p.easy_read,
            detail: match (&p.file_name, p.size) {
                (Some(name), Some(size)) => format!("{name}, {}", file_size(size)),
                _ => "Link".into(),
            },
        })
        .collect()
}

/// The messages sent about the meeting, and how each went.
fn message_items(messages: &[Message]) -> Vec<MessageItem> {
    messages
        .iter()
        .map(|d| MessageItem {
            to: d.recipient_name.clone(),
            what: if d.kind == "reminder" {
                "Reminder"
            } else {
                "Change notice"
            },
            how: match (d.channel.as_str(), d.easy_read) {
                ("email", false) => "Email",
                ("email", true) => "Email, Easy Read",
                ("sms", false) => "Text message",
                ("sms", true) => "Text message, Easy Read",
                (_, false) => "Letter",
                (_, true) => "Letter, Easy Read",
            },
            status: match d.status.as_str() {
                "pending" if d.attempts > 0 => "Waiting to try again",
                "pending" => "Waiting to send",
                "sending" => "Sending",
                "sent" => "Sent",
                "delivered" => "Delivered",
                _ => "Failed",
            },
            detail: match (&d.last_error, d.status.as_str()) {
                (Some(e), "pending") => format!(
                    "Attempt {} failed: {e}. Next try {}",
                    d.attempts,
                    uk(d.next_attempt_at)
                ),
                (Some(e), "failed") => e.clone(),
                _ => d.sent_at.map(uk).unwrap_or_default(),
            },
        })
        .collect()
}
