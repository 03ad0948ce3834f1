//! The steps of a concern's life after it is raised: each in its turn, by whom the policy
//! allows, with what it needs.

use super::*;
use coproduce_domain::improvements::LedBy;
use coproduce_domain::ImprovementId;

impl App {
    /// Takes one step on a concern, if it is the step's turn and nobody changed it since
    /// `input.version`. A refusal by the policy is audited.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn take_concern_step(
        &self,
        actor: &Actor,
        id: ConcernId,
        step: Step,
        input: &StepInput,
    ) -> Result<(), AppError> {
        authorise(actor, Action::ViewConcerns, &Resource::ANY)?;
        let now = self.now();
        let mut tx = self.db().write().await?;
        let concern = seen_concern(actor, &mut tx, id).await?;
        if !may(actor, step_action(step), &resource_of(&concern, step)) {
            drop(tx);
            self.inner
                .audit_writer
                .record(
                    now,
                    actor.audit_name(),
                    AuditEvent::ConcernRefused,
                    format!("concern:{id}"),
                )
                .await?;
            return Err(AppError::Forbidden);
        }
        let status = concern
            .status
            .after(step)
            .map_err(|missing| AppError::field("step", missing))?;
        let scope = bounded_by(actor);
        let (fields, note) = self
            .read_step(&mut tx, scope, &concern, step, input)
            .await?;
        if !concerns::take_step(&mut tx, id, input.version, status, &fields, now).await? {
            return Err(AppError::Conflict {
                version: concern.version,
                changed: vec!["status"],
            });
        }
        concerns::record_event(&mut tx, id, &by_name(actor), step.code(), &note, now).await?;
        if let Some(improvement) = fields.improvement {
            improvements::add_links(&mut tx, improvement, &[LedBy::Concern(id)]).await?;
        }
        if step == Step::Redirect {
            concerns::clear_event_notes(&mut tx, id).await?;
        }
        let detail = format!("step:{}", step.code());
        self.audit(
            &mut tx,
            actor,
            AuditEvent::ConcernStep,
            &format!("concern:{id}"),
            &detail,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Reads what a step needs, collecting every problem; answers the fields it sets and the
    /// note its history keeps.
    async fn read_step(
        &self,
        tx: &mut Tx,
        scope: Option<StaffId>,
        concern: &Concern,
        step: Step,
        input: &StepInput,
    ) -> Result<(StepFields, String), AppError> {
        let mut problems = Vec::new();
        let mut fields = StepFields::default();
        let p = &mut problems;
        let note = match step {
            Step::Escalate => {
                let owners = relationships::possible_contacts(tx, concern.service_id).await?;
                let chosen = input.owner_id.trim().parse::<StaffId>().ok();
                let owner = owners.into_iter().find(|(id, _)| Some(*id) == chosen);
                if owner.is_none() {
                    p.push(FieldError::new(
                        "owner_id",
                        "Choose who in the service will own it",
                    ));
                }
                fields.owner = owner.as_ref().map(|(id, _)| *id);
                owner.map(|(_, name)| name).unwrap_or_default()
            }
            Step::Respond => {
                let response = required(
                    "response",
                    &input.response,
                    ("The response", "Enter the service's response"),
                    p,
                );
                fields.response = Some(response);
                String::new()
            }
            Step::FeedBack => {
                fields.fed_back = read_feedback(input, uk_day(self.now()), p);
                fields
                    .fed_back
                    .as_ref()
                    .map(|(w, _, _)| w.label().to_owned())
                    .unwrap_or_default()
            }
            Step::Close => {
                let (improvement, why, note) = self.read_close(tx, scope, input, p).await?;
                fields.improvement = improvement;
                fields.not_changed_because = why;
                note
            }
            Step::Reopen => required(
                "reason",
                &input.reason,
                ("Why it is being reopened", "Say why it is being reopened"),
                p,
            ),
            Step::Redirect => {
                fields.redirected_to = RedirectTo::parse(&input.redirect_to);
                if fields.redirected_to.is_none() {
                    p.push(FieldError::new(
                        "redirect_to",
                        "Choose where it goes instead",
                    ));
                }
                fields
                    .redirected_to
                    .map(|to| to.label().to_owned())
                    .unwrap_or_default()
            }
        };
        if problems.is_empty() {
            Ok((fields, note))
        } else {
            Err(AppError::Invalid(problems))
        }
    }
}

impl App {
    /// Reads how a concern closes: with an improvement the actor may see, or with why nothing
    /// changed. Answers the note its history keeps.
    async fn read_close(
        &self,
        tx: &mut Tx,
        scope: Option<StaffId>,
        input: &StepInput,
        p: &mut Vec<FieldError>,
    ) -> Result<(Option<ImprovementId>, Option<String>, String), AppError> {
        let chosen = input.improvement_id.trim();
        if chosen.is_empty() {
            let why = required(
                "not_changed_because",
                &input.not_changed_because,
                (
                    "Why nothing changed",
                    "Choose the improvement it led to, or say why nothing changed",
                ),
                p,
            );
            return Ok((None, Some(why.clone()), why));
        }
        let found = match chosen.parse::<ImprovementId>() {
            Ok(id) => improvements::find(tx, id, scope).await?,
            Err(_) => None,
        };
        match found {
            Some(i) => Ok((Some(i.id), None, format!("With improvement {}", i.id))),
            None => {
                p.push(FieldError::new(
                    "improvement_id",
                    "Choose an improvement from the list",
                ));
                Ok((None, None, String::new()))
            }
        }
    }
}

/// Text a step must be given, within the length a concern's words may have.
fn required(
    field: &'static str,
    value: &str,
    words: (&str, &str),
    p: &mut Vec<FieldError>,
) -> String {
    crate::input::required(field, value, MAX_WORDS, words, p)
}

/// How, when (today or before) and by whom a response was fed back, if all three are given.
fn read_feedback(
    input: &StepInput,
    today: chrono::NaiveDate,
    problems: &mut Vec<FieldError>,
) -> Option<(FeedbackWay, String, String)> {
    let way = FeedbackWay::parse(&input.fed_back_way);
    if way.is_none() {
        problems.push(FieldError::new(
            "fed_back_way",
            "Choose how it was fed back",
        ));
    }
    let on = match input.fed_back_on.trim() {
        "" => Err("Enter when it was fed back".to_owned()),
        typed => parse_past_date(typed, today).map_err(|e| e.0),
    };
    let on = on
        .map(|d| d.to_string())
        .map_err(|m| problems.push(FieldError::new("fed_back_on", m)))
        .ok();
    let by = required(
        "fed_back_by",
        &input.fed_back_by,
        ("Who fed it back", "Enter who fed it back"),
        problems,
    );
    Some((way?, on?, by))
}
