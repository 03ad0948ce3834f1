//! What every API feature shares: a page of a list, and code lists as JSON arrays. A feature
//! imports from here and from the extractors, never from another feature.

use crate::error::ApiError;
use axum::http::StatusCode;
use axum::Json;
use coproduce_app::meetings::{who_key, ActionInput};
use coproduce_domain::meetings;
use coproduce_domain::{PersonId, StaffId};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A list, a page at a time.
#[derive(Debug, Serialize, ToSchema)]
pub struct Page<T> {
    /// The items.
    pub items: Vec<T>,
    /// Send as `cursor` for the next page; null on the last.
    pub next_cursor: Option<String>,
}

impl<T> Page<T> {
    /// Every item, in one page with no next.
    pub(crate) fn whole(items: Vec<T>) -> axum::Json<Page<T>> {
        axum::Json(Page {
            items,
            next_cursor: None,
        })
    }
}

/// A stored comma-separated list of codes, as a JSON array.
pub(crate) fn codes(list: &str) -> Vec<String> {
    list.split(',')
        .filter(|c| !c.is_empty())
        .map(str::to_owned)
        .collect()
}

/// An action agreed at a meeting or a review.
#[derive(Debug, Serialize, ToSchema)]
pub struct ActionItem {
    /// Id.
    pub id: i64,
    /// The meeting it was agreed at, if a meeting.
    pub meeting_id: Option<i64>,
    /// The review it was agreed at, if a review.
    pub review_id: Option<i64>,
    /// What is to be done.
    pub description: String,
    /// Its owner, if a person.
    pub owner_person_id: Option<i64>,
    /// Its owner, if staff.
    pub owner_staff_id: Option<i64>,
    /// When it is due, `YYYY-MM-DD`.
    pub due_on: Option<String>,
    /// `open`, `done` or `dropped`.
    pub status: String,
    /// Version.
    pub version: i64,
}

impl From<meetings::ActionItem> for ActionItem {
    fn from(a: meetings::ActionItem) -> ActionItem {
        ActionItem {
            id: a.id,
            meeting_id: a.meeting_id.map(|m| m.0),
            review_id: a.review_id.map(|r| r.0),
            description: a.description,
            owner_person_id: a.owner_person_id.map(|v| v.0),
            owner_staff_id: a.owner_staff_id.map(|v| v.0),
            due_on: a.due_on,
            status: a.status.code().to_owned(),
            version: a.version,
        }
    }
}

/// A new action.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[serde(default)]
pub struct NewAction {
    /// What is to be done.
    pub description: String,
    /// Its owner, if a person.
    pub owner_person_id: Option<i64>,
    /// Its owner, if staff.
    pub owner_staff_id: Option<i64>,
    /// When it is due, `YYYY-MM-DD`.
    pub due_on: String,
    /// A key of your choosing: the same key twice adds one action.
    pub idempotency_key: String,
}

impl NewAction {
    /// The action as the app reads it; the idempotency key is kept apart per meeting or review
    /// by `scope` (`api:ID`).
    pub(crate) fn input(self, scope: &str) -> ActionInput {
        ActionInput {
            description: self.description,
            owner: who_key(
                self.owner_person_id.map(PersonId),
                self.owner_staff_id.map(StaffId),
            ),
            due_on: self.due_on,
            submission_key: match self.idempotency_key.is_empty() {
                true => String::new(),
                false => format!("{scope}:{}", self.idempotency_key),
            },
        }
    }
}

/// The answer to adding an action: 201 with the action `id` among those its meeting or review
/// now lists.
pub(crate) fn created_action(
    listed: Vec<meetings::ActionItem>,
    id: i64,
) -> Result<(StatusCode, Json<ActionItem>), ApiError> {
    let found = listed
        .into_iter()
        .find(|a| a.id == id)
        .ok_or(ApiError::not_found())?;
    Ok((StatusCode::CREATED, Json(ActionItem::from(found))))
}
