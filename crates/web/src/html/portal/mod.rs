//! The people's portal at /my: signing in with a one-time code or link, and each task on a page
//! of its own (meetings, opportunities, involvement, how we contact them, consents, calendar
//! link, Easy Read), plus staff signing someone in on their behalf.

use super::kit::opportunity::Shown;
use super::kit::{date_text, uk, Choice, Routes};
use super::kit::{render, render_with_form_token, with_cookie};
use super::kit::{Errors, FormFields, Layout, NavItem, PageResult, UserBar};
use crate::error::PageError;
use crate::extract::CsrfForm;
use crate::extract::{ClientAddress, MaybeSession, Staff};
use crate::html::kit::render_error;
use crate::session::cookie;
use crate::{AppState, WebConfig};
use askama::Template;
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Path, Query, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use coproduce_app::portal::{ContactInput, PortalLookup, PortalOverview, PortalSession};
use coproduce_app::sign_in::Session;
use coproduce_app::AppError;
use coproduce_domain::opportunities::Stage;
use coproduce_domain::people::{Channel, ConsentKind, Need};
use coproduce_domain::secret::constant_time_eq;
use coproduce_domain::SecretToken;
use serde::de::DeserializeOwned;
use serde::Deserialize;

mod calendar;
mod consents;
mod contact;
mod easy_read;
mod feedback;
mod home;
mod involvement;
mod meetings;
mod opportunities;
mod session;
mod sign_in;
mod view;

use calendar::{calendar, new_calendar_link};
use consents::{consents, save_consent};
use contact::{contact_page, save_contact};
use coproduce_domain::groups::Joiner;
use coproduce_domain::meetings::Meeting;
use easy_read::{easy_read_page, save_easy_read};
use feedback::{answer, feedback_page};
use home::home;
use involvement::involvement;
use meetings::{meetings, reply, reply_to_all};
use opportunities::{interest, opportunities};
use session::*;
use sign_in::{
    ask_for_code, code_page, enter_code, follow_link, link_page, on_behalf, sign_in_page, sign_out,
};
use view::*;

/// The portal's routes.
pub(super) fn routes() -> Routes {
    Routes::new()
        .route("/my", get(home))
        .route("/my/sign-in", get(sign_in_page).post(ask_for_code))
        .route("/my/sign-in/code", get(code_page).post(enter_code))
        .route("/my/sign-in/link", post(follow_link))
        .route("/my/sign-in/link/{token}", get(link_page))
        .route("/my/sign-out", post(sign_out))
        .route("/my/feedback/{token}", get(feedback_page).post(answer))
        .route("/my/meetings", get(meetings))
        .route("/my/meetings/{id}/reply", post(reply))
        .route("/my/groups/{id}/reply", post(reply_to_all))
        .route("/my/opportunities", get(opportunities))
        .route("/my/opportunities/{id}/interest", post(interest))
        .route("/my/involvement", get(involvement))
        .route("/my/contact", get(contact_page).post(save_contact))
        .route("/my/consents", get(consents).post(save_consent))
        .route("/my/calendar", get(calendar).post(new_calendar_link))
        .route("/my/easy-read", get(easy_read_page).post(save_easy_read))
        .route("/people/{id}/portal", post(on_behalf))
}
