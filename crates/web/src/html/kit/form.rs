//! A submitted form: its fields as sent, and its problems for the error summary.

use axum::http::StatusCode;
use coproduce_app::FieldError;

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

/// One box of a list of checkboxes: its code, its words, and whether it is ticked.
pub(crate) struct Choice {
    pub(crate) code: &'static str,
    pub(crate) label: &'static str,
    pub(crate) checked: bool,
}

impl Choice {
    /// The boxes for `(code, label)` pairs, ticked where `chosen` holds the code.
    pub(crate) fn list(
        items: impl IntoIterator<Item = (&'static str, &'static str)>,
        chosen: &[String],
    ) -> Vec<Choice> {
        items
            .into_iter()
            .map(|(code, label)| Choice {
                code,
                label,
                checked: chosen.iter().any(|c| c == code),
            })
            .collect()
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

/// Checks the form token a file upload carried (an upload is read as it streams, so the
/// `CsrfForm` extractor cannot check it first): a forged or stale form is refused.
pub(crate) fn check_upload_token(
    sent: &str,
    session: &coproduce_app::sign_in::Session,
) -> Result<(), crate::error::PageError> {
    if coproduce_domain::secret::constant_time_eq(sent, &session.csrf_token) {
        return Ok(());
    }
    Err(crate::error::PageError {
        status: StatusCode::FORBIDDEN,
        heading: "This form has expired",
        message: "For your safety, forms only work for a while and only from the page that showed them. Go back, reload the page and try again.".into(),
    })
}
