//! The layout every page is drawn in, its navigation, and rendering a page or an error page.

use super::Phone;
use crate::session::{form_token, set_cookie};
use crate::{AppState, WebConfig};
use askama::Template;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use coproduce_app::sign_in::{Session, Stage};
use coproduce_app::Capabilities;
use coproduce_domain::organisation::Organisation;

/// A link in the header's navigation.
#[derive(Clone, Debug)]
pub struct NavItem {
    /// Where it goes.
    pub href: &'static str,
    /// What it says.
    pub label: &'static str,
    /// Whether it is the page being shown.
    pub current: bool,
    /// The Easy Read picture shown beside it (a built-in picture's name), or empty.
    pub picture: &'static str,
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

/// The organisation as every page shows it: in the header, the footer, and where people are told
/// how to reach the participation team.
#[derive(Clone, Debug)]
pub struct Org {
    /// Its name.
    pub name: String,
    /// Where its logo is, if it has one.
    pub logo: Option<String>,
    /// The participation team's phone number.
    pub phone: Option<Phone>,
    /// The participation team's email address.
    pub email: Option<String>,
    /// Its public website.
    pub site: Option<String>,
}

impl Org {
    fn of(org: &Organisation) -> Org {
        Org {
            name: org.name.clone(),
            logo: org.logo.as_ref().map(|(_, tag)| format!("/logo/{tag}")),
            phone: Phone::of(org.contact_phone.as_ref().map(|p| p.as_str())),
            email: org.contact_email.as_ref().map(|e| e.to_string()),
            site: org.public_address.clone(),
        }
    }
}

/// What the base layout needs on every page.
#[derive(Clone, Debug)]
pub struct Layout {
    /// The page's title (before " – " and the organisation's name).
    pub title: String,
    /// The organisation the pages are for.
    pub org: Org,
    /// The navigation for the signed-in role.
    pub nav: Vec<NavItem>,
    /// A section's pages, listed after the page's own content rather than in the header (the
    /// portal's: on a phone the heading and what the person came for come first).
    pub pages: Vec<NavItem>,
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
    ("/you-said-we-did", "You said, we did"),
    ("/my", "Your page"),
];

/// The navigation each staff member sees, in order, by what the policy lets them do. Every page
/// reachable by a role should be here or linked from a page that is, so the browser crawl checks
/// it.
fn nav_for(can: Capabilities) -> Vec<(&'static str, &'static str)> {
    let mut items = Vec::new();
    if can.view_people {
        items.extend([("/keep-in-touch", "Keep in touch"), ("/people", "People")]);
    }
    if can.view_groups {
        items.extend([
            ("/groups", "Groups"),
            ("/manage/opportunities", "Opportunities"),
        ]);
    }
    if can.view_concerns {
        items.push(("/concerns", "Concerns"));
    }
    if items.is_empty() {
        items.push(("/", "Home"));
    }
    let managed = [
        (can.manage_enquiries, "/enquiries", "Enquiries"),
        (can.manage_services, "/services", "Services and partners"),
        (can.manage_services, "/organisation", "Organisation"),
        (can.manage_staff, "/staff", "Staff"),
        (can.read_audit_trail, "/audit", "Audit trail"),
    ];
    items.extend(
        managed
            .into_iter()
            .filter(|(allowed, _, _)| *allowed)
            .map(|(_, href, label)| (href, label)),
    );
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
            Some(s) if s.stage == Stage::Full => nav_for(Capabilities::of(&s.actor()))
                .into_iter()
                .map(|(href, label)| NavItem {
                    href,
                    label,
                    current: href == current,
                    picture: "",
                })
                .collect(),
            _ => Vec::new(),
        };
        Layout {
            title: title.into(),
            org: Org::of(&state.app.organisation()),
            nav,
            pages: Vec::new(),
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
                picture: "",
            })
            .collect();
        layout
    }
}

/// Renders a page whose form needs a token, for someone who may not be signed in: `page` is
/// given the staff session's token or the form cookie's, and a fresh cookie is set with the
/// page (see `session::form_token`).
pub fn render_with_form_token<T: Template>(
    state: &AppState,
    headers: &HeaderMap,
    session: Option<&Session>,
    status: StatusCode,
    page: impl FnOnce(String) -> T,
) -> Response {
    let (csrf_token, cookie) = form_token(headers, session, &state.config);
    let mut response = render(status, &page(csrf_token));
    if let Some(c) = cookie {
        response.headers_mut().append(header::SET_COOKIE, c);
    }
    response
}

/// `response`, setting the cookie `name` (which the server's settings decide) to `value`, or
/// removing it when there is none.
pub fn with_cookie(
    response: impl IntoResponse,
    config: &WebConfig,
    name: fn(&WebConfig) -> &'static str,
    value: Option<&str>,
) -> Response {
    let mut response = response.into_response();
    let cookie = set_cookie(config, name(config), value);
    response.headers_mut().append(header::SET_COOKIE, cookie);
    response
}

/// Renders a template with a status.
pub fn render(status: StatusCode, template: &impl Template) -> Response {
    match template.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => failed(&e),
    }
}

/// The answer for a page whose template failed to render: logged, and a plain apology.
pub(crate) fn failed(e: &askama::Error) -> Response {
    tracing::error!(request_id = %crate::request_id::logged(), error = %e, "template failed to render");
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        "Sorry, there is a problem with this page.",
    )
        .into_response()
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    layout: Layout,
    heading: &'a str,
    message: &'a str,
    /// The request's reference, to quote when asking about it.
    reference: Option<String>,
}

/// Renders an error page, with the request's reference.
pub fn render_error(
    state: &AppState,
    session: Option<&Session>,
    status: StatusCode,
    heading: &str,
    message: &str,
) -> Response {
    let layout = Layout::new(state, session, heading, "");
    render(
        status,
        &ErrorPage {
            layout,
            heading,
            message,
            reference: crate::request_id::current(),
        },
    )
}
