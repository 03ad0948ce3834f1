//! The people's portal at /my: signing in with a one-time code or link, and each task on a page
//! of its own (meetings, opportunities, involvement, how we contact them, consents, calendar
//! link, Easy Read), plus staff signing someone in on their behalf.

use super::kit::opportunity::Shown;
use super::kit::{date_text, uk, Routes};
use super::kit::{render, render_with_cookie, Errors, FormFields, Layout, NavItem, UserBar};
use crate::error::PageError;
use crate::extract::CsrfForm;
use crate::extract::{ClientAddress, MaybeSession, SignedIn};
use crate::html::kit::render_error;
use crate::session::{cookie, form_token, set_cookie};
use crate::{AppState, WebConfig};
use askama::Template;
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Path, Query, Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use coproduce_app::meetings::{Joiner, Meeting};
use coproduce_app::portal::{ContactInput, PortalLookup, PortalOverview, PortalSession};
use coproduce_app::sign_in::Session;
use coproduce_app::AppError;
use coproduce_domain::opportunities::Stage;
use coproduce_domain::people::{Channel, ConsentKind, Need};
use coproduce_domain::secret::constant_time_eq;
use coproduce_domain::SecretToken;
use serde::de::DeserializeOwned;
use serde::Deserialize;

/// The portal's routes.
pub(super) fn routes() -> Routes {
    Routes::new()
        .route("/my", get(home))
        .route("/my/sign-in", get(sign_in_page).post(ask_for_code))
        .route("/my/sign-in/code", get(code_page).post(enter_code))
        .route("/my/sign-in/link", post(follow_link))
        .route("/my/sign-in/link/{token}", get(link_page))
        .route("/my/sign-out", post(sign_out))
        .route("/my/meetings", get(meetings))
        .route("/my/meetings/{id}/reply", post(reply))
        .route("/my/opportunities", get(opportunities))
        .route("/my/opportunities/{id}/interest", post(interest))
        .route("/my/involvement", get(involvement))
        .route("/my/contact", get(contact_page).post(save_contact))
        .route("/my/consents", get(consents).post(save_consent))
        .route("/my/calendar", get(calendar).post(new_calendar_link))
        .route("/my/easy-read", get(easy_read_page).post(save_easy_read))
        .route("/people/{id}/portal", post(on_behalf))
}

/// The portal cookie's name: `__Host-` prefixed over HTTPS.
fn portal_cookie_name(config: &WebConfig) -> &'static str {
    if config.https() {
        "__Host-coproduce_portal"
    } else {
        "coproduce_portal"
    }
}

/// A person signed in to their portal. Anyone else is sent to the portal's sign-in page.
pub struct Portal(pub PortalSession);

impl FromRequestParts<AppState> for Portal {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let Some(token) = cookie(&parts.headers, portal_cookie_name(&state.config)) else {
            return Err(Redirect::to("/my/sign-in").into_response());
        };
        match state.app.portal_session(token).await {
            Ok(PortalLookup::Live(s)) => Ok(Portal(*s)),
            Ok(PortalLookup::Expired) => {
                let mut r = Redirect::to("/my/sign-in?ended=1").into_response();
                r.headers_mut().append(
                    header::SET_COOKIE,
                    set_cookie(&state.config, portal_cookie_name(&state.config), None),
                );
                Err(r)
            }
            Ok(PortalLookup::Missing) => Err(Redirect::to("/my/sign-in").into_response()),
            Err(e) => Err(PageError::from(e).into_response()),
        }
    }
}

