//! One meeting: its page (joining details, agenda, papers, invitees and replies, minutes,
//! actions), changing it, one-off meetings, the register, inviting someone, and papers.

use super::kit::team::{people_named, team_name, team_path};
use super::kit::{date_text, uk, uk_date};
use super::kit::{render, Errors, Layout};
use crate::error::PageError;
use crate::extract::CsrfForm;
use crate::extract::SignedIn;
use crate::AppState;
use askama::Template;
use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use coproduce_app::meetings::{
    parse_who, who_key, ActionInput, Meeting, MeetingInput, MeetingView, PaperInput, RegisterInput,
    RegisterLineInput, ReplyInput, Team, Upload, MAX_PAPER_BYTES,
};
use coproduce_app::people::PersonRow;
use coproduce_app::sign_in::Session;
use coproduce_app::AppError;
use coproduce_domain::groups::{
    minutes_blocks, ActionStatus, Attendance, AttendanceRole, Block, Rsvp,
};
use coproduce_domain::secret::{constant_time_eq, SecretToken};
use serde::Deserialize;

/// The meeting routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/meetings/{id}", get(show))
        .route("/meetings/{id}/edit", get(edit_form).post(save))
        .route(
            "/groups/{id}/meetings/new",
            get(new_group_meeting).post(add_group_meeting),
        )
        .route(
            "/projects/{id}/meetings/new",
            get(new_project_meeting).post(add_project_meeting),
        )
        .route(
            "/meetings/{id}/register",
            get(register_form).post(save_register),
        )
        .route("/meetings/{id}/replies", post(reply))
        .route("/meetings/{id}/invite", get(find_invitee))
        .route("/meetings/{id}/invitations", post(invite))
        .route("/meetings/{id}/actions", post(add_action))
        .route("/actions/{id}", post(action_status))
        .route(
            "/meetings/{id}/papers",
            post(add_paper).layer(DefaultBodyLimit::max(MAX_PAPER_BYTES + 64 * 1024)),
        )
        .route("/meetings/{id}/papers/{paper}/remove", post(remove_paper))
        .route("/papers/{id}", get(paper))
}

/// Where a meeting's group or project lives.
fn team_href(m: &Meeting) -> String {
    team_path(m.team())
}

fn heading(m: &Meeting) -> String {
    format!("{}: {}", m.name(), uk(m.starts_at))
}

struct InviteeItem {
    who: String,
    name: String,
    href: Option<String>,
    member_role: String,
    rsvp: String,
    attendance: &'static str,
}

struct ActionItem {
    id: i64,
    description: String,
    owner: String,
    due: String,
    status: String,
    carried: Option<String>,
    version: i64,
}

struct MessageItem {
    to: String,
    what: &'static str,
    how: &'static str,
    status: &'static str,
    detail: String,
}

struct PaperItem {
    id: i64,
    title: String,
    href: String,
    external: bool,
    easy_read: bool,
    detail: String,
}

#[derive(Template)]
#[template(path = "meetings/show.html")]
struct ShowPage {
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
    actions: Vec<ActionItem>,
    messages: Vec<MessageItem>,
    action_form: ActionInput,
    owners: Vec<(String, String)>,
    replies: &'static [Rsvp],
    statuses: &'static [ActionStatus],
    csrf_token: String,
}

