//! What the concerns log works to: each step's target, set by an admin, past which a concern is
//! overdue (the keep-in-touch queue lists those); and the signposting someone is given when
//! their concern belongs to another process.

use super::*;
use crate::input::number;
use coproduce_domain::concerns::{ConcernRules, StepDays, MAX_TARGET_DAYS};
use coproduce_store::settings;

/// The most characters of a signposting text.
const MAX_SIGNPOST: usize = 1000;

/// The rules as typed on their page.
#[derive(Clone, Debug, Default, serde::Deserialize, serde::Serialize)]
#[serde(default)]
pub struct RulesInput {
    /// Days from raised to escalated.
    pub escalate_days: String,
    /// Days from escalated to a response.
    pub respond_days: String,
    /// Days from the response to feeding it back.
    pub feed_back_days: String,
    /// Days from feeding back to closed.
    pub close_days: String,
    /// Where a safeguarding matter goes.
    pub safeguarding: String,
    /// Where a formal complaint goes.
    pub complaint: String,
}

impl RulesInput {
    /// The form filled in with the rules as saved.
    pub fn of(r: &ConcernRules) -> RulesInput {
        RulesInput {
            escalate_days: r.days.escalate.to_string(),
            respond_days: r.days.respond.to_string(),
            feed_back_days: r.days.feed_back.to_string(),
            close_days: r.days.close.to_string(),
            safeguarding: r.safeguarding.clone(),
            complaint: r.complaint.clone(),
        }
    }
}

fn read_rules(input: &RulesInput) -> Result<ConcernRules, AppError> {
    let mut p = Vec::new();
    let message = format!("Enter a whole number of days from 1 to {MAX_TARGET_DAYS}");
    let mut days = |field, value: &str, default| {
        number(field, value, default, 1..=MAX_TARGET_DAYS, &message, &mut p)
    };
    let start = StepDays::default();
    let days = StepDays {
        escalate: days("escalate_days", &input.escalate_days, start.escalate),
        respond: days("respond_days", &input.respond_days, start.respond),
        feed_back: days("feed_back_days", &input.feed_back_days, start.feed_back),
        close: days("close_days", &input.close_days, start.close),
    };
    let safeguarding = crate::input::required(
        "safeguarding",
        &input.safeguarding,
        MAX_SIGNPOST,
        (
            "Where safeguarding goes",
            "Say where a safeguarding matter goes",
        ),
        &mut p,
    );
    let complaint = crate::input::required(
        "complaint",
        &input.complaint,
        MAX_SIGNPOST,
        ("Where complaints go", "Say where a formal complaint goes"),
        &mut p,
    );
    match p.is_empty() {
        true => Ok(ConcernRules {
            days,
            safeguarding,
            complaint,
        }),
        false => Err(AppError::Invalid(p)),
    }
}

impl App {
    /// The rules the log works to, for an admin to change.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn concern_rules(&self, actor: &Actor) -> Result<ConcernRules, AppError> {
        authorise(actor, Action::ManageServices, &Resource::ANY)?;
        let mut tx = self.db().read().await?;
        let rules = settings::concern_rules(&mut tx).await?;
        tx.commit().await?;
        Ok(rules)
    }

    /// Sets the rules (an admin's).
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn set_concern_rules(
        &self,
        actor: &Actor,
        input: &RulesInput,
    ) -> Result<(), AppError> {
        authorise(actor, Action::ManageServices, &Resource::ANY)?;
        let rules = read_rules(input)?;
        self.write(actor, Action::ManageServices, &Resource::ANY, async |tx| {
            settings::set_concern_rules(tx, &rules).await?;
            let d = rules.days;
            let detail = format!(
                "days:{}/{}/{}/{}",
                d.escalate, d.respond, d.feed_back, d.close
            );
            Ok(Done::new((), AuditEvent::ConcernRules, "concerns", detail))
        })
        .await
    }
}
