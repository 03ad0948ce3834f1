//! A group's members: people and staff joining with a role, and leaving.

use crate::write::Done;
use crate::{people_scope, Action, Actor, App, AppError, Resource};
use coproduce_domain::groups::GroupRole;
use coproduce_domain::groups::{Joiner, Team};
use coproduce_domain::reviews::first_relationship_review;
use coproduce_domain::time::uk_day;
use coproduce_domain::AuditEvent;
use coproduce_domain::{GroupId, PersonId, StaffId};
use coproduce_store::groups;
use coproduce_store::relationships::{self, NewRelationship};
use coproduce_store::{people, services, Tx};

pub use crate::input::MemberInput;

impl App {
    /// Adds a person or staff member to a group with a role.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn add_group_member(
        &self,
        actor: &Actor,
        group: GroupId,
        input: &MemberInput,
    ) -> Result<i64, AppError> {
        let now = self.now();
        let today = uk_day(now).to_string();
        self.write(actor, Action::EditGroups, &Resource::ANY, async |tx| {
            let group_row = self.group_for_editing(actor, tx, group).await?;
            let (who, role) = self.checked_joiner(actor, tx, input).await?;
            let member = groups::add_member(tx, Team::Group(group), who, role.code(), &today)
                .await
                .map_err(|e| match e {
                    coproduce_store::StoreError::Duplicate(_) => {
                        AppError::field("person_id", "They are already a member of this group")
                    }
                    other => AppError::Store(other),
                })?;
            if let Joiner::Person(person) = who {
                // Membership is a relationship with the group, kept in touch with like any other.
                let cadence = services::find_by_name_or_id(tx, &group_row.service_id.to_string())
                    .await?
                    .map_or(28, |s| s.default_cadence_days);
                let terms = NewRelationship {
                    person_id: person,
                    service_id: group_row.service_id,
                    group_id: Some(group),
                    staff_contact_id: actor.staff().map(|s| s.id),
                    started_on: &today,
                    cadence_days: cadence,
                    next_review_on: first_relationship_review(&today),
                    due_at: now,
                };
                relationships::start_with_group(tx, &terms, now).await?;
            }
            let detail = match who {
                Joiner::Person(p) => format!("person:{p} as {}", role.code()),
                Joiner::Staff(s) => format!("staff:{s} as {}", role.code()),
            };
            Ok(Done::new(
                member,
                AuditEvent::GroupMemberAdd,
                format!("group:{group}"),
                detail,
            ))
        })
        .await
    }

    /// Who is joining a group or project, and as what: a person the actor can see (not as staff
    /// lead) or a staff member (as staff lead or supporter).
    pub(crate) async fn checked_joiner(
        &self,
        actor: &Actor,
        tx: &mut Tx,
        input: &MemberInput,
    ) -> Result<(Joiner, GroupRole), AppError> {
        let role = GroupRole::parse(&input.role)
            .ok_or_else(|| AppError::field("role", "Choose their role"))?;
        let who = match (input.person_id.trim(), input.staff_id.trim()) {
            (p, "") if !p.is_empty() => {
                let id = p.parse::<PersonId>().ok();
                let visible = match id {
                    Some(id) => people::find(tx, id, people_scope(actor)).await?,
                    None => None,
                };
                let person = visible
                    .ok_or_else(|| AppError::field("person_id", "Choose a person from the list"))?;
                if role == GroupRole::StaffLead {
                    return Err(AppError::field(
                        "role",
                        "A staff lead must be a staff member",
                    ));
                }
                Joiner::Person(person.id)
            }
            ("", s) if !s.is_empty() => {
                let id = s.parse::<i64>().map_err(|_| {
                    AppError::field("staff_id", "Choose a staff member from the list")
                })?;
                if coproduce_store::staff::find(tx, StaffId(id))
                    .await?
                    .is_none()
                {
                    return Err(AppError::field(
                        "staff_id",
                        "Choose a staff member from the list",
                    ));
                }
                if role == GroupRole::Chair || role == GroupRole::Member {
                    return Err(AppError::field(
                        "role",
                        "Staff join as staff lead or supporter",
                    ));
                }
                Joiner::Staff(StaffId(id))
            }
            _ => {
                return Err(AppError::field(
                    "person_id",
                    "Choose one person or one staff member",
                ))
            }
        };
        Ok((who, role))
    }

    /// Ends a membership (the history is kept).
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn remove_group_member(
        &self,
        actor: &Actor,
        group: GroupId,
        member: i64,
    ) -> Result<(), AppError> {
        let today = uk_day(self.now()).to_string();
        self.write(actor, Action::EditGroups, &Resource::ANY, async |tx| {
            self.group_for_editing(actor, tx, group).await?;
            match groups::end_membership(tx, Team::Group(group), member, &today).await? {
                None => return Err(AppError::NotFound),
                Some(Some(person)) => relationships::end_with_group(tx, person, group).await?,
                Some(None) => {}
            }
            Ok(Done::new(
                (),
                AuditEvent::GroupMemberEnd,
                format!("group:{group}"),
                format!("membership:{member}"),
            ))
        })
        .await
    }
}
