//! Membership pages shared by groups and projects (a [`Team`]): finding a person to add,
//! adding them, and ending a membership (asking first, on a page of its own).

use super::confirm::{confirm_page, Confirm};
use super::{date_text, render, Errors, Layout, PageResult};
use crate::AppState;
use askama::Template;
use axum::response::{IntoResponse, Redirect};
use coproduce_app::groups::MemberInput;
use coproduce_app::people::{Person, SearchInput};
use coproduce_app::sign_in::Session;
use coproduce_app::{Actor, AppError};
use coproduce_domain::groups::GroupRole;
use coproduce_domain::groups::Team;
use coproduce_domain::PersonId;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "groups/add_member.html")]
struct AddMemberPage {
    layout: Layout,
    errors: Errors,
    name: String,
    base: String,
    q: String,
    searched: bool,
    people: Vec<Person>,
    roles: [GroupRole; 3],
    csrf_token: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct FindMember {
    pub(crate) q: String,
}

/// Finding a person by name to add to a group or project (`name`, at `base`).
pub(crate) async fn member_search_page(
    state: &AppState,
    session: &Session,
    name: String,
    base: String,
    q: String,
    errors: Errors,
) -> PageResult {
    let (searched, people) = people_named(state, &session.actor(), &q).await?;
    let title = format!("Add a member to {name}");
    let page = AddMemberPage {
        layout: Layout::new(state, Some(session), errors.title(title), "/groups"),
        errors,
        name,
        base,
        q,
        searched,
        people,
        roles: [GroupRole::Member, GroupRole::Chair, GroupRole::Supporter],
        csrf_token: session.csrf_token.clone(),
    };
    Ok(render(page.errors.status(), &page))
}

/// The people the actor may see whose name, email or phone matches what was typed, for a form
/// that names one (a member, an invitee); whether anything was typed to search for.
pub(crate) async fn people_named(
    state: &AppState,
    who: &Actor,
    q: &str,
) -> Result<(bool, Vec<Person>), AppError> {
    if q.trim().is_empty() {
        return Ok((false, Vec::new()));
    }
    let input = SearchInput {
        q: q.to_owned(),
        ..SearchInput::default()
    };
    Ok((true, state.app.search_people(who, &input).await?.people))
}

/// Where a group's or project's page is.
pub(crate) fn team_path(team: Team) -> String {
    match team {
        Team::Group(id) => format!("/groups/{id}"),
        Team::Project(id) => format!("/projects/{id}"),
    }
}

/// A group's or project's name, if the actor works with it.
pub(crate) async fn team_name(
    state: &AppState,
    session: &Session,
    team: Team,
) -> Result<String, AppError> {
    let who = session.actor();
    match team {
        Team::Group(id) => state.app.view_group(&who, id).await.map(|v| v.group.name),
        Team::Project(id) => state
            .app
            .view_project(&who, id)
            .await
            .map(|v| v.project.name),
    }
}

/// The person search for adding a member to a group or project, with `errors`.
pub(crate) async fn member_page(
    state: &AppState,
    session: &Session,
    team: Team,
    q: String,
    errors: Errors,
) -> PageResult {
    let name = team_name(state, session, team).await?;
    member_search_page(state, session, name, team_path(team), q, errors).await
}

/// Adds the person chosen on the search page to a group or project.
pub(crate) async fn add_team_member(
    state: &AppState,
    session: &Session,
    team: Team,
    form: AddMember,
) -> PageResult {
    let input = MemberInput {
        person_id: form.person_id,
        staff_id: String::new(),
        role: form.role,
    };
    let who = session.actor();
    let added = match team {
        Team::Group(id) => state.app.add_group_member(&who, id, &input).await,
        Team::Project(id) => state.app.add_project_member(&who, id, &input).await,
    };
    match added {
        Ok(_) => Ok(Redirect::to(&format!("{}?joined=1", team_path(team))).into_response()),
        Err(AppError::Invalid(list)) => {
            let message = list.first().map_or_else(String::new, |e| e.message.clone());
            member_page(state, session, team, form.q, Errors::one("q", message)).await
        }
        Err(e) => Err(e.into()),
    }
}

/// The page that asks before a membership ends, saying what will happen.
pub(crate) async fn confirm_leaving(
    state: &AppState,
    session: &Session,
    team: Team,
    member: i64,
    end: String,
) -> PageResult {
    let l = state.app.leaving(&session.actor(), team, member).await?;
    let to_come = match l.meetings_to_come {
        0 => format!(
            "{} has no meetings still to come with {}.",
            l.name, l.team_name
        ),
        1 => format!(
            "{} will not be invited to the one meeting still to come.",
            l.name
        ),
        n => format!(
            "{} will not be invited to the {n} meetings still to come.",
            l.name
        ),
    };
    let history = match team {
        Team::Group(_) => "Their relationship with the group ends. Past meetings, the register and their history are kept.",
        Team::Project(_) => "Past meetings, the register and their history are kept.",
    };
    let base = team_path(team);
    let c = Confirm {
        caption: l.team_name.clone(),
        heading: format!("Remove {} from {}?", l.name, l.team_name),
        consequences: vec![to_come, history.to_owned()],
        action: end,
        fields: Vec::new(),
        button: format!("Yes, remove {}", l.name),
        back: (base, format!("No, go back to {}", l.team_name)),
    };
    Ok(confirm_page(state, session, c, "/groups"))
}

/// Ends a membership of a group or project.
pub(crate) async fn end_team_member(
    state: &AppState,
    session: &Session,
    team: Team,
    member: i64,
) -> PageResult {
    let who = session.actor();
    match team {
        Team::Group(id) => state.app.remove_group_member(&who, id, member).await?,
        Team::Project(id) => state.app.remove_project_member(&who, id, member).await?,
    };
    Ok(Redirect::to(&format!("{}?left=1", team_path(team))).into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct AddMember {
    pub(crate) person_id: String,
    pub(crate) role: String,
    pub(crate) q: String,
}

/// A member as a group's or project's page lists them.
pub(crate) struct MemberItem {
    pub(crate) id: i64,
    pub(crate) name: String,
    pub(crate) href: Option<String>,
    pub(crate) role: &'static str,
    pub(crate) since: String,
}

impl MemberItem {
    /// A membership (`id`) of a person (linked to their record) or a staff member, in a role,
    /// since a day (`YYYY-MM-DD`).
    pub(crate) fn new(
        id: i64,
        person_id: Option<PersonId>,
        name: &str,
        role: GroupRole,
        joined_on: &str,
    ) -> MemberItem {
        MemberItem {
            id,
            name: name.to_owned(),
            href: person_id.map(|p| format!("/people/{p}")),
            role: role.label(),
            since: date_text(joined_on),
        }
    }
}

/// The notice a team's page shows after a change, as its address's query says.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct Notice {
    saved: Option<String>,
    joined: Option<String>,
    left: Option<String>,
}

impl Notice {
    /// What to tell the reader, with the team's own words for someone joining and leaving.
    pub(crate) fn text(&self, joined: &'static str, left: &'static str) -> Option<&'static str> {
        if self.saved.is_some() {
            Some("Saved.")
        } else if self.joined.is_some() {
            Some(joined)
        } else if self.left.is_some() {
            Some(left)
        } else {
            None
        }
    }
}

/// A kind of team's membership pages: finding someone to add, adding them, and ending a
/// membership, at `members` and `end` (which name the team `{id}` and the membership `{member}`).
pub(crate) fn member_routes(
    members: &'static str,
    end: &'static str,
    team: fn(i64) -> Team,
) -> super::Routes {
    use crate::extract::{CsrfForm, Staff};
    use axum::extract::{Path, Query};
    use axum::routing::get;
    let find = move |Staff(state, session, _): Staff,
                     Path(id): Path<i64>,
                     Query(q): Query<FindMember>| async move {
        member_page(&state, &session, team(id), q.q, Errors::default()).await
    };
    let add = move |Staff(state, session, _): Staff,
                    Path(id): Path<i64>,
                    CsrfForm(form): CsrfForm<AddMember>| async move {
        add_team_member(&state, &session, team(id), form).await
    };
    let ask = move |Staff(state, session, _): Staff, Path((id, member)): Path<(i64, i64)>| async move {
        let end = end
            .replace("{id}", &id.to_string())
            .replace("{member}", &member.to_string());
        confirm_leaving(&state, &session, team(id), member, end).await
    };
    let finish = move |Staff(state, session, _): Staff,
                       Path((id, member)): Path<(i64, i64)>,
                       CsrfForm(_): CsrfForm<Vec<(String, String)>>| async move {
        end_team_member(&state, &session, team(id), member).await
    };
    super::Routes::new()
        .route(members, get(find).post(add))
        .route(end, get(ask).post(finish))
}