/// A form sent from a signed-in person's portal page: their session, and the fields, whose
/// `csrf_token` matched the one their session was given. Anything else is refused with a 403
/// page, so no other page (nor another site) can send a form on their behalf.
pub struct PortalForm<T>(pub PortalSession, pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for PortalForm<T> {
    type Rejection = Response;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, Response> {
        let (mut parts, body) = request.into_parts();
        let Portal(session) = Portal::from_request_parts(&mut parts, state).await?;
        let refuse = |status: StatusCode, heading: &str, message: &str| {
            render_error(state, None, status, heading, message)
        };
        let unreadable = || {
            refuse(
                StatusCode::BAD_REQUEST,
                "The form could not be read",
                "Go back, reload the page and try again.",
            )
        };
        let bytes = Bytes::from_request(Request::from_parts(parts, body), state)
            .await
            .map_err(|_| unreadable())?;
        let pairs = crate::input::form_pairs(&bytes);
        let sent = pairs
            .iter()
            .find(|(k, _)| k == "csrf_token")
            .map_or("", |(_, v)| v.as_str());
        if sent.is_empty() || !constant_time_eq(sent, &session.csrf_token) {
            return Err(refuse(
                StatusCode::FORBIDDEN,
                "This form has expired",
                "For your safety, forms only work for a while and only from the page that showed them. Go back, reload the page and try again.",
            ));
        }
        let fields = crate::input::form_from_pairs(&pairs).map_err(|_| unreadable())?;
        Ok(PortalForm(session, fields))
    }
}

/// The portal's pages, in the order the menu shows them.
const PORTAL_NAV: &[(&str, &str, &str)] = &[
    ("/my", "Your page", "Your page"),
    ("/my/meetings", "Meetings", "Meetings"),
    ("/my/opportunities", "Opportunities", "Things to do"),
    ("/my/involvement", "What you have done", "What you did"),
    ("/my/contact", "How we contact you", "How we contact you"),
    ("/my/consents", "Your choices", "Your choices"),
    ("/my/calendar", "Calendar link", "Calendar"),
    ("/my/easy-read", "Easy Read", "Easy Read"),
];

/// The layout for a portal page. Its forms carry the session's own form token.
fn portal_layout(
    state: &AppState,
    s: &PortalSession,
    title: impl Into<String>,
    current: &str,
) -> Layout {
    let mut layout = Layout::new(state, None, title, current);
    layout.nav = PORTAL_NAV
        .iter()
        .map(|&(href, label, easy)| NavItem {
            href,
            label: if s.easy_read { easy } else { label },
            current: href == current,
        })
        .collect();
    layout.user = Some(UserBar {
        name: s.name.clone(),
        csrf_token: s.csrf_token.clone(),
        account: "/my",
        sign_out: "/my/sign-out",
    });
    layout.easy_read = s.easy_read;
    layout.acting = s.on_behalf.as_ref().map(|(_, staff)| {
        format!(
            "{staff} is signed in to {}'s page for them. This ends at {}, or when you press the button.",
            s.name,
            uk(s.expires_at.millis())
        )
    });
    layout
}

fn signed_in_response(state: &AppState, token: &SecretToken) -> Response {
    let mut r = Redirect::to("/my").into_response();
    r.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(
            &state.config,
            portal_cookie_name(&state.config),
            Some(token.expose()),
        ),
    );
    r
}

// ---------------------------------------------------------------------------------------------
// Signing in.

#[derive(Template)]
#[template(path = "portal/sign_in.html")]
struct SignInPage {
    layout: Layout,
    errors: Errors,
    address: String,
    notice: &'static str,
    csrf_token: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct SignInQuery {
    ended: String,
    again: String,
}

fn sign_in_response(
    state: &AppState,
    headers: &HeaderMap,
    staff: Option<&Session>,
    status: StatusCode,
    errors: Errors,
    address: String,
    notice: &'static str,
) -> Response {
    let (csrf_token, cookie) = form_token(headers, staff, &state.config);
    let page = SignInPage {
        layout: Layout::public(state, errors.title("Sign in to your page"), "/my"),
        errors,
        address,
        notice,
        csrf_token,
    };
    render_with_cookie(status, &page, cookie)
}

async fn sign_in_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    MaybeSession(staff): MaybeSession,
    Query(q): Query<SignInQuery>,
) -> Response {
    let notice = if q.ended == "1" {
        "You were signed out, to keep your page safe. Sign in again to carry on."
    } else if q.again == "1" {
        "Ask for a new code below."
    } else {
        ""
    };
    sign_in_response(
        &state,
        &headers,
        staff.as_ref(),
        StatusCode::OK,
        Errors::default(),
        String::new(),
        notice,
    )
}

#[derive(Deserialize)]
struct AddressForm {
    #[serde(default)]
    address: String,
}

async fn ask_for_code(
    State(state): State<AppState>,
    headers: HeaderMap,
    MaybeSession(staff): MaybeSession,
    ClientAddress(client): ClientAddress,
    CsrfForm(form): CsrfForm<AddressForm>,
) -> Response {
    let origin = state.config.public_origin.clone();
    let errors = match state
        .app
        .request_portal_code(&form.address, &client, &origin)
        .await
    {
        Ok(request) => {
            return Redirect::to(&format!("/my/sign-in/code?request={}", request.expose()))
                .into_response()
        }
        Err(AppError::Invalid(list)) => (StatusCode::BAD_REQUEST, Errors::from(list)),
        Err(AppError::Throttled) => (
            StatusCode::TOO_MANY_REQUESTS,
            Errors::one(
                "address",
                "We have sent several codes in the last 15 minutes. Wait 15 minutes, then ask again, or phone the participation team.",
            ),
        ),
        Err(e) => return PageError::from(e).into_response(),
    };
    sign_in_response(
        &state,
        &headers,
        staff.as_ref(),
        errors.0,
        errors.1,
        form.address,
        "",
    )
}