fn show_page(
    state: &AppState,
    session: &Session,
    v: MeetingView,
    errors: Errors,
    notice: Option<&'static str>,
    action_form: Option<ActionInput>,
) -> Response {
    let m = v.meeting;
    let items: Vec<(bool, InviteeItem)> = v
        .invitees
        .iter()
        .map(|i| {
            let rsvp = i.rsvp.as_deref().and_then(Rsvp::parse);
            (
                i.invited,
                InviteeItem {
                    who: who_key(i.person_id, i.staff_id),
                    name: i.name.clone(),
                    href: i.person_id.map(|p| format!("/people/{p}")),
                    member_role: i
                        .member_role
                        .as_deref()
                        .and_then(coproduce_domain::groups::GroupRole::parse)
                        .map_or("Invited to this meeting", |r| r.label())
                        .to_owned(),
                    rsvp: rsvp.map(Rsvp::code).unwrap_or_default().to_owned(),
                    attendance: i
                        .attendance
                        .as_deref()
                        .and_then(Attendance::parse)
                        .map_or("Not taken", Attendance::label),
                },
            )
        })
        .collect();
    let owners = v
        .invitees
        .iter()
        .filter(|i| i.invited)
        .map(|i| (who_key(i.person_id, i.staff_id), i.name.clone()))
        .collect();
    let register_taken = v.invitees.iter().any(|i| i.attendance.is_some());
    let (invited, not_invited): (Vec<_>, Vec<_>) = items.into_iter().partition(|(i, _)| *i);
    let actions = v
        .actions
        .iter()
        .map(|a| ActionItem {
            id: a.id,
            description: a.description.clone(),
            owner: a.owner_name.clone().unwrap_or_else(|| "Nobody yet".into()),
            due: a.due_on.as_deref().map(date_text).unwrap_or_default(),
            status: a.status.clone(),
            carried: (a.meeting_id != m.id).then(|| uk_date(a.raised_at)),
            version: a.version,
        })
        .collect();
    let papers = v
        .papers
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
        .collect();
    let messages = v
        .messages
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
        .collect();
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
        actions,
        messages,
        action_form: action_form.unwrap_or_else(|| ActionInput {
            submission_key: SecretToken::generate("").expose().to_owned(),
            ..ActionInput::default()
        }),
        owners,
        replies: Rsvp::ALL,
        statuses: ActionStatus::ALL,
        csrf_token: session.csrf_token.clone(),
        status: errors.status(),
        errors,
        m,
    };
    render(page.status, &page)
}

fn file_size(bytes: i64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    } else {
        format!("{} KB", (bytes + 1023) / 1024)
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Notice {
    saved: Option<String>,
    register: Option<String>,
    reply: Option<String>,
    invited: Option<String>,
    action: Option<String>,
    paper: Option<String>,
}

async fn show(
    State(state): State<AppState>,
    SignedIn(session, actor): SignedIn,
    Path(id): Path<i64>,
    Query(q): Query<Notice>,
) -> Response {
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
    } else {
        None
    };
    match state.app.view_meeting(&actor, id).await {
        Ok(v) => show_page(&state, &session, v, Errors::default(), notice, None),
        Err(e) => PageError::from(e).into_response(),
    }
}

/// Re-shows the meeting page with a form's problems, or the error page.
async fn show_with(
    state: &AppState,
    session: &Session,
    id: i64,
    errors: Errors,
    action_form: Option<ActionInput>,
) -> Response {
    match state.app.view_meeting(&session.actor(), id).await {
        Ok(v) => show_page(state, session, v, errors, None, action_form),
        Err(e) => PageError::from(e).into_response(),
    }
}

#[derive(Template)]
#[template(path = "meetings/form.html")]
struct FormPage {
    layout: Layout,
    status: StatusCode,
    errors: Errors,
    caption: String,
    caption_href: String,
    heading: String,
    action: String,
    one_off: bool,
    existing: bool,
    cancelled: bool,
    form: MeetingInput,
    csrf_token: String,
}

struct FormContext {
    caption: String,
    caption_href: String,
    heading: String,
    action: String,
    one_off: bool,
    existing: bool,
    cancelled: bool,
}

fn form_page(
    state: &AppState,
    session: &Session,
    c: FormContext,
    form: MeetingInput,
    errors: Errors,
) -> Response {
    let page = FormPage {
        layout: Layout::new(state, Some(session), errors.title(&c.heading), "/groups"),
        status: errors.status(),
        errors,
        caption: c.caption,
        caption_href: c.caption_href,
        heading: c.heading,
        action: c.action,
        one_off: c.one_off,
        existing: c.existing,
        cancelled: c.cancelled,
        form,
        csrf_token: session.csrf_token.clone(),
    };
    render(page.status, &page)
}

fn edit_context(m: &Meeting) -> FormContext {
    FormContext {
        caption: m.host_name.clone(),
        caption_href: team_href(m),
        heading: format!("Change the meeting on {}", uk(m.starts_at)),
        action: format!("/meetings/{}/edit", m.id),
        one_off: m.occurrence.is_none(),
        existing: true,
        cancelled: m.status == "cancelled",
    }
}

async fn edit_form(
    State(state): State<AppState>,
    SignedIn(session, actor): SignedIn,
    Path(id): Path<i64>,
) -> Response {
    match state.app.view_meeting(&actor, id).await {
        Ok(v) => {
            let form = MeetingInput::from_meeting(&v.meeting);
            form_page(
                &state,
                &session,
                edit_context(&v.meeting),
                form,
                Errors::default(),
            )
        }
        Err(e) => PageError::from(e).into_response(),
    }
}

