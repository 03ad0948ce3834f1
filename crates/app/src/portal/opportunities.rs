//! Saying yes or no to an opportunity.

use super::*;
use coproduce_domain::opportunities::{Stage, Visibility};
use coproduce_store::opportunities;

impl App {
    /// A person answers an opportunity open to them: yes, they would like to take part, or no,
    /// thank you.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn portal_interest(
        &self,
        session: &PortalSession,
        opportunity: OpportunityId,
        yes: bool,
    ) -> Result<(), AppError> {
        let me = session.person_id;
        let actor = session.actor();
        authorise(&actor, Action::ActAsPerson, &Resource::person(me))?;
        let now = self.now();
        let today = uk_day(now).to_string();
        let mut tx = self.db().write().await?;
        let o = opportunities::find(&mut tx, opportunity)
            .await?
            .filter(|o| o.visibility != Visibility::Draft && o.closes_on >= today)
            .ok_or(AppError::NotFound)?;
        let mine = opportunities::for_person(&mut tx, me).await?;
        let stage = mine
            .iter()
            .find(|x| x.opportunity_id == o.id)
            .map(|x| x.status);
        // Answering again, or once staff have moved them on (selected, waiting, confirmed,
        // declined or withdrawn), changes nothing: that is for staff to change.
        if matches!(stage, None | Some(Stage::Invited)) {
            let answer = if yes {
                Stage::Interested
            } else {
                Stage::Declined
            };
            opportunities::set_person(&mut tx, o.id, me, answer, now).await?;
            crate::audit::record(
                &mut tx,
                self.audit_key(),
                &actor,
                now,
                AuditEvent::OpportunityAnswer,
                &format!("opportunity:{}", o.id),
                &format!("person:{me}={}", answer.code()),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }
}
