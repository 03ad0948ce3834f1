//! The use cases' error type.

use coproduce_store::StoreError;

/// One field's problem, in words to show the person who filled it in.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct FieldError {
    /// The field's name, as in the form and the JSON.
    pub field: &'static str,
    /// What is wrong and how to put it right.
    pub message: String,
}

impl FieldError {
    /// A problem with one field.
    pub fn new(field: &'static str, message: impl Into<String>) -> FieldError {
        FieldError {
            field,
            message: message.into(),
        }
    }
}

/// Why a use case did not do what was asked.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The input is not acceptable; each field says why.
    #[error("the input has problems")]
    Invalid(Vec<FieldError>),
    /// The actor may not do this.
    #[error("you do not have permission to do that")]
    Forbidden,
    /// There is no such thing (or the actor may not know it exists).
    #[error("not found")]
    NotFound,
    /// The email address or password (or code) is wrong; deliberately vague.
    #[error("the details entered are not right")]
    BadCredentials,
    /// Too many failed attempts recently.
    #[error("too many attempts")]
    Throttled,
    /// The session or link has expired or been used.
    #[error("expired")]
    Expired,
    /// Someone else saved the record first; nothing was changed.
    #[error("the record was changed by someone else")]
    Conflict {
        /// The version now stored, to save against after checking.
        version: i64,
        /// The fields whose stored value differs from what was submitted.
        changed: Vec<&'static str>,
    },
    /// Storage failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Something that should not happen did.
    #[error("internal error: {0}")]
    Internal(String),
}

impl AppError {
    /// A single field's problem.
    pub fn field(field: &'static str, message: impl Into<String>) -> AppError {
        AppError::Invalid(vec![FieldError::new(field, message)])
    }

    /// Turns a duplicate from storage into a problem with `field`.
    pub fn from_store_for(field: &'static str) -> impl Fn(StoreError) -> AppError {
        move |e| match e {
            StoreError::Duplicate(what) => {
                AppError::field(field, format!("That {what} is already in use"))
            }
            other => AppError::Store(other),
        }
    }
}
