//! Who is invited to a meeting, and their replies.

use super::*;
use coproduce_domain::MeetingId;

impl App {
    /// Invites someone to this meeting alone, or (with `invited` false) takes a member off it.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn set_invitation(
        &self,
        actor: &Actor,
        meeting: MeetingId,
        who: &str,
        invited: bool,
    ) -> Result<(), AppError> {
        let who =
            parse_who(who).ok_or_else(|| AppError::field("who", "Choose someone from the list"))?;
        let now = self.now();
        // `meeting_for` makes this same check first; `who` is read before it, as it always was.
        self.write(actor, Action::EditGroups, &Resource::ANY, async |tx| {
            let m = self.meeting_for(actor, tx, meeting, true).await?;
            self.known(actor, tx, who).await?;
            attendance::set_invited(tx, meeting, who, invited, now).await?;
            let detail = format!(
                "meeting:{meeting} {} {}",
                if invited { "invited" } else { "not invited" },
                who_key_of(who)
            );
            let object = meeting_object(&m);
            Ok(Done::new((), AuditEvent::MeetingInvitation, object, detail))
        })
        .await
    }

    /// Records an invitee's reply, as staff heard it.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn record_reply(
        &self,
        actor: &Actor,
        meeting: MeetingId,
        input: &ReplyInput,
    ) -> Result<(), AppError> {
        let who = parse_who(&input.who)
            .ok_or_else(|| AppError::field("who", "Choose someone from the list"))?;
        let rsvp = match input.rsvp.trim() {
            "" => None,
            r => Some(
                Rsvp::parse(r)
                    .ok_or_else(|| AppError::field("rsvp", "Choose their reply"))?
                    .code(),
            ),
        };
        let now = self.now();
        // `meeting_for` makes this same check first; `who` is read before it, as it always was.
        self.write(actor, Action::EditGroups, &Resource::ANY, async |tx| {
            let m = self.meeting_for(actor, tx, meeting, true).await?;
            let invitees = attendance::invitees(tx, meeting, m.team(), &m.starts_on).await?;
            if !invitees.iter().any(|i| is(i, who) && i.invited) {
                return Err(AppError::field(
                    "who",
                    "They are not invited to this meeting",
                ));
            }
            attendance::set_rsvp(tx, meeting, who, rsvp, now).await?;
            let detail = format!(
                "meeting:{meeting} {} replied {}",
                who_key_of(who),
                rsvp.unwrap_or("nothing")
            );
            let object = meeting_object(&m);
            Ok(Done::new((), AuditEvent::MeetingReply, object, detail))
        })
        .await
    }
}
