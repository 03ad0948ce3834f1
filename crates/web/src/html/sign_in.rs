//! Signing in and out, the second factor, and set-password links.

use super::kit::{render, render_with_form_token, with_cookie, Errors, Layout, PageResult, Routes};
use crate::error::PageError;
use crate::extract::CsrfForm;
use crate::extract::{AnySession, ClientAddress, MaybeSession};
use crate::session::session_cookie_name;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use coproduce_app::sign_in::{Session, Stage};
use coproduce_app::AppError;
use coproduce_domain::SecretToken;
use serde::Deserialize;

/// The sign-in routes.
pub(super) fn routes() -> Routes {
    Routes::new()
        .route("/sign-in", get(sign_in_page).post(sign_in))
        .route("/sign-in/two-factor", get(two_factor_page).post(two_factor))
        .route("/sign-out", axum::routing::post(sign_out))
        .route(
            "/set-password/{token}",
            get(set_password_page).post(set_password),
        )
}

#[derive(Template)]
#[template(path = "sign_in/sign_in.html")]
struct SignInPage {
    layout: Layout,
    errors: Errors,
    notice: Option<&'static str>,
    email: String,
    csrf_token: String,
}

fn sign_in_response(
    state: &AppState,
    headers: &HeaderMap,
    status: StatusCode,
    errors: Errors,
    notice: Option<&'static str>,
    email: String,
) -> Response {
    render_with_form_token(state, headers, None, status, |csrf_token| SignInPage {
        layout: Layout::new(state, None, errors.title("Sign in"), ""),
        errors,
        notice,
        email,
        csrf_token,
    })
}

/// The page for a session that ended by time: the sign-in form, a notice, and a 401.
pub(super) fn expired(headers: &HeaderMap, state: &AppState) -> Response {
    let response = sign_in_response(
        state,
        headers,
        StatusCode::UNAUTHORIZED,
        Errors::default(),
        Some("You were signed out because you had not used coproduce for 30 minutes, or because it was 12 hours since you signed in. Sign in again to carry on."),
        String::new(),
    );
    with_cookie(response, &state.config, session_cookie_name, None)
}

#[derive(Deserialize)]
struct SignInNotice {
    #[serde(default)]
    signed_out: Option<String>,
    #[serde(default)]
    password_set: Option<String>,
}

async fn sign_in_page(
    State(state): State<AppState>,
    MaybeSession(session): MaybeSession,
    Query(q): Query<SignInNotice>,
    headers: HeaderMap,
) -> Response {
    if session.as_ref().is_some_and(|s| s.stage == Stage::Full) {
        return Redirect::to("/").into_response();
    }
    let notice = if q.signed_out.is_some() {
        Some("You have signed out.")
    } else if q.password_set.is_some() {
        Some("Your password is saved. Sign in with it now.")
    } else {
        None
    };
    sign_in_response(
        &state,
        &headers,
        StatusCode::OK,
        Errors::default(),
        notice,
        String::new(),
    )
}

#[derive(Deserialize)]
struct SignInForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
}

fn with_session_cookie(state: &AppState, token: &SecretToken, to: &str) -> Response {
    let token = Some(token.expose());
    with_cookie(Redirect::to(to), &state.config, session_cookie_name, token)
}

async fn sign_in(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    headers: HeaderMap,
    CsrfForm(form): CsrfForm<SignInForm>,
) -> Response {
    let mut errors = Vec::new();
    if form.email.trim().is_empty() {
        errors.push(coproduce_app::FieldError::new(
            "email",
            "Enter your email address",
        ));
    }
    if form.password.is_empty() {
        errors.push(coproduce_app::FieldError::new(
            "password",
            "Enter your password",
        ));
    }
    if !errors.is_empty() {
        return sign_in_response(
            &state,
            &headers,
            StatusCode::BAD_REQUEST,
            Errors::from(errors),
            None,
            form.email,
        );
    }
    match state
        .app
        .sign_in(&form.email, &form.password, &address)
        .await
    {
        Ok(started) => {
            let to = match started.stage {
                Stage::Full => "/",
                Stage::SecondFactor => "/sign-in/two-factor",
                Stage::Enrol => "/account/two-factor",
            };
            with_session_cookie(&state, &started.token, to)
        }
        Err(AppError::BadCredentials) => sign_in_response(
            &state,
            &headers,
            StatusCode::UNAUTHORIZED,
            Errors::one(
                "email",
                "The email address or password is not right. Check them and try again",
            ),
            None,
            form.email,
        ),
        Err(AppError::Throttled) => sign_in_response(
            &state,
            &headers,
            StatusCode::TOO_MANY_REQUESTS,
            Errors::one(
                "email",
                "There have been too many attempts to sign in. Wait 15 minutes, then try again",
            ),
            None,
            form.email,
        ),
        Err(e) => PageError::from(e).into_response(),
    }
}

