//! The staff pages: one module per feature, each with its own routes.

use crate::session::MaybeSession;
use crate::AppState;
use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use coproduce_app::sign_in::{Session, Stage};
use coproduce_app::FieldError;
use coproduce_domain::Role;

mod account;
mod audit;
mod calendar;
mod enquiries;
pub mod errors;
mod groups;
mod home;
mod import;
mod meetings;
mod opportunities;
mod people;
mod portal;
mod projects;
mod public;
mod services;
pub(crate) mod sign_in;
pub mod spreadsheet;
mod staff;

/// Every page's routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(home::routes())
        .merge(sign_in::routes())
        .merge(account::routes())
        .merge(people::routes())
        .merge(groups::routes())
        .merge(meetings::routes())
        .merge(projects::routes())
        .merge(public::routes())
        .merge(enquiries::routes())
        .merge(opportunities::routes())
        .merge(portal::routes())
        .merge(calendar::routes())
        .merge(import::routes())
        .merge(services::routes())
        .merge(staff::routes())
        .merge(audit::routes())
        .route("/accessibility", get(accessibility))
        .route("/privacy", get(privacy))
        .fallback(errors::not_found)
}

/// A link in the header's navigation.
#[derive(Clone, Debug)]
pub struct NavItem {
    /// Where it goes.
    pub href: &'static str,
    /// What it says.
    pub label: &'static str,
    /// Whether it is the page being shown.
    pub current: bool,
}

/// The signed-in person's name and sign-out form in the header.
#[derive(Clone, Debug)]
pub struct UserBar {
    /// Their name.
    pub name: String,
    /// The form token for the sign-out button.
    pub csrf_token: String,
    /// Their account page.
    pub account: &'static str,
    /// Where the sign-out button posts.
    pub sign_out: &'static str,
}

/// What the base layout needs on every page.
#[derive(Clone, Debug)]
pub struct Layout {
    /// The page's title (before " – coproduce").
    pub title: String,
    /// The organisation's name.
    pub organisation: String,
    /// The navigation for the signed-in role.
    pub nav: Vec<NavItem>,
    /// The signed-in person, if any.
    pub user: Option<UserBar>,
    /// The NHS.UK stylesheet.
    pub nhsuk_css: &'static str,
    /// Our stylesheet.
    pub app_css: &'static str,
    /// Whether the page is in Easy Read (larger text, pictures).
    pub easy_read: bool,
    /// Someone acting on a person's behalf: who, for whom, and until when.
    pub acting: Option<String>,
}

/// The public pages' navigation.
const PUBLIC_NAV: &[(&str, &str)] = &[
    ("/get-involved", "Get involved"),
    ("/opportunities", "Opportunities"),
    ("/my", "Your page"),
];

/// The navigation each role sees, in order. Every page reachable by a role should be here or
/// linked from a page that is, so the browser crawl checks it.
fn nav_for(role: Role) -> Vec<(&'static str, &'static str)> {
    let mut items = match role {
        Role::Admin | Role::Staff => {
            vec![
                ("/keep-in-touch", "Keep in touch"),
                ("/people", "People"),
                ("/groups", "Groups"),
                ("/manage/opportunities", "Opportunities"),
            ]
        }
        Role::Finance | Role::Auditor => vec![("/", "Home")],
    };
    match role {
        Role::Admin => items.extend([
            ("/enquiries", "Enquiries"),
            ("/services", "Services and partners"),
            ("/staff", "Staff"),
            ("/audit", "Audit trail"),
        ]),
        Role::Auditor => items.push(("/audit", "Audit trail")),
        Role::Staff | Role::Finance => {}
    }
    items.push(("/account", "Your account"));
    items
}

impl Layout {
    /// The layout for a page, with navigation for a fully signed-in session.
    pub fn new(
        state: &AppState,
        session: Option<&Session>,
        title: impl Into<String>,
        current: &str,
    ) -> Layout {
        let nav = match session {
            Some(s) if s.stage == Stage::Full => nav_for(s.staff.role)
                .into_iter()
                .map(|(href, label)| NavItem {
                    href,
                    label,
                    current: href == current,
                })
                .collect(),
            _ => Vec::new(),
        };
        Layout {
            title: title.into(),
            organisation: state.config.organisation.clone(),
            nav,
            user: session.map(|s| UserBar {
                name: s.staff.name.clone(),
                csrf_token: s.csrf_token.clone(),
                account: "/account",
                sign_out: "/sign-out",
            }),
            nhsuk_css: crate::assets::NHSUK_CSS,
            app_css: crate::assets::APP_CSS,
            easy_read: false,
            acting: None,
        }
    }