async fn save(
    State(state): State<AppState>,
    SignedIn(session, actor): SignedIn,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<MeetingInput>,
) -> Response {
    let who = actor;
    let errors = match state.app.change_meeting(&who, id, &form).await {
        Ok(()) => return Redirect::to(&format!("/meetings/{id}?saved=1")).into_response(),
        Err(AppError::Invalid(list)) => Errors::from(list),
        Err(AppError::Conflict { .. }) => Errors::one(
            "date",
            "Someone else changed this meeting while you were changing it. What you typed is below: check it and save again.",
        ),
        Err(e) => return PageError::from(e).into_response(),
    };
    match state.app.view_meeting(&who, id).await {
        Ok(v) => {
            let mut form = form;
            form.version = v.meeting.version;
            form_page(&state, &session, edit_context(&v.meeting), form, errors)
        }
        Err(e) => PageError::from(e).into_response(),
    }
}

/// The context of a new one-off meeting's form for a group or project.
async fn new_context(
    state: &AppState,
    session: &Session,
    team: Team,
) -> Result<FormContext, Response> {
    let name = team_name(state, session, team)
        .await
        .map_err(|e| PageError::from(e).into_response())?;
    let base = team_path(team);
    Ok(FormContext {
        caption: name,
        action: format!("{base}/meetings/new"),
        caption_href: base,
        heading: "Add a meeting".into(),
        one_off: true,
        existing: false,
        cancelled: false,
    })
}

async fn new_meeting(state: AppState, session: Session, team: Team) -> Response {
    match new_context(&state, &session, team).await {
        Ok(c) => {
            let form = MeetingInput {
                minutes: "60".into(),
                status: "scheduled".into(),
                ..MeetingInput::default()
            };
            form_page(&state, &session, c, form, Errors::default())
        }
        Err(r) => r,
    }
}

async fn add_meeting(
    state: AppState,
    session: Session,
    team: Team,
    form: MeetingInput,
) -> Response {
    let errors = match state.app.add_meeting(&session.actor(), team, &form).await {
        Ok(id) => return Redirect::to(&format!("/meetings/{id}?saved=1")).into_response(),
        Err(AppError::Invalid(list)) => Errors::from(list),
        Err(e) => return PageError::from(e).into_response(),
    };
    match new_context(&state, &session, team).await {
        Ok(c) => form_page(&state, &session, c, form, errors),
        Err(r) => r,
    }
}

async fn new_group_meeting(
    State(state): State<AppState>,
    SignedIn(session, _): SignedIn,
    Path(id): Path<i64>,
) -> Response {
    new_meeting(state, session, Team::Group(id)).await
}

async fn new_project_meeting(
    State(state): State<AppState>,
    SignedIn(session, _): SignedIn,
    Path(id): Path<i64>,
) -> Response {
    new_meeting(state, session, Team::Project(id)).await
}

async fn add_group_meeting(
    State(state): State<AppState>,
    SignedIn(session, _): SignedIn,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<MeetingInput>,
) -> Response {
    add_meeting(state, session, Team::Group(id), form).await
}

async fn add_project_meeting(
    State(state): State<AppState>,
    SignedIn(session, _): SignedIn,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<MeetingInput>,
) -> Response {
    add_meeting(state, session, Team::Project(id), form).await
}

struct RegisterRow {
    index: usize,
    who: String,
    name: String,
    attendance: String,
    minutes: String,
    role: String,
}

