//! People: the keep-in-touch queue, search, downloads, the person's record and page, and
//! contacts, consents, relationships and merging from it. One file a task; `view.rs` holds what
//! several of them show.

use super::kit::Routes;
use axum::routing::{get, post};

mod consents;
mod contacts;
mod export;
mod form;
mod merge;
mod queue;
mod record;
mod relationships;
mod search;
mod view;

/// The people routes.
pub(super) fn routes() -> Routes {
    Routes::new()
        .route("/keep-in-touch", get(queue::keep_in_touch))
        .route("/people", get(search::list).post(form::create))
        .route("/people/new", get(form::new_form))
        .route("/people/export.csv", get(export::export_csv))
        .route("/people/export.xlsx", get(export::export_xlsx))
        .route("/people/{id}", get(record::show))
        .route("/people/{id}/edit", get(form::edit_form).post(form::update))
        .route("/people/{id}/contacts", post(contacts::log_contact))
        .route(
            "/people/{id}/relationships",
            post(relationships::add_relationship),
        )
        .route("/people/{id}/consents", post(consents::record_consent))
        .route(
            "/people/{id}/merge/{other}",
            get(merge::merge_form).post(merge::merge),
        )
        .route(
            "/people/{id}/relationships/{rid}",
            get(relationships::relationship_form).post(relationships::update_relationship),
        )
}
