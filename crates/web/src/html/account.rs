//! The staff member's own account: details and the second factor.

use super::kit::{render, with_cookie, Errors, Layout, PageResult, Routes};
use crate::error::PageError;
use crate::extract::CsrfForm;
use crate::extract::{AnySession, Staff};
use crate::session::session_cookie_name;
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use coproduce_app::sign_in::{Session, Stage};
use coproduce_app::AppError;
use coproduce_domain::totp::TotpSecret;
use serde::Deserialize;

/// The account routes.
pub(super) fn routes() -> Routes {
    Routes::new()
        .route("/account", get(overview))
        .route("/account/two-factor", get(setup_page).post(setup))
}

#[derive(Template)]
#[template(path = "account/overview.html")]
struct OverviewPage {
    layout: Layout,
    notice: Option<&'static str>,
    name: String,
    email: String,
    role_label: &'static str,
    has_second_factor: bool,
    recovery_codes_left: i64,
    /// Whether they work with groups, and so have meetings.
    has_meetings: bool,
}

async fn overview(Staff(state, session, actor): Staff) -> PageResult {
    let left = state.app.recovery_codes_left(session.staff.id).await?;
    let notice = (session.has_second_factor && left < 3).then_some(
        "You have few recovery codes left. Set up your authenticator app again to get new ones.",
    );
    let page = OverviewPage {
        layout: Layout::new(&state, Some(&session), "Your account", "/account"),
        notice,
        name: session.staff.name.clone(),
        email: session.staff.email.clone(),
        role_label: session.staff.role.label(),
        has_second_factor: session.has_second_factor,
        recovery_codes_left: left,
        has_meetings: coproduce_app::authorise(
            &actor.clone(),
            coproduce_app::Action::ViewGroups,
            &coproduce_app::Resource::ANY,
        )
        .is_ok(),
    };
    Ok(render(StatusCode::OK, &page))
}

#[derive(Template)]
#[template(path = "account/two_factor_setup.html")]
struct SetupPage {
    layout: Layout,
    errors: Errors,
    required: bool,
    qr_svg: String,
    secret: String,
    secret_grouped: String,
    csrf_token: String,
}

/// The QR code for an `otpauth://` address, as an inline SVG image with a text alternative.
fn qr_svg(data: &str) -> String {
    match qrcode::QrCode::new(data.as_bytes()) {
        Ok(code) => {
            let svg = code
                .render::<qrcode::render::svg::Color<'_>>()
                .min_dimensions(200, 200)
                .quiet_zone(true)
                .build();
            let start = svg.find("<svg").unwrap_or(0);
            svg[start..].replacen(
                "<svg",
                "<svg role=\"img\" aria-label=\"QR code to scan with your authenticator app. If you cannot scan it, type in the set-up key below.\"",
                1,
            )
        }
        Err(_) => String::new(),
    }
}

fn setup_response(
    state: &AppState,
    session: &Session,
    secret: &TotpSecret,
    status: StatusCode,
    errors: Errors,
) -> Response {
    let base32 = secret.to_base32();
    let grouped = base32
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ");
    let page = SetupPage {
        layout: Layout::new(
            state,
            Some(session),
            errors.title("Set up an authenticator app"),
            "",
        ),
        errors,
        required: session.stage == Stage::Enrol,
        qr_svg: qr_svg(&secret.otpauth_url(
            &format!("coproduce ({})", state.app.organisation().name),
            &session.staff.email,
        )),
        secret: base32,
        secret_grouped: grouped,
        csrf_token: session.csrf_token.clone(),
    };
    render(status, &page)
}

fn may_enrol(session: &Session) -> bool {
    matches!(session.stage, Stage::Full | Stage::Enrol)
}

async fn setup_page(State(state): State<AppState>, AnySession(session): AnySession) -> Response {
    if !may_enrol(&session) {
        return axum::response::Redirect::to("/sign-in/two-factor").into_response();
    }
    setup_response(
        &state,
        &session,
        &TotpSecret::generate(),
        StatusCode::OK,
        Errors::default(),
    )
}

#[derive(Deserialize)]
struct SetupForm {
    #[serde(default)]
    secret: String,
    #[serde(default)]
    code: String,
}

#[derive(Template)]
#[template(path = "account/recovery_codes.html")]
struct RecoveryCodesPage {
    layout: Layout,
    codes: Vec<String>,
}

async fn setup(
    State(state): State<AppState>,
    AnySession(session): AnySession,
    CsrfForm(form): CsrfForm<SetupForm>,
) -> Response {
    if !may_enrol(&session) {
        return axum::response::Redirect::to("/sign-in/two-factor").into_response();
    }
    match state
        .app
        .enrol_second_factor(&session, &form.secret, &form.code)
        .await
    {
        Ok((codes, new_token)) => {
            let mut signed_in = session.clone();
            signed_in.stage = Stage::Full;
            signed_in.has_second_factor = true;
            let page = RecoveryCodesPage {
                layout: Layout::new(&state, Some(&signed_in), "Save your recovery codes", ""),
                codes,
            };
            let response = render(StatusCode::OK, &page);
            match new_token {
                Some(token) => with_cookie(
                    response,
                    &state.config,
                    session_cookie_name,
                    Some(token.expose()),
                ),
                None => response,
            }
        }
        Err(AppError::Invalid(list)) => {
            let secret = TotpSecret::from_base32(&form.secret).unwrap_or_else(TotpSecret::generate);
            setup_response(
                &state,
                &session,
                &secret,
                StatusCode::BAD_REQUEST,
                Errors::from(list),
            )
        }
        Err(e) => PageError::from(e).into_response(),
    }
}
