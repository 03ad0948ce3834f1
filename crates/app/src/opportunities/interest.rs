//! Where each person is with an opportunity: interested, selected, confirmed (with the
//! involvement it records) or withdrawn, and the invitation sent to them.

use super::*;

impl App {
    /// Moves a person to a stage of an opportunity. Confirming needs a free place and records
    /// their involvement; moving someone off confirmed removes it. Inviting someone sends them
    /// the invitation the way they prefer.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn set_opportunity_stage(
        &self,
        actor: &Actor,
        id: OpportunityId,
        person_id: PersonId,
        stage: &str,
    ) -> Result<(), AppError> {
        let stage =
            Stage::parse(stage).ok_or_else(|| AppError::field("stage", "Choose a stage"))?;
        let now = self.now();
        // `opportunity_in_scope` makes this same check first.
        self.write(actor, Action::ViewGroups, &Resource::ANY, async |tx| {
            opportunities::lock(tx, id).await?;
            let o = self.opportunity_in_scope(tx, actor, id).await?;
            let current = opportunities::people(tx, id).await?;
            let was = current
                .iter()
                .find(|p| p.person_id == person_id)
                .map(|p| p.status);
            // Someone already in it (who may have asked through their own page, from another
            // service) is the opportunity's staff to move on; anyone new must be someone they
            // work with.
            let scope = if was.is_some() {
                people::Scope::All
            } else {
                crate::people_scope(actor)
            };
            let person = people::find(tx, person_id, scope)
                .await?
                .ok_or_else(|| AppError::field("q", "Choose someone you work with"))?;
            let open = o.visibility != Visibility::Draft && o.closes_on >= uk_day(now).to_string();
            if stage == Stage::Invited && was.is_none() && !open {
                return Err(AppError::field(
                    "stage",
                    "Publish the opportunity (and keep its closing date ahead) before inviting people: they reply through their own page",
                ));
            }
            if stage == Stage::Confirmed
                && was != Some(Stage::Confirmed)
                && o.confirmed >= o.places
            {
                return Err(AppError::field(
                    "stage",
                    format!(
                        "All {} places are filled. Put them on the waiting list, or free a place first",
                        o.places
                    ),
                ));
            }
            opportunities::set_person(tx, id, person_id, stage, now).await?;
            record_involvement(tx, &o, person_id, stage == Stage::Confirmed, now).await?;
            if stage == Stage::Invited && was.is_none() {
                self.queue_invitation(tx, &o, &person, now).await?;
            }
            Ok(Done::new(
                (),
                AuditEvent::OpportunityStage,
                format!("opportunity:{id}"),
                format!("person:{person_id}={}", stage.code()),
            ))
        })
        .await
    }

    async fn queue_invitation(
        &self,
        tx: &mut Tx,
        o: &Opportunity,
        person: &coproduce_domain::Person,
        now: Timestamp,
    ) -> Result<(), AppError> {
        let Some((channel, address, easy)) = crate::outbox::reach(person, self.channels()) else {
            return Ok(());
        };
        let name = if person.preferred_name.is_empty() {
            &person.name
        } else {
            &person.preferred_name
        };
        let (subject, body) = invitation_words(o, name, easy);
        let key = format!("opportunity:{}:invite:{}", o.id, person.id);
        crate::outbox::enqueue(
            tx,
            &[coproduce_store::outbox::NewMessage {
                dedupe_key: &key,
                kind: "opportunity_invitation",
                channel,
                person_id: Some(person.id),
                meeting_id: None,
                recipient: &address,
                recipient_name: &person.name,
                subject: &subject,
                body: &body,
                easy_read: easy,
                send_after: now,
            }],
            now,
        )
        .await?;
        Ok(())
    }
}

fn invitation_words(o: &Opportunity, name: &str, easy_read: bool) -> (String, String) {
    let when = chrono::NaiveDate::parse_from_str(&o.starts_on, "%Y-%m-%d")
        .map(|d| d.format("%A %-d %B %Y").to_string())
        .unwrap_or_else(|_| o.starts_on.clone());
    let closes = chrono::NaiveDate::parse_from_str(&o.closes_on, "%Y-%m-%d")
        .map(|d| d.format("%A %-d %B").to_string())
        .unwrap_or_else(|_| o.closes_on.clone());
    if easy_read {
        let lines: Vec<String> = easy_read::parse(&o.easy_read)
            .into_iter()
            .map(|l| l.text)
            .collect();
        (
            format!("Would you like to take part? {}", o.title),
            format!(
                "Hello {name}.\n\nWe would like to ask you to take part in: {}.\n\n{}\n\nIt is on {when}.\n\nPlease tell us by {closes} if you would like to do it.\n\nYou can sign in to your page, or call us.",
                o.title,
                lines.join("\n")
            ),
        )
    } else {
        (
            format!("Invitation: {}", o.title),
            format!(
                "Dear {name},\n\nWe would like to invite you to take part in {} on {when}.\n\n{}\n\nPlease let us know by {closes} whether you would like to take part. You can reply through your own page, or contact the participation team.",
                o.title, o.description
            ),
        )
    }
}

/// Makes or removes the involvement record a confirmed place stands for.
async fn record_involvement(
    tx: &mut Tx,
    o: &Opportunity,
    person_id: PersonId,
    confirmed: bool,
    now: Timestamp,
) -> Result<(), AppError> {
    if confirmed {
        opportunities::add_involvement(tx, o, o.kind.code(), person_id, now).await?;
    } else {
        opportunities::remove_involvement(tx, o.id, person_id).await?;
    }
    Ok(())
}
