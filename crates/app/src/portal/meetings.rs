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
