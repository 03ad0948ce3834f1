//! Consent: dated records of what a person agreed to, withdrawal adding one.

use super::*;

impl App {
    /// Records consent given or withdrawn (a new record each time).
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn record_consent(
        &self,
        actor: &Actor,
        person_id: PersonId,
        kind: &str,
        given: &str,
        note: &str,
    ) -> Result<(), AppError> {
        let now = self.now();
        self.write(actor, Action::EditPeople, &Resource::ANY, async |tx| {
            // Found in scope before the input is read.
            people::find(tx, person_id, people_scope(actor))
                .await?
                .ok_or(AppError::NotFound)?;
            let mut problems = Vec::new();
            let kind = ConsentKind::parse(kind);
            if kind.is_none() {
                problems.push(FieldError::new("kind", "Choose what the consent is for"));
            }
            let given = match given {
                "yes" | "true" => Some(true),
                "no" | "false" => Some(false),
                _ => {
                    problems.push(FieldError::new(
                        "given",
                        "Choose whether they gave or withdrew consent",
                    ));
                    None
                }
            };
            let (Some(kind), Some(given)) = (kind, given) else {
                return Err(AppError::Invalid(problems));
            };
            people::add_consent(
                tx,
                person_id,
                kind.code(),
                given,
                note.trim(),
                actor.staff().map(|s| s.id),
                now,
            )
            .await?;
            Ok(Done::new(
                (),
                AuditEvent::ConsentRecord,
                format!("person:{person_id}"),
                format!("{}={given}", kind.code()),
            ))
        })
        .await?;
        // A quote on "You said, we did" shows only while its person's consent stands.
        self.inner.public_improvements.clear();
        Ok(())
    }
}