    /// The layout for a page anyone can see, with the public navigation and nobody signed in.
    pub fn public(state: &AppState, title: impl Into<String>, current: &str) -> Layout {
        let mut layout = Layout::new(state, None, title, current);
        layout.nav = PUBLIC_NAV
            .iter()
            .map(|&(href, label)| NavItem {
                href,
                label,
                current: href == current,
            })
            .collect();
        layout
    }
}

/// A form's fields as sent: several values to a name where boxes were ticked.
pub(crate) struct FormFields<'a>(pub &'a [(String, String)]);

impl FormFields<'_> {
    /// A field's first value, or empty.
    pub(crate) fn one(&self, name: &str) -> String {
        self.0
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }

    /// Every value a field was sent with, in order.
    pub(crate) fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
            .collect()
    }

    /// The ways to reach someone that were ticked (`channels`), with the one chosen first
    /// (`first_channel`) at the front.
    pub(crate) fn ranked_channels(&self) -> Vec<String> {
        let mut channels = self.all("channels");
        let first = self.one("first_channel");
        if !first.is_empty() {
            channels.retain(|c| *c != first);
            channels.insert(0, first);
        }
        channels
    }
}

/// The problems with a submitted form, for the error summary and each field.
#[derive(Clone, Debug, Default)]
pub struct Errors(Vec<FieldError>);

impl Errors {
    /// Problems from a use case.
    pub fn from(list: Vec<FieldError>) -> Errors {
        Errors(list)
    }

    /// One problem.
    pub fn one(field: &'static str, message: impl Into<String>) -> Errors {
        Errors(vec![FieldError::new(field, message)])
    }

    /// A page's title: `Error: ` first when there are problems.
    pub fn title(&self, title: impl Into<String>) -> String {
        let title = title.into();
        if self.is_empty() {
            title
        } else {
            format!("Error: {title}")
        }
    }

    /// A page's status: 400 when there are problems.
    pub fn status(&self) -> StatusCode {
        if self.is_empty() {
            StatusCode::OK
        } else {
            StatusCode::BAD_REQUEST
        }
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether a field has a problem.
    pub fn has(&self, field: &str) -> bool {
        self.0.iter().any(|e| e.field == field)
    }

    /// A field's first problem.
    pub fn get(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.as_str())
    }

    /// Every problem, in form order.
    pub fn list(&self) -> &[FieldError] {
        &self.0
    }
}

/// Renders a template with a status, setting the form cookie when a fresh one was made for it
/// (see `session::form_token`).
pub fn render_with_cookie(
    status: StatusCode,
    template: &impl Template,
    cookie: Option<axum::http::HeaderValue>,
) -> Response {
    let mut response = render(status, template);
    if let Some(c) = cookie {
        response
            .headers_mut()
            .append(axum::http::header::SET_COOKIE, c);
    }
    response
}

/// Renders a template with a status.
pub fn render(status: StatusCode, template: &impl Template) -> Response {
    match template.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template failed to render");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "Sorry, there is a problem with this page.",
            )
                .into_response()
        }
    }
}

#[derive(Template)]
#[template(path = "accessibility.html")]
struct AccessibilityPage {
    layout: Layout,
}

#[derive(Template)]
#[template(path = "privacy.html")]
struct PrivacyPage {
    layout: Layout,
}

async fn accessibility(
    state: axum::extract::State<AppState>,
    MaybeSession(session): MaybeSession,
) -> Response {
    let layout = Layout::new(&state, session.as_ref(), "Accessibility statement", "");
    render(StatusCode::OK, &AccessibilityPage { layout })
}

async fn privacy(
    state: axum::extract::State<AppState>,
    MaybeSession(session): MaybeSession,
) -> Response {
    let layout = Layout::new(&state, session.as_ref(), "Privacy", "");
    render(StatusCode::OK, &PrivacyPage { layout })
}
