//! The organisation's details, set by an admin on one page, and its logo as every page's header
//! shows it.

use super::kit::{check_upload_token, render, Errors, Layout, PageResult, Routes};
use crate::error::PageError;
use crate::extract::Staff;
use crate::AppState;
use askama::Template;
use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect};
use axum::routing::get;
use coproduce_app::organisation::OrganisationInput;
use coproduce_app::sign_in::Session;
use coproduce_app::{authorise, Action, AppError, Resource};
use coproduce_domain::logo::MAX_LOGO_BYTES;
use serde::Deserialize;

/// The organisation's routes.
pub(super) fn routes() -> Routes {
    Routes::new()
        .route(
            "/organisation",
            get(settings)
                .post(save)
                .layer(DefaultBodyLimit::max(MAX_LOGO_BYTES + 64 * 1024)),
        )
        .route("/logo/{tag}", get(logo))
}

#[derive(Template)]
#[template(path = "organisation.html")]
struct SettingsPage {
    layout: Layout,
    errors: Errors,
    form: OrganisationInput,
    saved: bool,
    csrf_token: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct SettingsQuery {
    done: String,
}

fn settings_page(
    state: &AppState,
    session: &Session,
    form: OrganisationInput,
    errors: Errors,
    saved: bool,
) -> PageResult {
    authorise(&session.actor(), Action::ManageServices, &Resource::ANY)?;
    let title = errors.title("Your organisation");
    let page = SettingsPage {
        layout: Layout::new(state, Some(session), title, "/organisation"),
        errors,
        form,
        saved,
        csrf_token: session.csrf_token.clone(),
    };
    Ok(render(page.errors.status(), &page))
}

async fn settings(Staff(state, session, _): Staff, Query(q): Query<SettingsQuery>) -> PageResult {
    let form = OrganisationInput::from_saved(&state.app.organisation());
    settings_page(&state, &session, form, Errors::default(), q.done == "saved")
}

/// The settings form as sent: its fields, its form token, and the logo file if one was chosen.
struct SentSettings {
    form: OrganisationInput,
    csrf_token: String,
    logo: Vec<u8>,
}

/// Reads the form, or says the upload is too large.
async fn read_settings(mut sent: Multipart) -> Result<SentSettings, String> {
    let mut read = SentSettings {
        form: OrganisationInput::default(),
        csrf_token: String::new(),
        logo: Vec::new(),
    };
    let too_large = format!("The logo must be {} KB or smaller", MAX_LOGO_BYTES / 1024);
    loop {
        let field = match sent.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => return Ok(read),
            Err(_) => return Err(too_large),
        };
        let name = field.name().unwrap_or("").to_owned();
        let form = &mut read.form;
        let target = match name.as_str() {
            "logo" => {
                match field.bytes().await {
                    Ok(bytes) => read.logo = bytes.to_vec(),
                    Err(_) => return Err(too_large),
                }
                continue;
            }
            "csrf_token" => &mut read.csrf_token,
            "name" => &mut form.name,
            "contact_email" => &mut form.contact_email,
            "contact_phone" => &mut form.contact_phone,
            "public_address" => &mut form.public_address,
            "remove_logo" => &mut form.remove_logo,
            _ => continue,
        };
        *target = crate::input::field_text(field).await;
    }
}

async fn save(Staff(state, session, actor): Staff, sent: Multipart) -> PageResult {
    let sent = match read_settings(sent).await {
        Ok(sent) => sent,
        // A body over the limit is refused before its fields can be read (its form token too):
        // nothing is saved, and the form shows the saved details with the problem.
        Err(problem) => {
            let saved = OrganisationInput::from_saved(&state.app.organisation());
            let errors = Errors::one("logo", problem);
            return settings_page(&state, &session, saved, errors, false);
        }
    };
    check_upload_token(&sent.csrf_token, &session)?;
    let logo = (!sent.logo.is_empty()).then_some(sent.logo.as_slice());
    match state.app.save_organisation(&actor, &sent.form, logo).await {
        Ok(()) => Ok(Redirect::to("/organisation?done=saved").into_response()),
        Err(AppError::Invalid(list)) => {
            settings_page(&state, &session, sent.form, Errors::from(list), false)
        }
        Err(e) => Err(e.into()),
    }
}

/// The logo, by its tag: sent as its own type, never sniffed, kept by browsers for good (a new
/// logo has a new tag), with a policy that lets nothing in it run or load.
async fn logo(State(state): State<AppState>, Path(tag): Path<String>) -> PageResult {
    let Some(logo) = state.app.logo(&tag).await? else {
        return Err(PageError::not_found());
    };
    let headers = [
        (header::CONTENT_TYPE, logo.kind.media_type()),
        (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
        (
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; style-src 'unsafe-inline'; sandbox",
        ),
    ];
    Ok((headers, logo.bytes).into_response())
}