#[derive(Template)]
#[template(path = "meetings/register.html")]
struct RegisterPage {
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

fn register_page(
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
                attendance: line.map_or_else(
                    || i.attendance.clone().unwrap_or_default(),
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
                role: line.map_or_else(|| i.role.clone().unwrap_or_default(), |l| l.role.clone()),
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

async fn register_form(
    State(state): State<AppState>,
    SignedIn(session, actor): SignedIn,
    Path(id): Path<i64>,
) -> Response {
    match state.app.view_meeting(&actor, id).await {
        Ok(v) => register_page(&state, &session, v, None, Errors::default()),
        Err(e) => PageError::from(e).into_response(),
    }
}

/// Reads the register's rows, posted as `who-N`, `attendance-N`, `minutes-N` and `role-N`.
fn read_register(pairs: &[(String, String)]) -> RegisterInput {
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

async fn save_register(
    State(state): State<AppState>,
    SignedIn(session, actor): SignedIn,
    Path(id): Path<i64>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Response {
    let input = read_register(&pairs);
    let who = actor;
    let errors = match state.app.save_register(&who, id, &input).await {
        Ok(()) => return Redirect::to(&format!("/meetings/{id}?register=1")).into_response(),
        Err(AppError::Invalid(list)) => Errors::from(list),
        Err(AppError::Conflict { .. }) => Errors::one(
            "register",
            "Someone else saved this register while you were filling it in. What you chose is below: check it against theirs and save again.",
        ),
        Err(e) => return PageError::from(e).into_response(),
    };
    match state.app.view_meeting(&who, id).await {
        Ok(v) => register_page(&state, &session, v, Some(&input), errors),
        Err(e) => PageError::from(e).into_response(),
    }
}

async fn reply(
    State(state): State<AppState>,
    SignedIn(session, actor): SignedIn,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<ReplyInput>,
) -> Response {
    match state.app.record_reply(&actor, id, &form).await {
        Ok(()) => Redirect::to(&format!("/meetings/{id}?reply=1#invitees")).into_response(),
        Err(AppError::Invalid(list)) => {
            show_with(&state, &session, id, Errors::from(list), None).await
        }
        Err(e) => PageError::from(e).into_response(),
    }
}

#[derive(Template)]
#[template(path = "meetings/invite.html")]
struct InvitePage {
    layout: Layout,
    status: StatusCode,
    errors: Errors,
    m: Meeting,
    q: String,
    searched: bool,
    people: Vec<PersonRow>,
    csrf_token: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Find {
    q: String,
}

async fn invite_page(
    state: &AppState,
    session: &Session,
    id: i64,
    q: String,
    errors: Errors,
) -> Response {
    let who = session.actor();
    let v = match state.app.view_meeting(&who, id).await {
        Ok(v) => v,
        Err(e) => return PageError::from(e).into_response(),
    };
    let (searched, people) = match people_named(state, &who, &q).await {
        Ok(found) => found,
        Err(e) => return PageError::from(e).into_response(),
    };
    let title = format!("Invite someone: {}", heading(&v.meeting));
    let page = InvitePage {
        layout: Layout::new(state, Some(session), errors.title(&title), "/groups"),
        status: errors.status(),
        errors,
        m: v.meeting,
        q,
        searched,
        people,
        csrf_token: session.csrf_token.clone(),
    };
    render(page.status, &page)
}

async fn find_invitee(
    State(state): State<AppState>,
    SignedIn(session, _): SignedIn,
    Path(id): Path<i64>,
    Query(q): Query<Find>,
) -> Response {
    invite_page(&state, &session, id, q.q, Errors::default()).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Invitation {
    who: String,
    /// `no` to take someone off this meeting.
    invited: String,
    q: String,
}

async fn invite(
    State(state): State<AppState>,
    SignedIn(session, actor): SignedIn,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<Invitation>,
) -> Response {
    let invited = form.invited != "no";
    match state
        .app
        .set_invitation(&actor, id, &form.who, invited)
        .await
    {
        Ok(()) => Redirect::to(&format!("/meetings/{id}?invited=1#invitees")).into_response(),
        Err(AppError::Invalid(list)) if parse_who(&form.who).is_some() || !form.q.is_empty() => {
            let message = list.first().map_or_else(String::new, |e| e.message.clone());
            invite_page(&state, &session, id, form.q, Errors::one("q", message)).await
        }
        Err(AppError::Invalid(list)) => {
            show_with(&state, &session, id, Errors::from(list), None).await
        }
        Err(e) => PageError::from(e).into_response(),
    }
}

async fn add_action(
    State(state): State<AppState>,
    SignedIn(session, actor): SignedIn,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<ActionInput>,
) -> Response {
    match state.app.add_action(&actor, id, &form).await {
        Ok(_) => Redirect::to(&format!("/meetings/{id}?action=1#actions")).into_response(),
        Err(AppError::Invalid(list)) => {
            show_with(&state, &session, id, Errors::from(list), Some(form)).await
        }
        Err(e) => PageError::from(e).into_response(),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct StatusForm {
    status: String,
    version: i64,
    /// The meeting page it was changed from.
    meeting: i64,
}

async fn action_status(
    State(state): State<AppState>,
    SignedIn(session, actor): SignedIn,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<StatusForm>,
) -> Response {
    match state
        .app
        .set_action_status(&actor, id, &form.status, form.version)
        .await
    {
        Ok(raised_at) => {
            let back = if form.meeting > 0 {
                form.meeting
            } else {
                raised_at
            };
            Redirect::to(&format!("/meetings/{back}?action=1#actions")).into_response()
        }
        Err(AppError::Conflict { .. }) if form.meeting > 0 => {
            let errors = Errors::one(
                "actions",
                "Someone else changed that action just now. Check it below and change it again if you need to.",
            );
            show_with(&state, &session, form.meeting, errors, None).await
        }
        Err(AppError::Invalid(list)) if form.meeting > 0 => {
            show_with(&state, &session, form.meeting, Errors::from(list), None).await
        }
        Err(e) => PageError::from(e).into_response(),
    }
}

#[derive(Default)]
struct PaperForm {
    csrf_token: String,
    input: PaperInput,
    file: Option<Upload>,
}

async fn read_paper(mut form: Multipart) -> Result<PaperForm, String> {
    let mut out = PaperForm::default();
    let too_big = || "The file must be 10 MB or smaller".to_owned();
    while let Some(field) = form.next_field().await.map_err(|_| too_big())? {
        match field.name().unwrap_or("") {
            "csrf_token" => out.csrf_token = crate::input::field_text(field).await,
            "title" => out.input.title = crate::input::field_text(field).await,
            "link" => out.input.link = crate::input::field_text(field).await,
            "easy_read" => out.input.easy_read = crate::input::field_text(field).await == "yes",
            "file" => {
                let name = crate::input::file_name(&field);
                let bytes = field.bytes().await.map_err(|_| too_big())?.to_vec();
                if !name.is_empty() || !bytes.is_empty() {
                    out.file = Some(Upload { name, bytes });
                }
            }
            _ => {}
        }
    }
    Ok(out)
}

async fn add_paper(
    State(state): State<AppState>,
    SignedIn(session, actor): SignedIn,
    Path(id): Path<i64>,
    form: Multipart,
) -> Response {
    let form = match read_paper(form).await {
        Ok(f) => f,
        Err(message) => {
            return show_with(&state, &session, id, Errors::one("file", message), None).await
        }
    };
    if !constant_time_eq(&form.csrf_token, &session.csrf_token) {
        return PageError {
            status: StatusCode::FORBIDDEN,
            heading: "This form has expired",
            message: "Go back, reload the page and try again.".into(),
        }
        .into_response();
    }
    match state
        .app
        .add_paper(&actor, id, &form.input, form.file.as_ref())
        .await
    {
        Ok(_) => Redirect::to(&format!("/meetings/{id}?paper=1#papers")).into_response(),
        Err(AppError::Invalid(list)) => {
            show_with(&state, &session, id, Errors::from(list), None).await
        }
        Err(e) => PageError::from(e).into_response(),
    }
}

async fn remove_paper(
    State(state): State<AppState>,
    SignedIn(_, actor): SignedIn,
    Path((id, paper)): Path<(i64, i64)>,
    CsrfForm(_): CsrfForm<Vec<(String, String)>>,
) -> Response {
    match state.app.remove_paper(&actor, id, paper).await {
        Ok(()) => Redirect::to(&format!("/meetings/{id}?paper=1#papers")).into_response(),
        Err(e) => PageError::from(e).into_response(),
    }
}

async fn paper(
    State(state): State<AppState>,
    SignedIn(_, actor): SignedIn,
    Path(id): Path<i64>,
) -> Response {
    match state.app.paper_file(&actor, id).await {
        Ok((name, kind, bytes)) => (
            StatusCode::OK,
            [
                (header::CONTENT_TYPE, kind),
                (
                    header::CONTENT_DISPOSITION,
                    format!(
                        "attachment; filename=\"{}\"",
                        name.replace(|c: char| !c.is_ascii(), "_")
                    ),
                ),
                (header::CACHE_CONTROL, "private, no-store".to_owned()),
            ],
            bytes,
        )
            .into_response(),
        Err(e) => PageError::from(e).into_response(),
    }
}