#[derive(Template)]
#[template(path = "portal/code.html")]
struct CodePage {
    layout: Layout,
    errors: Errors,
    request: String,
    dead_end: bool,
    csrf_token: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct CodeForm {
    request: String,
    code: String,
}

fn code_response(
    state: &AppState,
    headers: &HeaderMap,
    staff: Option<&Session>,
    status: StatusCode,
    errors: Errors,
    request: String,
    dead_end: bool,
) -> Response {
    let (csrf_token, cookie) = form_token(headers, staff, &state.config);
    let page = CodePage {
        layout: Layout::public(state, errors.title("Enter your code"), "/my"),
        errors,
        request,
        dead_end,
        csrf_token,
    };
    render_with_cookie(status, &page, cookie)
}

async fn code_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    MaybeSession(staff): MaybeSession,
    Query(q): Query<CodeForm>,
) -> Response {
    code_response(
        &state,
        &headers,
        staff.as_ref(),
        StatusCode::OK,
        Errors::default(),
        q.request,
        false,
    )
}

async fn enter_code(
    State(state): State<AppState>,
    headers: HeaderMap,
    MaybeSession(staff): MaybeSession,
    CsrfForm(form): CsrfForm<CodeForm>,
) -> Response {
    let (errors, dead_end) = match state.app.portal_code_sign_in(&form.request, &form.code).await {
        Ok(token) => return signed_in_response(&state, &token),
        Err(AppError::Invalid(list)) => (Errors::from(list), false),
        Err(AppError::BadCredentials) => (
            Errors::one(
                "code",
                "That code is not right. Check the code in your latest message and try again.",
            ),
            false,
        ),
        Err(AppError::Expired) => (
            Errors::one(
                "code",
                "That code has expired or has been used. Codes work once, for 10 minutes. Ask for a new one.",
            ),
            true,
        ),
        Err(AppError::Throttled) => (
            Errors::one(
                "code",
                "That code was typed wrongly too many times, so it has stopped working. Ask for a new one.",
            ),
            true,
        ),
        Err(e) => return PageError::from(e).into_response(),
    };
    code_response(
        &state,
        &headers,
        staff.as_ref(),
        StatusCode::BAD_REQUEST,
        errors,
        form.request,
        dead_end,
    )
}

#[derive(Template)]
#[template(path = "portal/link.html")]
struct LinkPage {
    layout: Layout,
    token: String,
    dead_end: bool,
    csrf_token: String,
}

/// Whether a sign-in link's token could be one we made: 64 hex digits, nothing else.
fn well_formed(token: &str) -> bool {
    token.len() == 64 && token.chars().all(|c| c.is_ascii_hexdigit())
}

fn link_response(
    state: &AppState,
    headers: &HeaderMap,
    staff: Option<&Session>,
    token: String,
    dead_end: bool,
) -> Response {
    let (csrf_token, cookie) = form_token(headers, staff, &state.config);
    let (status, title) = if dead_end {
        (StatusCode::BAD_REQUEST, "That link has stopped working")
    } else {
        (StatusCode::OK, "Sign in to your page")
    };
    let page = LinkPage {
        layout: Layout::public(state, title, "/my"),
        token,
        dead_end,
        csrf_token,
    };
    render_with_cookie(status, &page, cookie)
}

async fn link_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    MaybeSession(staff): MaybeSession,
    Path(token): Path<String>,
) -> Response {
    // The link only shows a button that sends the token: email programs that open links to
    // check them must not use up the sign-in.
    let ok = well_formed(&token);
    let token = if ok { token } else { String::new() };
    link_response(&state, &headers, staff.as_ref(), token, !ok)
}

#[derive(Deserialize)]
struct LinkForm {
    #[serde(default)]
    token: String,
}

