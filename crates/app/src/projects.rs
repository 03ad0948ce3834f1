//! Projects: time-bound co-production work with aims, dates, a stage, members, meetings, and its
//! place on the Think Local Act Personal ladder, each change of which is kept with its date.

use crate::input::{number_or_text, text, MemberInput};
use crate::write::Done;
use crate::{
    authorise, authorise_or_hide, may, Action, Actor, App, AppError, FieldError, Resource,
};
use coproduce_domain::groups::{Ladder, ProjectStage};
use coproduce_domain::groups::{Member, Team};
use coproduce_domain::meetings::Meeting;
use coproduce_domain::people::parse_date;
use coproduce_domain::projects::{LadderStep, Project};
use coproduce_domain::reviews::{months_after, PROJECT_MONTHS};
use coproduce_domain::time::uk_day;
use coproduce_domain::AuditEvent;
use coproduce_domain::{ProjectId, ServiceId, Timestamp};
use coproduce_store::{groups, meetings, projects, Tx};

/// A project's details as typed or sent to the API.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct ProjectInput {
    /// Name.
    pub name: String,
    /// Its aims.
    pub aims: String,
    /// The service's id.
    pub service_id: String,
    /// When it starts.
    pub starts_on: String,
    /// When it ends (optional).
    pub ends_on: String,
    /// Its stage's code.
    pub stage: String,
    /// Its level on the ladder's code.
    pub ladder: String,
    /// What it produced.
    pub outputs: String,
    /// The version read, when changing one.
    #[serde(deserialize_with = "number_or_text")]
    pub version: i64,
}

impl ProjectInput {
    /// The input that saves `p` as it is.
    pub fn from_project(p: &Project) -> ProjectInput {
        ProjectInput {
            name: p.name.clone(),
            aims: p.aims.clone(),
            service_id: p.service_id.to_string(),
            starts_on: p.starts_on.clone(),
            ends_on: p.ends_on.clone().unwrap_or_default(),
            stage: p.stage.code().to_owned(),
            ladder: p.ladder.code().to_owned(),
            outputs: p.outputs.clone(),
            version: p.version,
        }
    }
}

/// A project with its members, its ladder history and its meetings.
#[derive(Clone, Debug)]
pub struct ProjectView {
    /// The project.
    pub project: Project,
    /// Current members.
    pub members: Vec<Member>,
    /// Its levels on the ladder, oldest first.
    pub ladder: Vec<LadderStep>,
    /// Its next meetings (cancelled ones too, marked), soonest first; those held are paged by
    /// [`App::held_meetings`].
    pub meetings: Vec<Meeting>,
}

/// Records a project's level on the ladder as of today, by the actor.
async fn ladder_today(
    tx: &mut Tx,
    actor: &Actor,
    id: ProjectId,
    ladder: Ladder,
    now: Timestamp,
) -> Result<(), AppError> {
    let today = uk_day(now).to_string();
    Ok(projects::record_ladder(tx, id, ladder, &today, &actor.audit_name(), now).await?)
}

impl App {
    async fn checked_project(
        &self,
        actor: &Actor,
        tx: &mut Tx,
        input: &ProjectInput,
    ) -> Result<Project, AppError> {
        let mut problems = Vec::new();
        let name = text("name", &input.name, 200, "The name", &mut problems);
        if name.is_empty() {
            problems.push(FieldError::new("name", "Enter the project's name"));
        }
        let aims = text("aims", &input.aims, 5000, "The aims", &mut problems);
        let outputs = text(
            "outputs",
            &input.outputs,
            20_000,
            "The outputs",
            &mut problems,
        );
        let service = crate::services::chosen_service(
            tx,
            actor,
            &input.service_id,
            "Choose the project's service",
            &mut problems,
        )
        .await?;
        let starts_on = match input.starts_on.trim() {
            "" => {
                problems.push(FieldError::new("starts_on", "Enter the date it starts"));
                None
            }
            d => parse_date(d)
                .map_err(|e| problems.push(FieldError::new("starts_on", e.0)))
                .ok(),
        };
        let ends_on = match input.ends_on.trim() {
            "" => None,
            d => parse_date(d)
                .map_err(|e| problems.push(FieldError::new("ends_on", e.0)))
                .ok(),
        };
        if let (Some(s), Some(e)) = (starts_on, ends_on) {
            if e < s {
                problems.push(FieldError::new(
                    "ends_on",
                    "The end date must be on or after the start date",
                ));
            }
        }
        let stage = match input.stage.trim() {
            "" => Some(ProjectStage::Planning),
            s => ProjectStage::parse(s),
        };
        let ladder = Ladder::parse(input.ladder.trim());
        let (Some(stage), Some(ladder), true) = (stage, ladder, problems.is_empty()) else {
            if stage.is_none() {
                problems.push(FieldError::new("stage", "Choose the project's stage"));
            }
            if ladder.is_none() {
                problems.push(FieldError::new(
                    "ladder",
                    "Choose where the project is on the ladder of co-production",
                ));
            }
            return Err(AppError::Invalid(problems));
        };
        Ok(Project {
            id: ProjectId(0),
            name,
            aims,
            service_id: service.map_or(ServiceId(0), |s| s.id),
            service_name: String::new(),
            starts_on: starts_on.map(|d| d.to_string()).unwrap_or_default(),
            ends_on: ends_on.map(|d| d.to_string()),
            stage,
            ladder,
            outputs,
            next_review_on: None,
            version: input.version,
        })
    }

