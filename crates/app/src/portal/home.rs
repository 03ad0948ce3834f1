//! What the portal's pages share about the person signed in: their overview.

use super::*;
use coproduce_store::{meetings, opportunities};

impl App {
    /// Everything a person's portal shows them.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn portal_overview(
        &self,
        session: &PortalSession,
    ) -> Result<PortalOverview, AppError> {
        let me = session.person_id;
        authorise(&session.actor(), Action::ActAsPerson, &Resource::person(me))?;
        let now = self.now();
        let today = uk_day(now).to_string();
        let mut tx = self.db().read().await?;
        let person = people::find(&mut tx, me, people::Scope::All)
            .await?
            .ok_or(AppError::NotFound)?;
        let from = now.plus_minutes(-60);
        let rows = meetings::for_attendee(
            &mut tx,
            Joiner::Person(me),
            from,
            now.plus_days(92),
            200,
            meetings::Texts::Without,
        )
        .await?;
        let replies = portal::replies(&mut tx, me, from).await?;
        let coming_to_all = portal::coming_to_all(&mut tx, me).await?;
        let meetings = rows
            .into_iter()
            .map(|m| {
                let reply = replies
                    .iter()
                    .find(|(id, _)| *id == m.id)
                    .map(|(_, r)| r.clone());
                (m, reply)
            })
            .collect();
        let mine = opportunities::for_person(&mut tx, me).await?;
        let opportunities = opportunities::list(&mut tx, Listing::Involved(&today))
            .await?
            .into_iter()
            .map(|o| {
                let stage = mine
                    .iter()
                    .find(|x| x.opportunity_id == o.id)
                    .map(|x| x.status);
                (o, stage)
            })
            .collect();
        let involvement = attendance::involvements(&mut tx, me, 50).await?;
        let mut consents: Vec<ConsentRow> = Vec::new();
        for c in people::consents(&mut tx, me).await?.into_iter().rev() {
            if !consents.iter().any(|x| x.kind == c.kind) {
                consents.push(c);
            }
        }
        let calendar_link = coproduce_store::feeds::current(&mut tx, Joiner::Person(me)).await?;
        tx.commit().await?;
        self.inner
            .audit_writer
            .record(
                now,
                session.actor().audit_name(),
                AuditEvent::PortalView,
                format!("person:{me}"),
            )
            .await?;
        Ok(PortalOverview {
            person,
            meetings,
            coming_to_all,
            opportunities,
            involvement,
            consents,
            calendar_link,
        })
    }
}
