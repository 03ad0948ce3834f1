//! The actions agreed at a meeting.

use super::*;
use coproduce_domain::MeetingId;
use coproduce_store::actions;

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
        let mut problems = Vec::new();
        let description = text(
            "description",
            &input.description,
            2000,
            "The action",
            &mut problems,
        );
        if description.is_empty() {
            problems.push(FieldError::new("description", "Enter what is to be done"));
        }
        let owner = match input.owner.trim() {
            "" => None,
            o => match parse_who(o) {
                Some(w) => Some(w),
                None => {
                    problems.push(FieldError::new("owner", "Choose who will do it"));
                    None
                }
            },
        };
        let due_on = match input.due_on.trim() {
            "" => None,
            d => parse_date(d)
                .map(|d| d.to_string())
                .map_err(|e| problems.push(FieldError::new("due_on", e.0)))
                .ok(),
        };
        if !problems.is_empty() {
            return Err(AppError::Invalid(problems));
        }
        let refused = || AppError::field("owner", "Choose who will do it");
        match owner {
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
        let key = input.submission_key.trim();
        let new = actions::NewAction {
            meeting_id: meeting,
            team: m.team(),
            raised_at: Timestamp(m.starts_at),
            description: &description,
            owner,
            due_on: due_on.as_deref(),
            submission_key: (!key.is_empty()).then_some(key),
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
    /// Returns the meeting it was agreed at.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn set_action_status(
        &self,
        actor: &Actor,
        action: i64,
        status: &str,
        version: i64,
    ) -> Result<MeetingId, AppError> {
        let now = self.now();
        self.write(actor, Action::EditGroups, &Resource::ANY, async |tx| {
            let found = actions::find(tx, action).await?.ok_or(AppError::NotFound)?;
            let m = self.meeting_for(actor, tx, found.meeting_id, true).await?;
            let status = ActionStatus::parse(status)
                .ok_or_else(|| AppError::field("status", "Choose where the action is"))?;
            if !actions::set_status(tx, action, version, status.code(), now).await? {
                return Err(AppError::Conflict {
                    version: found.version,
                    changed: vec!["status"],
                });
            }
            let detail = format!("action:{action} {}", status.code());
            let object = meeting_object(&m);
            Ok(Done::new(
                found.meeting_id,
                AuditEvent::ActionChange,
                object,
                detail,
            ))
        })
        .await
    }
}
