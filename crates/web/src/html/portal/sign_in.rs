//! Signing in to the portal with a code or a link, signing out, and staff opening it on a person's behalf.

use super::*;
use coproduce_domain::PersonId;

pub(super) fn signed_in_response(state: &AppState, token: &SecretToken) -> Response {
    let token = Some(token.expose());
    with_cookie(
        Redirect::to("/my"),
        &state.config,
        portal_cookie_name,
        token,
    )
}

#[derive(Template)]
#[template(path = "portal/sign_in.html")]
pub(super) struct SignInPage {
    layout: Layout,
    errors: Errors,
    address: String,
    notice: &'static str,
    csrf_token: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct SignInQuery {
    ended: String,
    again: String,
}

pub(super) fn sign_in_response(
    state: &AppState,
    headers: &HeaderMap,
    staff: Option<&Session>,
    status: StatusCode,
    errors: Errors,
    address: String,
    notice: &'static str,
) -> Response {
    render_with_form_token(state, headers, staff, status, |csrf_token| SignInPage {
        layout: Layout::public(state, errors.title("Sign in to your page"), "/my"),
        errors,
        address,
        notice,
        csrf_token,
    })
}

pub(super) async fn sign_in_page(
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
pub(super) struct AddressForm {
    #[serde(default)]
    address: String,
}

pub(super) async fn ask_for_code(
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
pub(super) struct CodePage {
    layout: Layout,
    errors: Errors,
    request: String,
    dead_end: bool,
    csrf_token: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct CodeForm {
    request: String,
    code: String,
}

pub(super) fn code_response(
    state: &AppState,
    headers: &HeaderMap,
    staff: Option<&Session>,
    status: StatusCode,
    errors: Errors,
    request: String,
    dead_end: bool,
) -> Response {
    render_with_form_token(state, headers, staff, status, |csrf_token| CodePage {
        layout: Layout::public(state, errors.title("Enter your code"), "/my"),
        errors,
        request,
        dead_end,
        csrf_token,
    })
}

pub(super) async fn code_page(
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

pub(super) async fn enter_code(
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
pub(super) struct LinkPage {
    layout: Layout,
    token: String,
    dead_end: bool,
    csrf_token: String,
}

pub(super) fn link_response(
    state: &AppState,
    headers: &HeaderMap,
    staff: Option<&Session>,
    token: String,
    dead_end: bool,
) -> Response {
    let (status, title) = if dead_end {
        (StatusCode::BAD_REQUEST, "That link has stopped working")
    } else {
        (StatusCode::OK, "Sign in to your page")
    };
    render_with_form_token(state, headers, staff, status, |csrf_token| LinkPage {
        layout: Layout::public(state, title, "/my"),
        token,
        dead_end,
        csrf_token,
    })
}

pub(super) async fn link_page(
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
pub(super) struct LinkForm {
    #[serde(default)]
    token: String,
}

pub(super) async fn follow_link(
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

pub(super) async fn sign_out(
    State(state): State<AppState>,
    PortalForm(s, _): PortalForm<Vec<(String, String)>>,
) -> PageResult {
    state.app.portal_sign_out(&s).await?;
    // Staff who were helping go back to the person's record.
    let to = match s.on_behalf {
        Some(_) => format!("/people/{}", s.person_id),
        None => "/my/sign-in".to_owned(),
    };
    let to = Redirect::to(&to);
    Ok(with_cookie(to, &state.config, portal_cookie_name, None))
}

pub(super) async fn on_behalf(
    Staff(state, _, actor): Staff,
    Path(id): Path<PersonId>,
    CsrfForm(_): CsrfForm<Vec<(String, String)>>,
) -> PageResult {
    let token = state.app.portal_on_behalf(&actor, id).await?;
    Ok(signed_in_response(&state, &token))
}
