//! How the person likes to be contacted.

use super::*;

impl App {
    /// A person changes how they like to be contacted and what they need.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn portal_contact(
        &self,
        session: &PortalSession,
        input: &ContactInput,
    ) -> Result<(), AppError> {
        let me = session.person_id;
        let actor = session.actor();
        let mine = Resource::person(me);
        self.write(&actor, Action::ActAsPerson, &mine, async |tx| {
            let mut problems = Vec::new();
            let best_times = text(
                "best_times",
                &input.best_times,
                500,
                "When is best",
                &mut problems,
            );
            let needs_notes = text(
                "needs_notes",
                &input.needs_notes,
                2000,
                "Anything else",
                &mut problems,
            );
            if !problems.is_empty() {
                return Err(AppError::Invalid(problems));
            }
            let channels: Vec<Channel> = input
                .channels
                .iter()
                .filter_map(|c| Channel::parse(c))
                .collect();
            let needs: Vec<Need> = input.needs.iter().filter_map(|c| Need::parse(c)).collect();
            let now = self.now();
            let mut p = people::find(tx, me, people::Scope::All)
                .await?
                .ok_or(AppError::NotFound)?;
            p.channels = channels;
            p.best_times = best_times;
            p.needs = needs;
            p.needs_notes = needs_notes;
            if !people::update(tx, &p, now).await? {
                return Err(AppError::Conflict {
                    version: p.version,
                    changed: vec!["channels"],
                });
            }
            Ok(Done::new(
                (),
                AuditEvent::PersonChange,
                format!("person:{me}"),
                "portal: contact preferences",
            ))
        })
        .await
    }
}
