//! Replying to an invitation to a meeting.

use super::*;
use coproduce_domain::meetings::MeetingStatus;
use coproduce_store::meetings;

impl App {
    /// A person says whether they are coming to a meeting they are invited to.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn portal_reply(
        &self,
        session: &PortalSession,
        meeting: MeetingId,
        rsvp: &str,
    ) -> Result<(), AppError> {
        let me = session.person_id;
        let actor = session.actor();
        let now = self.now();
        let mine = Resource::person(me);
        self.write(&actor, Action::ActAsPerson, &mine, async |tx| {
            let rsvp = Rsvp::parse(rsvp)
                .ok_or_else(|| AppError::field("rsvp", "Choose whether you are coming"))?;
            let m = meetings::find(tx, meeting)
                .await?
                .ok_or(AppError::NotFound)?;
            let invitees = attendance::invitees(tx, meeting, m.team(), &m.starts_on).await?;
            let invited = invitees
                .iter()
                .any(|i| i.person_id == Some(me) && i.invited);
            if !invited || m.starts_at < now.millis() || m.status == MeetingStatus::Cancelled {
                return Err(AppError::NotFound);
            }
            attendance::set_rsvp(tx, meeting, Joiner::Person(me), Some(rsvp.code()), now).await?;
            Ok(Done::new(
                (),
                AuditEvent::MeetingReply,
                format!("meeting:{meeting}"),
                format!("person:{me} replied {}", rsvp.code()),
            ))
        })
        .await
    }
}

impl App {
    /// A member of a group answers all its meetings at once, or goes back to answering each;
    /// a meeting they answered on its own keeps that answer.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn portal_standing_reply(
        &self,
        session: &PortalSession,
        group: GroupId,
        choice: &str,
    ) -> Result<(), AppError> {
        let me = session.person_id;
        let actor = session.actor();
        let mine = Resource::person(me);
        self.write(&actor, Action::ActAsPerson, &mine, async |tx| {
            // "I'll come to all of them", or "Tell me each time".
            let (since, detail) = match choice {
                "all" => (Some(self.now()), "is coming to all"),
                "each" => (None, "answers each time"),
                _ => {
                    let message = "Choose whether you are coming to all of them";
                    return Err(AppError::field("choice", message));
                }
            };
            if !portal::set_coming_to_all(tx, group, me, since).await? {
                return Err(AppError::NotFound);
            }
            Ok(Done::new(
                (),
                AuditEvent::MeetingReply,
                format!("group:{group}"),
                format!("person:{me} {detail}"),
            ))
        })
        .await
    }
}
