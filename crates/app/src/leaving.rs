//! What ending a membership of a group or project will do, for the page that asks first.

use crate::{authorise, authorise_or_hide, Action, Actor, App, AppError, Resource};
use coproduce_domain::groups::Team;
use coproduce_store::{groups, projects};

/// A current membership about to end: who, of what, and how many meetings still to come they
/// would no longer be invited to.
#[derive(Clone, Debug)]
pub struct Leaving {
    /// The member's name.
    pub name: String,
    /// The group's or project's name.
    pub team_name: String,
    /// The team's meetings from now, not cancelled, that they are invited to as a member.
    pub meetings_to_come: i64,
}

impl App {
    /// What ending membership `member` of `team` will do, for someone who may end it.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn leaving(
        &self,
        actor: &Actor,
        team: Team,
        member: i64,
    ) -> Result<Leaving, AppError> {
        authorise(actor, Action::EditGroups, &Resource::ANY)?;
        let mut tx = self.db().read().await?;
        let (team_name, service) = match team {
            Team::Group(id) => groups::find(&mut tx, id)
                .await?
                .map(|g| (g.name, g.service_id)),
            Team::Project(id) => projects::find(&mut tx, id)
                .await?
                .map(|p| (p.name, p.service_id)),
        }
        .ok_or(AppError::NotFound)?;
        authorise_or_hide(actor, Action::EditGroups, &Resource::in_service(service))?;
        let name = groups::members(&mut tx, team)
            .await?
            .into_iter()
            .find(|m| m.id == member)
            .ok_or(AppError::NotFound)?
            .name;
        let meetings_to_come = groups::meetings_to_come(&mut tx, team, member, self.now()).await?;
        tx.commit().await?;
        Ok(Leaving {
            name,
            team_name,
            meetings_to_come,
        })
    }
}
