//! The person's consents.

use super::*;

impl App {
    /// A person gives or withdraws a consent.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn portal_consent(
        &self,
        session: &PortalSession,
        kind: &str,
        given: bool,
    ) -> Result<(), AppError> {
        let me = session.person_id;
        let actor = session.actor();
        let mine = Resource::person(me);
        self.write(&actor, Action::ActAsPerson, &mine, async |tx| {
            let kind = ConsentKind::parse(kind)
                .ok_or_else(|| AppError::field("kind", "Choose what the consent is for"))?;
            let now = self.now();
            let note = match &session.on_behalf {
                Some((_, name)) => format!("Through their page, with {name}"),
                None => "Through their own page".to_owned(),
            };
            people::add_consent(
                tx,
                me,
                kind.code(),
                given,
                &note,
                session.on_behalf.as_ref().map(|(id, _)| *id),
                now,
            )
            .await?;
            Ok(Done::new(
                (),
                AuditEvent::ConsentRecord,
                format!("person:{me}"),
                format!("{}={given}", kind.code()),
            ))
        })
        .await?;
        // A quote on "You said, we did" shows only while its person's consent stands.
        self.inner.public_improvements.clear();
        Ok(())
    }
}
