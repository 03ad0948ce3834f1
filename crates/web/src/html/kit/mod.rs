//! What every page shares: the layout and rendering, forms and their problems, how dates read,
//! the public face of an opportunity, and the membership pages groups and projects share. A
//! feature imports from here, never from another feature.

mod actions;
pub(crate) mod confirm;
mod download;
mod due;
mod feedback;
mod form;
mod format;
pub(crate) mod held;
pub(crate) mod kept;
mod layout;
pub(crate) mod opportunity;
mod routes;
pub(crate) mod team;

pub(crate) use actions::{action_rows, ActionRow};
pub(crate) use download::attachment;
pub(crate) use due::{DueRow, ReviewHistory};
pub(crate) use feedback::{question_headings, scale_questions, PeriodRow, ScaleQuestion};
pub(crate) use form::{check_upload_token, Choice, Errors, FormFields};
pub(crate) use format::{date_text, meeting_line, uk, uk_date, Phone};
pub(crate) use layout::{
    render, render_error, render_with_form_token, with_cookie, Layout, NavItem, UserBar,
};
pub(crate) use routes::Routes;

/// What a page handler answers: the page, or the error page the session layer draws, so a
/// failed use case is a `?` rather than a match arm in every handler.
pub(crate) type PageResult = Result<axum::response::Response, crate::error::PageError>;
