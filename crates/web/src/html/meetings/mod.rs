//! One meeting: its page, changing it and one-off meetings, the register, invitations and
//! replies, actions and papers. One file a task; `view.rs` holds what several show.

use super::kit::Routes;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use coproduce_app::meetings::MAX_PAPER_BYTES;

mod actions;
mod form;
mod invitations;
mod papers;
mod record;
mod register;
mod view;

/// The meeting routes.
pub(super) fn routes() -> Routes {
    Routes::new()
        .route("/meetings/{id}", get(record::show))
        .route("/meetings/{id}/edit", get(form::edit_form).post(form::save))
        .route(
            "/groups/{id}/meetings/new",
            get(form::new_group_meeting).post(form::add_group_meeting),
        )
        .route(
            "/projects/{id}/meetings/new",
            get(form::new_project_meeting).post(form::add_project_meeting),
        )
        .route(
            "/meetings/{id}/register",
            get(register::register_form).post(register::save_register),
        )
        .route("/meetings/{id}/replies", post(invitations::reply))
        .route("/meetings/{id}/invite", get(invitations::find_invitee))
        .route("/meetings/{id}/invitations", post(invitations::invite))
        .route("/meetings/{id}/actions", post(actions::add_action))
        .route("/actions/{id}", post(actions::action_status))
        .route(
            "/meetings/{id}/papers",
            post(papers::add_paper).layer(DefaultBodyLimit::max(MAX_PAPER_BYTES + 64 * 1024)),
        )
        .route(
            "/meetings/{id}/papers/{paper}/remove",
            post(papers::remove_paper),
        )
        .route("/papers/{id}", get(papers::paper))
}