async fn follow_link(
    State(state): State<AppState>,
    headers: HeaderMap,
    MaybeSession(staff): MaybeSession,
    CsrfForm(form): CsrfForm<LinkForm>,
) -> Response {
    if !well_formed(&form.token) {
        return link_response(&state, &headers, staff.as_ref(), String::new(), true);
    }
    match state.app.portal_link_sign_in(&form.token).await {
        Ok(session) => signed_in_response(&state, &session),
        Err(AppError::Expired) => {
            link_response(&state, &headers, staff.as_ref(), String::new(), true)
        }
        Err(e) => PageError::from(e).into_response(),
    }
}

async fn sign_out(
    State(state): State<AppState>,
    PortalForm(s, _): PortalForm<Vec<(String, String)>>,
) -> Response {
    if let Err(e) = state.app.portal_sign_out(&s).await {
        return PageError::from(e).into_response();
    }
    // Staff who were helping go back to the person's record.
    let to = match s.on_behalf {
        Some(_) => format!("/people/{}", s.person_id),
        None => "/my/sign-in".to_owned(),
    };
    let mut r = Redirect::to(&to).into_response();
    r.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(&state.config, portal_cookie_name(&state.config), None),
    );
    r
}

async fn on_behalf(
    State(state): State<AppState>,
    SignedIn(_, actor): SignedIn,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<Vec<(String, String)>>,
) -> Response {
    match state.app.portal_on_behalf(&actor, id).await {
        Ok(token) => signed_in_response(&state, &token),
        Err(e) => PageError::from(e).into_response(),
    }
}

// ---------------------------------------------------------------------------------------------
// The pages.

/// A meeting as the portal shows it.
struct MeetingLine {
    m: Meeting,
    when: String,
    reply: Option<String>,
    how: String,
}

fn meeting_lines(o: &PortalOverview) -> Vec<MeetingLine> {
    o.meetings
        .iter()
        .filter(|(m, _)| m.status != "cancelled")
        .map(|(m, reply)| MeetingLine {
            when: uk(m.starts_at),
            how: if let Some(v) = &m.join_video_link {
                format!("Online: {v}")
            } else if !m.join_phone_dial_in.is_empty() {
                format!("By phone: {}", m.join_phone_dial_in)
            } else if !m.join_venue.is_empty() {
                format!("At {}", m.join_venue)
            } else {
                String::new()
            },
            reply: reply.clone(),
            m: m.clone(),
        })
        .collect()
}

