//! The actions agreed at a meeting.

use super::*;
use crate::authz::bounded_by;
use coproduce_domain::meetings::AgreedAt;
use coproduce_domain::MeetingId;
use coproduce_store::{actions, reviews};

impl App {
    /// Adds an action agreed at a meeting. Returns its id; the same submission twice adds one.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn add_action(
        &self,
        actor: &Actor,
        meeting: MeetingId,
        input: &ActionInput,
    ) -> Result<i64, AppError> {
        authorise(actor, Action::EditGroups, &Resource::ANY)?;
        let now = self.now();
        let mut tx = self.db().write().await?;
        // Found and authorised before the input is read.
        let m = self.meeting_for(actor, &mut tx, meeting, true).await?;
        let fields = input.read()?;
        let refused = || AppError::field("owner", "Choose who will do it");
        match fields.owner {
            // Staff who may own it are those the meeting page offers: the service's and the
            // participation team.
            Some(Joiner::Staff(s)) => {
                let staff = relationships::possible_contacts(&mut tx, m.service_id).await?;
                if !staff.iter().any(|(id, _)| *id == s) {
                    return Err(refused());
                }
            }
            Some(w) => self.known(actor, &mut tx, w).await.map_err(|_| refused())?,
            None => {}
        }
        let new = actions::NewAction {
            agreed_at: AgreedAt::Meeting(meeting),
            team: Some(m.team()),
            raised_at: Timestamp(m.starts_at),
            description: &fields.description,
            owner: fields.owner,
            due_on: fields.due_on.as_deref(),
            submission_key: input.key(),
        };
        let (id, fresh) = actions::insert(&mut tx, &new, now).await?;
        if fresh {
            let detail = format!("meeting:{meeting} action:{id}");
            self.meeting_audit(&mut tx, actor, &m, AuditEvent::ActionAdd, &detail)
                .await?;
        }
        tx.commit().await?;
        Ok(id)
    }

    /// Marks an action open, done or dropped, if nobody changed it since `version` was read.
    /// Returns where it was agreed.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn set_action_status(
        &self,
        actor: &Actor,
        action: i64,
        status: &str,
        version: i64,
    ) -> Result<AgreedAt, AppError> {
        let now = self.now();
        self.write(actor, Action::EditGroups, &Resource::ANY, async |tx| {
            let found = actions::find(tx, action).await?.ok_or(AppError::NotFound)?;
            let agreed_at = found.agreed_at();
            let object = match agreed_at {
                AgreedAt::Meeting(id) => {
                    meeting_object(&self.meeting_for(actor, tx, id, true).await?)
                }
                AgreedAt::Review(id) => {
                    let review = reviews::find(tx, id, bounded_by(actor))
                        .await?
                        .ok_or(AppError::NotFound)?;
                    let service = Resource::in_service(review.service_id);
                    authorise(actor, Action::RecordReviews, &service)?;
                    format!("review:{id}")
                }
            };
            let status = ActionStatus::parse(status)
                .ok_or_else(|| AppError::field("status", "Choose where the action is"))?;
            if !actions::set_status(tx, action, version, status.code(), now).await? {
                return Err(AppError::Conflict {
                    version: found.version,
                    changed: vec!["status"],
                });
            }
            let detail = format!("action:{action} {}", status.code());
            Ok(Done::new(
                agreed_at,
                AuditEvent::ActionChange,
                object,
                detail,
            ))
        })
        .await
    }
}
