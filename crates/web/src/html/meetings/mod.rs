//! One meeting: its page, changing it and one-off meetings, the register, invitations and
//! replies, actions and papers. One file a task; `view.rs` holds what several show.

use super::kit::Routes;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use coproduce_app::meetings::MAX_PAPER_BYTES;
use coproduce_domain::groups::Team;
use coproduce_domain::{GroupId, ProjectId};

mod actions;
mod feedback;
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
        .merge(form::one_off_routes("/groups/{id}/meetings/new", |id| {
            Team::Group(GroupId(id))
        }))
        .merge(form::one_off_routes("/projects/{id}/meetings/new", |id| {
            Team::Project(ProjectId(id))
        }))
        .route(
            "/meetings/{id}/register",
            get(register::register_form).post(register::save_register),
        )
        .route("/meetings/{id}/replies", post(invitations::reply))
        .route("/meetings/{id}/invite", get(invitations::find_invitee))
        .route("/meetings/{id}/invitations", post(invitations::invite))
        .route("/meetings/{id}/actions", post(actions::add_action))
        .route(
            "/meetings/{id}/feedback",
            get(feedback::record_form).post(feedback::record),
        )
        .route("/groups/{id}/feedback", get(feedback::group_results))
        .route("/projects/{id}/feedback", get(feedback::project_results))
        .route(
            "/manage/opportunities/{id}/feedback",
            get(feedback::activity_results),
        )
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
