//! What every API feature shares: a page of a list, and code lists as JSON arrays. A feature
//! imports from here and from the extractors, never from another feature.

use serde::Serialize;
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
