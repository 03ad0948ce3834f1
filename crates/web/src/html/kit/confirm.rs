//! A page of its own that asks before an action a person would not want by accident (removing a
//! member, ending a relationship, cancelling a meeting) and says what will happen. It is a form,
//! so it needs no script; what was typed before it travels in hidden fields.

use super::{render, Layout};
use crate::AppState;
use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;
use coproduce_app::sign_in::Session;
use serde::Deserialize;

/// What to ask: the heading, what will happen, where the form goes with what, and the way back.
pub(crate) struct Confirm {
    /// Whose page this is about, above the heading.
    pub(crate) caption: String,
    /// The question, e.g. "Remove Sophie Lane from Parent carer forum?".
    pub(crate) heading: String,
    /// What will happen, a sentence each.
    pub(crate) consequences: Vec<String>,
    /// Where the form is sent.
    pub(crate) action: String,
    /// The fields sent with it (what was typed on the form before), by name.
    pub(crate) fields: Vec<(String, String)>,
    /// The button's words, e.g. "Yes, remove them".
    pub(crate) button: String,
    /// The way back without doing it: the address and its words.
    pub(crate) back: (String, String),
}

#[derive(Template)]
#[template(path = "confirm.html")]
struct ConfirmPage {
    layout: Layout,
    c: Confirm,
    csrf_token: String,
}

/// The confirmation page for `c`.
pub(crate) fn confirm_page(state: &AppState, session: &Session, c: Confirm, nav: &str) -> Response {
    let page = ConfirmPage {
        layout: Layout::new(state, Some(session), &c.heading, nav),
        c,
        csrf_token: session.csrf_token.clone(),
    };
    render(StatusCode::OK, &page)
}

/// Whether the person has said yes on a confirmation page (its form's address ends
/// `?confirmed=yes`, so the fields of the form before it are left as they were).
#[derive(Debug, Default, Deserialize)]
pub(crate) struct Confirmation {
    #[serde(default)]
    confirmed: String,
}

impl Confirmation {
    /// Whether it was confirmed.
    pub(crate) fn given(&self) -> bool {
        self.confirmed == "yes"
    }
}

/// A form's fields by name, to send again from the confirmation page.
pub(crate) fn fields_of<T: serde::Serialize>(form: &T) -> Vec<(String, String)> {
    use serde_json::Value;
    let Ok(Value::Object(fields)) = serde_json::to_value(form) else {
        return Vec::new();
    };
    fields
        .into_iter()
        .map(|(name, value)| {
            let text = match value {
                Value::String(s) => s,
                Value::Null => String::new(),
                other => other.to_string(),
            };
            (name, text)
        })
        .collect()
}

/// `action` with the answer that confirms it.
pub(crate) fn confirmed(action: &str) -> String {
    format!("{action}?confirmed=yes")
}