    /// Sets up a project; its level on the ladder is recorded as of today. Returns its id.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn create_project(
        &self,
        actor: &Actor,
        input: &ProjectInput,
    ) -> Result<ProjectId, AppError> {
        let now = self.now();
        self.write(actor, Action::EditGroups, &Resource::ANY, async |tx| {
            let row = self.checked_project(actor, tx, input).await?;
            let start = row.starts_on.parse().unwrap_or_else(|_| uk_day(now));
            let review_on = months_after(start, PROJECT_MONTHS).to_string();
            let id = projects::insert(tx, &row, &review_on, now)
                .await
                .map_err(AppError::from_store_for("name"))?;
            ladder_today(tx, actor, id, row.ladder, now).await?;
            Ok(Done::new(
                id,
                AuditEvent::ProjectAdd,
                format!("project:{id}"),
                row.name,
            ))
        })
        .await
    }

    /// Changes a project if nobody saved it since `input.version` was read. A new level on the
    /// ladder is recorded with today's date.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn update_project(
        &self,
        actor: &Actor,
        id: ProjectId,
        input: &ProjectInput,
    ) -> Result<(), AppError> {
        let now = self.now();
        self.write(actor, Action::EditGroups, &Resource::ANY, async |tx| {
            let current = self.project_for_editing(actor, tx, id).await?;
            let mut row = self.checked_project(actor, tx, input).await?;
            row.id = id;
            if !projects::update(tx, &row, now)
                .await
                .map_err(AppError::from_store_for("name"))?
            {
                return Err(AppError::Conflict {
                    version: current.version,
                    changed: Vec::new(),
                });
            }
            if row.ladder != current.ladder {
                ladder_today(tx, actor, id, row.ladder, now).await?;
            }
            Ok(Done::new(
                (),
                AuditEvent::ProjectChange,
                format!("project:{id}"),
                row.name,
            ))
        })
        .await
    }

    /// A project the actor may change.
    pub(crate) async fn project_for_editing(
        &self,
        actor: &Actor,
        tx: &mut Tx,
        id: ProjectId,
    ) -> Result<Project, AppError> {
        let found = projects::find(tx, id).await?.ok_or(AppError::NotFound)?;
        authorise(
            actor,
            Action::EditGroups,
            &Resource::in_service(found.service_id),
        )?;
        Ok(found)
    }

    /// The projects the actor works with.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn projects(&self, actor: &Actor) -> Result<Vec<Project>, AppError> {
        authorise(actor, Action::ViewGroups, &Resource::ANY)?;
        let mut tx = self.db().read().await?;
        let all = projects::list(&mut tx).await?;
        tx.commit().await?;
        Ok(all
            .into_iter()
            .filter(|p| {
                may(
                    actor,
                    Action::ViewGroups,
                    &Resource::in_service(p.service_id),
                )
            })
            .collect())
    }

    /// One project with its members, ladder history and meetings.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn view_project(
        &self,
        actor: &Actor,
        id: ProjectId,
    ) -> Result<ProjectView, AppError> {
        authorise(actor, Action::ViewGroups, &Resource::ANY)?;
        let mut tx = self.db().read().await?;
        let project = projects::find(&mut tx, id)
            .await?
            .ok_or(AppError::NotFound)?;
        authorise_or_hide(
            actor,
            Action::ViewGroups,
            &Resource::in_service(project.service_id),
        )?;
        let members = groups::members(&mut tx, Team::Project(id)).await?;
        let ladder = projects::ladder_history(&mut tx, id).await?;
        let meetings =
            meetings::for_team(&mut tx, Team::Project(id), Some(self.now()), None, 6).await?;
        tx.commit().await?;
        Ok(ProjectView {
            project,
            members,
            ladder,
            meetings,
        })
    }

    /// Adds a person or staff member to a project with a role.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn add_project_member(
        &self,
        actor: &Actor,
        project: ProjectId,
        input: &MemberInput,
    ) -> Result<i64, AppError> {
        let today = uk_day(self.now()).to_string();
        self.write(actor, Action::EditGroups, &Resource::ANY, async |tx| {
            self.project_for_editing(actor, tx, project).await?;
            let (who, role) = self.checked_joiner(actor, tx, input).await?;
            let member = groups::add_member(tx, Team::Project(project), who, role.code(), &today)
                .await
                .map_err(|e| match e {
                    coproduce_store::StoreError::Duplicate(_) => {
                        AppError::field("person_id", "They are already a member of this project")
                    }
                    other => AppError::Store(other),
                })?;
            Ok(Done::new(
                member,
                AuditEvent::ProjectMemberAdd,
                format!("project:{project}"),
                format!("member:{member} as {}", role.code()),
            ))
        })
        .await
    }

    /// Ends a project membership (the history is kept).
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn remove_project_member(
        &self,
        actor: &Actor,
        project: ProjectId,
        member: i64,
    ) -> Result<(), AppError> {
        let today = uk_day(self.now()).to_string();
        self.write(actor, Action::EditGroups, &Resource::ANY, async |tx| {
            self.project_for_editing(actor, tx, project).await?;
            if groups::end_membership(tx, Team::Project(project), member, &today)
                .await?
                .is_none()
            {
                return Err(AppError::NotFound);
            }
            Ok(Done::new(
                (),
                AuditEvent::ProjectMemberEnd,
                format!("project:{project}"),
                format!("membership:{member}"),
            ))
        })
        .await
    }
}