async fn overview(state: &AppState, s: &PortalSession) -> Result<PortalOverview, Response> {
    state
        .app
        .portal_overview(s)
        .await
        .map_err(|e| PageError::from(e).into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Done {
    done: String,
}

#[derive(Template)]
#[template(path = "portal/home.html")]
struct HomePage {
    layout: Layout,
    next: Option<MeetingLine>,
    open: usize,
}

async fn home(State(state): State<AppState>, Portal(s): Portal) -> Response {
    let o = match overview(&state, &s).await {
        Ok(o) => o,
        Err(r) => return r,
    };
    let page = HomePage {
        layout: portal_layout(&state, &s, format!("Hello, {}", s.name), "/my"),
        next: meeting_lines(&o).into_iter().next(),
        open: o
            .opportunities
            .iter()
            .filter(|(_, stage)| stage.is_none())
            .count(),
    };
    render(StatusCode::OK, &page)
}

#[derive(Template)]
#[template(path = "portal/meetings.html")]
struct MeetingsPage {
    layout: Layout,
    lines: Vec<MeetingLine>,
    notice: bool,
    csrf_token: String,
}

async fn meetings(
    State(state): State<AppState>,
    Portal(s): Portal,
    Query(q): Query<Done>,
) -> Response {
    let o = match overview(&state, &s).await {
        Ok(o) => o,
        Err(r) => return r,
    };
    let page = MeetingsPage {
        layout: portal_layout(&state, &s, "Your meetings", "/my/meetings"),
        lines: meeting_lines(&o),
        notice: q.done == "1",
        csrf_token: s.csrf_token.clone(),
    };
    render(StatusCode::OK, &page)
}

#[derive(Deserialize)]
struct ReplyForm {
    #[serde(default)]
    rsvp: String,
}

async fn reply(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    PortalForm(s, form): PortalForm<ReplyForm>,
) -> Response {
    match state.app.portal_reply(&s, id, &form.rsvp).await {
        Ok(()) => Redirect::to("/my/meetings?done=1").into_response(),
        Err(e) => PageError::from(e).into_response(),
    }
}

#[derive(Template)]
#[template(path = "portal/opportunities.html")]
struct OpportunitiesPage {
    layout: Layout,
    lines: Vec<(Shown, Option<&'static str>, bool)>,
    notice: bool,
    csrf_token: String,
}

async fn opportunities(
    State(state): State<AppState>,
    Portal(s): Portal,
    Query(q): Query<Done>,
) -> Response {
    let o = match overview(&state, &s).await {
        Ok(o) => o,
        Err(r) => return r,
    };
    let page = OpportunitiesPage {
        layout: portal_layout(&state, &s, "Opportunities for you", "/my/opportunities"),
        lines: o
            .opportunities
            .into_iter()
            .map(|(row, stage)| {
                let stage = stage.and_then(|c| Stage::parse(&c));
                // Those not yet in it, or only invited, can answer.
                let can_answer = matches!(stage, None | Some(Stage::Invited));
                (Shown::new(row), stage.map(Stage::label), can_answer)
            })
            .collect(),
        notice: q.done == "1",
        csrf_token: s.csrf_token.clone(),
    };
    render(StatusCode::OK, &page)
}

#[derive(Deserialize)]
struct AnswerForm {
    #[serde(default)]
    answer: String,
}

async fn interest(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    PortalForm(s, form): PortalForm<AnswerForm>,
) -> Response {
    match state.app.portal_interest(&s, id, form.answer != "no").await {
        Ok(()) => Redirect::to("/my/opportunities?done=1").into_response(),
        Err(e) => PageError::from(e).into_response(),
    }
}

#[derive(Template)]
#[template(path = "portal/involvement.html")]
struct InvolvementPage {
    layout: Layout,
    lines: Vec<(String, coproduce_app::meetings::Involvement)>,
    hours: String,
}

async fn involvement(State(state): State<AppState>, Portal(s): Portal) -> Response {
    let o = match overview(&state, &s).await {
        Ok(o) => o,
        Err(r) => return r,
    };
    let minutes: i64 = o.involvement.iter().map(|i| i.minutes).sum();
    let page = InvolvementPage {
        layout: portal_layout(&state, &s, "What you have done", "/my/involvement"),
        hours: format!("{:.1}", minutes as f64 / 60.0),
        lines: o
            .involvement
            .into_iter()
            .map(|i| (date_text(&i.occurred_on), i))
            .collect(),
    };
    render(StatusCode::OK, &page)
}

#[derive(Template)]
#[template(path = "portal/contact.html")]
struct ContactPage {
    layout: Layout,
    errors: Errors,
    form: ContactInput,
    channels: &'static [Channel],
    needs: &'static [Need],
    saved: bool,
    csrf_token: String,
}

impl ContactPage {
    fn chose_channel(&self, code: &str) -> bool {
        self.form.channels.iter().any(|c| c == code)
    }

    fn has_need(&self, code: &str) -> bool {
        self.form.needs.iter().any(|c| c == code)
    }

    fn first_channel_is(&self, code: &str) -> bool {
        self.form.channels.first().is_some_and(|c| c == code)
    }
}

fn contact_response(
    state: &AppState,
    s: &PortalSession,
    errors: Errors,
    form: ContactInput,
    saved: bool,
) -> Response {
    let status = errors.status();
    let page = ContactPage {
        layout: portal_layout(state, s, errors.title("How we contact you"), "/my/contact"),
        errors,
        form,
        channels: Channel::ALL,
        needs: Need::ALL,
        saved,
        csrf_token: s.csrf_token.clone(),
    };
    render(status, &page)
}

async fn contact_page(
    State(state): State<AppState>,
    Portal(s): Portal,
    Query(q): Query<Done>,
) -> Response {
    let o = match overview(&state, &s).await {
        Ok(o) => o,
        Err(r) => return r,
    };
    let form = ContactInput {
        channels: o
            .person
            .channels
            .iter()
            .map(|c| c.code().to_owned())
            .collect(),
        best_times: o.person.best_times.clone(),
        needs: o.person.needs.iter().map(|n| n.code().to_owned()).collect(),
        needs_notes: o.person.needs_notes.clone(),
    };
    contact_response(&state, &s, Errors::default(), form, q.done == "1")
}

async fn save_contact(
    State(state): State<AppState>,
    PortalForm(s, pairs): PortalForm<Vec<(String, String)>>,
) -> Response {
    let form = FormFields(&pairs);
    let get = |k: &str| form.one(k);
    let all = |k: &str| form.all(k);
    let channels = form.ranked_channels();
    let form = ContactInput {
        channels,
        best_times: get("best_times"),
        needs: all("needs"),
        needs_notes: get("needs_notes"),
    };
    match state.app.portal_contact(&s, &form).await {
        Ok(()) => Redirect::to("/my/contact?done=1").into_response(),
        Err(AppError::Invalid(list)) => {
            contact_response(&state, &s, Errors::from(list), form, false)
        }
        Err(e) => PageError::from(e).into_response(),
    }
}

#[derive(Template)]
#[template(path = "portal/consents.html")]
struct ConsentsPage {
    layout: Layout,
    lines: Vec<(ConsentKind, Option<bool>, String)>,
    saved: bool,
    csrf_token: String,
}

async fn consents(
    State(state): State<AppState>,
    Portal(s): Portal,
    Query(q): Query<Done>,
) -> Response {
    let o = match overview(&state, &s).await {
        Ok(o) => o,
        Err(r) => return r,
    };
    let page = ConsentsPage {
        layout: portal_layout(&state, &s, "Your choices", "/my/consents"),
        lines: ConsentKind::ALL
            .iter()
            .map(|k| {
                let found = o.consents.iter().find(|c| c.kind == k.code());
                (
                    *k,
                    found.map(|c| c.given),
                    found.map(|c| uk(c.recorded_at)).unwrap_or_default(),
                )
            })
            .collect(),
        saved: q.done == "1",
        csrf_token: s.csrf_token.clone(),
    };
    render(StatusCode::OK, &page)
}

#[derive(Deserialize)]
struct ConsentForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    given: String,
}

async fn save_consent(
    State(state): State<AppState>,
    PortalForm(s, form): PortalForm<ConsentForm>,
) -> Response {
    match state
        .app
        .portal_consent(&s, &form.kind, form.given == "yes")
        .await
    {
        Ok(()) => Redirect::to("/my/consents?done=1").into_response(),
        Err(e) => PageError::from(e).into_response(),
    }
}

#[derive(Template)]
#[template(path = "portal/calendar.html")]
struct CalendarPage {
    layout: Layout,
    made: String,
    link: String,
    csrf_token: String,
}

async fn calendar_response(state: &AppState, s: &PortalSession, link: String) -> Response {
    let made = match state
        .app
        .calendar_link_made(&s.actor(), Joiner::Person(s.person_id))
        .await
    {
        Ok(m) => m.map(|t| uk(t.millis())).unwrap_or_default(),
        Err(e) => return PageError::from(e).into_response(),
    };
    let page = CalendarPage {
        layout: portal_layout(state, s, "Your calendar link", "/my/calendar"),
        made,
        link,
        csrf_token: s.csrf_token.clone(),
    };
    render(StatusCode::OK, &page)
}

async fn calendar(State(state): State<AppState>, Portal(s): Portal) -> Response {
    calendar_response(&state, &s, String::new()).await
}

async fn new_calendar_link(
    State(state): State<AppState>,
    PortalForm(s, _): PortalForm<Vec<(String, String)>>,
) -> Response {
    match state
        .app
        .new_calendar_link(&s.actor(), Joiner::Person(s.person_id))
        .await
    {
        Ok(token) => {
            let link = format!(
                "{}/calendar/feed/{}.ics",
                state.config.public_origin,
                token.expose()
            );
            calendar_response(&state, &s, link).await
        }
        Err(e) => PageError::from(e).into_response(),
    }
}

#[derive(Template)]
#[template(path = "portal/easy_read.html")]
struct EasyReadPage {
    layout: Layout,
    on: bool,
    csrf_token: String,
}

async fn easy_read_page(State(state): State<AppState>, Portal(s): Portal) -> Response {
    let page = EasyReadPage {
        layout: portal_layout(&state, &s, "Easy Read", "/my/easy-read"),
        on: s.easy_read,
        csrf_token: s.csrf_token.clone(),
    };
    render(StatusCode::OK, &page)
}

#[derive(Deserialize)]
struct EasyReadForm {
    #[serde(default)]
    easy_read: String,
}

async fn save_easy_read(
    State(state): State<AppState>,
    PortalForm(s, form): PortalForm<EasyReadForm>,
) -> Response {
    match state.app.portal_easy_read(&s, form.easy_read == "on").await {
        Ok(()) => Redirect::to("/my").into_response(),
        Err(e) => PageError::from(e).into_response(),
    }
}