#[derive(Template)]
#[template(path = "sign_in/two_factor.html")]
struct TwoFactorPage {
    layout: Layout,
    errors: Errors,
    csrf_token: String,
}

fn two_factor_response(
    state: &AppState,
    session: &Session,
    status: StatusCode,
    errors: Errors,
) -> Response {
    let page = TwoFactorPage {
        layout: Layout::new(state, Some(session), errors.title("Enter your code"), ""),
        errors,
        csrf_token: session.csrf_token.clone(),
    };
    render(status, &page)
}

fn after_stage(session: &Session) -> Option<Response> {
    match session.stage {
        Stage::Full => Some(Redirect::to("/").into_response()),
        Stage::Enrol => Some(Redirect::to("/account/two-factor").into_response()),
        Stage::SecondFactor => None,
    }
}

async fn two_factor_page(
    State(state): State<AppState>,
    AnySession(session): AnySession,
) -> Response {
    after_stage(&session)
        .unwrap_or_else(|| two_factor_response(&state, &session, StatusCode::OK, Errors::default()))
}

#[derive(Deserialize)]
struct CodeForm {
    #[serde(default)]
    code: String,
}

async fn two_factor(
    State(state): State<AppState>,
    AnySession(session): AnySession,
    ClientAddress(address): ClientAddress,
    CsrfForm(form): CsrfForm<CodeForm>,
) -> Response {
    if let Some(r) = after_stage(&session) {
        return r;
    }
    if form.code.trim().is_empty() {
        let errors = Errors::one("code", "Enter the code from your authenticator app");
        return two_factor_response(&state, &session, StatusCode::BAD_REQUEST, errors);
    }
    match state
        .app
        .second_factor(&session, &form.code, &address)
        .await
    {
        Ok(token) => with_session_cookie(&state, &token, "/"),
        Err(AppError::BadCredentials) => {
            let errors = Errors::one(
                "code",
                "That code is not right. Enter the code your app shows now",
            );
            two_factor_response(&state, &session, StatusCode::UNAUTHORIZED, errors)
        }
        Err(AppError::Throttled) => {
            let errors = Errors::one(
                "code",
                "There have been too many attempts. Wait 15 minutes, then try again",
            );
            two_factor_response(&state, &session, StatusCode::TOO_MANY_REQUESTS, errors)
        }
        Err(e) => PageError::from(e).into_response(),
    }
}

#[derive(Deserialize)]
struct Empty {}

async fn sign_out(
    State(state): State<AppState>,
    AnySession(session): AnySession,
    CsrfForm(_): CsrfForm<Empty>,
) -> PageResult {
    state.app.sign_out(&session).await?;
    let to = Redirect::to("/sign-in?signed_out=1");
    Ok(with_cookie(to, &state.config, session_cookie_name, None))
}

#[derive(Template)]
#[template(path = "sign_in/set_password.html")]
struct SetPasswordPage {
    layout: Layout,
    errors: Errors,
    token: String,
    csrf_token: String,
}

fn set_password_response(
    state: &AppState,
    headers: &HeaderMap,
    token: String,
    status: StatusCode,
    errors: Errors,
) -> Response {
    render_with_form_token(state, headers, None, status, |csrf_token| SetPasswordPage {
        layout: Layout::new(state, None, errors.title("Choose your password"), ""),
        errors,
        token,
        csrf_token,
    })
}

async fn set_password_page(
    State(state): State<AppState>,
    Path(token): Path<String>,
    headers: HeaderMap,
) -> PageResult {
    if !state.app.password_link_usable(&token).await? {
        return Err(AppError::Expired.into());
    }
    let (status, errors) = (StatusCode::OK, Errors::default());
    Ok(set_password_response(
        &state, &headers, token, status, errors,
    ))
}

#[derive(Deserialize)]
struct SetPasswordForm {
    #[serde(default)]
    password: String,
    #[serde(default)]
    confirm: String,
}

async fn set_password(
    State(state): State<AppState>,
    Path(token): Path<String>,
    headers: HeaderMap,
    CsrfForm(form): CsrfForm<SetPasswordForm>,
) -> Response {
    match state
        .app
        .set_password_with_link(&token, &form.password, &form.confirm)
        .await
    {
        Ok(()) => Redirect::to("/sign-in?password_set=1").into_response(),
        Err(AppError::Invalid(list)) => set_password_response(
            &state,
            &headers,
            token,
            StatusCode::BAD_REQUEST,
            Errors::from(list),
        ),
        Err(e) => PageError::from(e).into_response(),
    }
}
