//! Public pages drawn once for the data they show. A page anyone may load as often as they like
//! (`/you-said-we-did`) is the same for everyone until its rows or the organisation change; the
//! app keeps the rows for a moment as one `Arc`, so the page drawn from that `Arc` is kept with
//! it and drawn again only when the app hands out another.

use axum::body::Bytes;
use axum::response::{Html, IntoResponse, Response};
use coproduce_domain::organisation::Organisation;
use std::sync::{Arc, Mutex};

/// A page as drawn, and what it was drawn from (held, so that nothing else can take its place).
struct Kept<T> {
    key: String,
    rows: Arc<Vec<T>>,
    org: Arc<Organisation>,
    html: Bytes,
}

/// The pages of one kind, each variant (standard or Easy Read, a service) kept once.
pub(crate) struct KeptPages<T>(Mutex<Vec<Kept<T>>>);

impl<T> Default for KeptPages<T> {
    fn default() -> Self {
        KeptPages(Mutex::new(Vec::new()))
    }
}

impl<T> KeptPages<T> {
    /// The page `key` drawn from `rows` and `org`: as kept, or drawn now by `draw` and kept.
    /// Pages drawn from older rows are forgotten, so at most one a variant is held.
    pub(crate) fn page(
        &self,
        key: &str,
        rows: &Arc<Vec<T>>,
        org: &Arc<Organisation>,
        draw: impl FnOnce() -> Result<String, askama::Error>,
    ) -> Response {
        let current = |k: &Kept<T>| Arc::ptr_eq(&k.rows, rows) && Arc::ptr_eq(&k.org, org);
        if let Ok(kept) = self.0.lock() {
            if let Some(k) = kept.iter().find(|k| k.key == key && current(k)) {
                return html(k.html.clone());
            }
        }
        let drawn = match draw() {
            Ok(page) => Bytes::from(page),
            Err(e) => return super::layout::failed(&e),
        };
        if let Ok(mut kept) = self.0.lock() {
            kept.retain(|k| current(k) && k.key != key);
            kept.push(Kept {
                key: key.to_owned(),
                rows: Arc::clone(rows),
                org: Arc::clone(org),
                html: drawn.clone(),
            });
        }
        html(drawn)
    }
}

fn html(body: Bytes) -> Response {
    Html(body).into_response()
}
