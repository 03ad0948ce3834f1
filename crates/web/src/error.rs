//! The web layer's errors: a page for people, a JSON problem for programs.

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use coproduce_app::{AppError, FieldError};
use serde::Serialize;
use utoipa::ToSchema;

/// An error to show as a page. It travels out of the handler as a marker on an empty response;
/// the session layer, which knows who is signed in, renders it inside the normal layout.
#[derive(Clone, Debug)]
pub struct PageError {
    /// The status code.
    pub status: StatusCode,
    /// The page's heading.
    pub heading: &'static str,
    /// What happened and what to do.
    pub message: String,
}

impl PageError {
    /// The page is not there.
    pub fn not_found() -> PageError {
        PageError {
            status: StatusCode::NOT_FOUND,
            heading: "Page not found",
            message: "If you typed the web address, check it is correct. If you pasted it, check you copied the whole address.".into(),
        }
    }

    /// The signed-in person may not see this.
    pub fn forbidden() -> PageError {
        PageError {
            status: StatusCode::FORBIDDEN,
            heading: "You do not have permission to see this page",
            message: "If you think you should, ask your participation team admin.".into(),
        }
    }
}

impl From<AppError> for PageError {
    fn from(e: AppError) -> PageError {
        match e {
            AppError::Forbidden => PageError::forbidden(),
            AppError::NotFound => PageError::not_found(),
            AppError::Expired => PageError {
                status: StatusCode::GONE,
                heading: "This link has expired or has been used",
                message: "Ask your participation team admin for a new one.".into(),
            },
            AppError::Throttled => PageError {
                status: StatusCode::TOO_MANY_REQUESTS,
                heading: "Too many attempts",
                message: "Wait 15 minutes, then try again.".into(),
            },
            AppError::BadCredentials => PageError {
                status: StatusCode::UNAUTHORIZED,
                heading: "Those details are not right",
                message: "Go back and try again.".into(),
            },
            AppError::Invalid(list) => PageError {
                status: StatusCode::BAD_REQUEST,
                heading: "There is a problem",
                message: list
                    .into_iter()
                    .map(|f| f.message)
                    .collect::<Vec<_>>()
                    .join(". "),
            },
            AppError::Conflict { .. } => PageError {
                status: StatusCode::CONFLICT,
                heading: "Someone else changed this record",
                message: "Go back, reload the page to see their changes, then make yours again."
                    .into(),
            },
            AppError::Store(_) | AppError::Internal(_) => {
                tracing::error!(request_id = %crate::request_id::logged(), error = %e, "request failed");
                PageError {
                    status: StatusCode::INTERNAL_SERVER_ERROR,
                    heading: "Sorry, there is a problem with the service",
                    message: "Nothing you saved before this was lost. Try again in a few minutes."
                        .into(),
                }
            }
        }
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let mut response = self.status.into_response();
        response.extensions_mut().insert(self);
        response
    }
}

/// One field's problem in a JSON problem.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ProblemField {
    /// The field's name in the request.
    pub field: String,
    /// What is wrong with it.
    pub message: String,
}

/// An RFC 9457 problem document, sent as `application/problem+json`.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Problem {
    /// Always `about:blank`: the status says what kind of problem it is.
    #[serde(rename = "type")]
    pub kind: String,
    /// A short summary.
    pub title: String,
    /// The HTTP status code.
    pub status: u16,
    /// What happened and what to do.
    pub detail: String,
    /// Each field's problem, when the input was not acceptable.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ProblemField>,
    /// This request's reference (also in the `X-Request-Id` header): quote it when asking about
    /// the problem.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

impl ProblemField {
    /// A field's problem.
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> ProblemField {
        ProblemField {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// An error answered as a JSON problem.
#[derive(Clone, Debug)]
pub struct ApiError {
    status: StatusCode,
    detail: String,
    errors: Vec<ProblemField>,
}

impl ApiError {
    /// No token, or one that is forged, revoked or expired.
    pub fn unauthorised() -> ApiError {
        ApiError {
            status: StatusCode::UNAUTHORIZED,
            detail: "Send a valid API token as 'Authorization: Bearer <token>'.".into(),
            errors: Vec::new(),
        }
    }

    /// A body that is not the JSON expected; the detail says what is wrong, and where.
    pub fn bad_body(status: StatusCode, detail: String) -> ApiError {
        ApiError {
            status,
            detail,
            errors: Vec::new(),
        }
    }

    /// Input that is not acceptable, each field's problem named.
    pub fn invalid(status: StatusCode, detail: &str, errors: Vec<ProblemField>) -> ApiError {
        ApiError {
            status,
            detail: detail.to_owned(),
            errors,
        }
    }

    /// No such resource.
    pub fn not_found() -> ApiError {
        ApiError {
            status: StatusCode::NOT_FOUND,
            detail: "There is nothing at this address.".into(),
            errors: Vec::new(),
        }
    }
}

impl From<AppError> for ApiError {
    fn from(e: AppError) -> ApiError {
        let (status, detail, errors) = match e {
            AppError::Invalid(list) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "Some fields are not acceptable.".to_owned(),
                list,
            ),
            AppError::Conflict { version, changed } => (
                StatusCode::CONFLICT,
                format!("Someone else saved this record first; it is now at version {version}. Fetch it, apply your change again and send that version."),
                changed.into_iter().map(|f| FieldError::new(f, "Changed by someone else")).collect(),
            ),
            AppError::Forbidden => (
                StatusCode::FORBIDDEN,
                "This token may not do that.".to_owned(),
                vec![],
            ),
            AppError::NotFound => return ApiError::not_found(),
            AppError::BadCredentials | AppError::Expired => return ApiError::unauthorised(),
            AppError::Throttled => (
                StatusCode::TOO_MANY_REQUESTS,
                "Too many attempts; wait and try again.".to_owned(),
                vec![],
            ),
            AppError::Store(_) | AppError::Internal(_) => {
                tracing::error!(request_id = %crate::request_id::logged(), error = %e, "API request failed");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Something went wrong on the server; nothing was changed.".to_owned(),
                    vec![],
                )
            }
        };
        ApiError {
            status,
            detail,
            errors: errors
                .into_iter()
                .map(|f| ProblemField::new(f.field, f.message))
                .collect(),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let problem = Problem {
            kind: "about:blank".into(),
            title: self.status.canonical_reason().unwrap_or("Error").to_owned(),
            status: self.status.as_u16(),
            detail: self.detail,
            errors: self.errors,
            request_id: crate::request_id::current(),
        };
        let mut response = (self.status, Json(problem)).into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            header::HeaderValue::from_static("application/problem+json"),
        );
        if self.status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                header::HeaderValue::from_static("Bearer"),
            );
        }
        response
    }
}
