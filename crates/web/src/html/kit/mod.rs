//! What every page shares: the layout and rendering, forms and their problems, how dates read,
//! the public face of an opportunity, and the membership pages groups and projects share. A
//! feature imports from here, never from another feature.

mod form;
mod format;
mod layout;
pub(crate) mod opportunity;
mod routes;
pub(crate) mod team;

pub(crate) use form::{Errors, FormFields};
pub(crate) use format::{date_text, uk, uk_date};
pub(crate) use layout::{render, render_error, render_with_cookie, Layout, NavItem, UserBar};
pub(crate) use routes::Routes;
