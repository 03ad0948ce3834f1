//! Concerns: recording one someone raised, the log, and each step until it is fed back and
//! closed. Steps follow the domain's order (`ConcernStatus::after`); only the owner, or the
//! participation team, may record the service's response, and a refused attempt is audited.

use crate::authz::bounded_by;
use crate::input::text;
use crate::write::Done;
use crate::{authorise, authorise_or_hide, may, people_scope, Action, Actor, App, AppError};
use crate::{FieldError, Resource};
use coproduce_domain::concerns::{
    Concern, ConcernEvent, ConcernStatus, FeedbackWay, Raiser, RedirectTo, Severity, Step, RAISED,
};
use coproduce_domain::people::parse_past_date;
use coproduce_domain::time::uk_day;
use coproduce_domain::{AuditEvent, ConcernId, ImprovementId, ServiceId, StaffId};
use coproduce_store::concerns::{self, NewConcern, StepFields};
use coproduce_store::{groups, improvements, meetings, people, relationships, Tx};

mod rules;
mod steps;

pub use rules::RulesInput;

/// Concerns a page of the log shows.
pub const LOG_PAGE: i64 = 50;

/// The most characters of a concern's words, a response or a note.
const MAX_WORDS: usize = 5000;

/// A concern as typed on a form or sent as JSON.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct ConcernInput {
    /// The service it is about.
    pub service_id: String,
    /// Who raised it: `person:ID`, `group:ID` or `meeting:ID`.
    pub raised_by: String,
    /// What was said, in their words.
    pub words: String,
    /// `low`, `medium` or `high`.
    pub severity: String,
}

/// A step as typed: which, against which version, and what it needs.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct StepInput {
    /// The version the page showed.
    #[serde(deserialize_with = "crate::input::number_or_text")]
    pub version: i64,
    /// Escalating: the owner's staff id.
    pub owner_id: String,
    /// Responding: the service's response.
    pub response: String,
    /// Feeding back: how (`meeting`, `phone`, `email`, `letter`, `in_person`).
    pub fed_back_way: String,
    /// Feeding back: the date, `YYYY-MM-DD` or `D/M/YYYY`.
    pub fed_back_on: String,
    /// Feeding back: who did it.
    pub fed_back_by: String,
    /// Closing with an improvement: its id.
    pub improvement_id: String,
    /// Closing without an improvement: why nothing changed.
    pub not_changed_because: String,
    /// Reopening: why.
    pub reason: String,
    /// Redirecting: `safeguarding` or `complaint`.
    pub redirect_to: String,
}

/// A concern's page: the concern, its history, the steps the actor may take now, and who it
/// may be escalated to.
#[derive(Clone, Debug)]
pub struct ConcernView {
    /// The concern.
    pub concern: Concern,
    /// Its steps so far.
    pub events: Vec<ConcernEvent>,
    /// The steps that may be taken next, by this actor.
    pub steps: Vec<Step>,
    /// Staff it may be escalated to: the service's and the participation team.
    pub owners: Vec<(StaffId, String)>,
    /// Improvements it may close with, as `(id, what changed)`: its own first.
    pub improvements: Vec<(ImprovementId, String)>,
    /// When its next step is due, if it waits for one.
    pub due: Option<coproduce_domain::Timestamp>,
    /// Whether that is past.
    pub overdue: bool,
    /// What the log works to (for the signposting of a redirection).
    pub rules: coproduce_domain::concerns::ConcernRules,
}

/// Improvements a concern's page offers to close it with.
const CLOSE_CHOICES: i64 = 20;

fn parse_raiser(typed: &str) -> Option<Raiser> {
    let (kind, id) = typed.trim().split_once(':')?;
    let id: i64 = id.parse().ok()?;
    match kind {
        "person" => Some(Raiser::Person(coproduce_domain::PersonId(id))),
        "group" => Some(Raiser::Group(coproduce_domain::GroupId(id))),
        "meeting" => Some(Raiser::Meeting(coproduce_domain::MeetingId(id))),
        _ => None,
    }
}

/// Reads a new concern's fields, collecting every problem.
fn read_new(input: &ConcernInput) -> Result<(ServiceId, Raiser, String, Severity), AppError> {
    let mut problems = Vec::new();
    let service = input.service_id.trim().parse::<ServiceId>().ok();
    if service.is_none() {
        problems.push(FieldError::new(
            "service_id",
            "Choose the service it is about",
        ));
    }
    let raiser = parse_raiser(&input.raised_by);
    if raiser.is_none() {
        problems.push(FieldError::new("raised_by", "Choose who raised it"));
    }
    let words = text(
        "words",
        &input.words,
        MAX_WORDS,
        "What was said",
        &mut problems,
    );
    if words.is_empty() {
        problems.push(FieldError::new(
            "words",
            "Enter what was said, in their words",
        ));
    }
    let severity = Severity::parse(&input.severity);
    if severity.is_none() {
        problems.push(FieldError::new("severity", "Choose how serious it is"));
    }
    match (service, raiser, severity) {
        (Some(s), Some(r), Some(v)) if problems.is_empty() => Ok((s, r, words, v)),
        _ => Err(AppError::Invalid(problems)),
    }
}

impl App {
    /// Records a concern someone raised. Returns its id.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn raise_concern(
        &self,
        actor: &Actor,
        input: &ConcernInput,
    ) -> Result<ConcernId, AppError> {
        authorise(actor, Action::RaiseConcerns, &Resource::ANY)?;
        let (service, raiser, words, severity) = read_new(input)?;
        self.write(
            actor,
            Action::RaiseConcerns,
            &Resource::in_service(service),
            async |tx| {
                self.check_raiser(actor, tx, raiser).await?;
                let new = NewConcern {
                    service_id: service,
                    raiser,
                    words,
                    severity,
                    recorded_by: actor.staff().map(|s| s.id),
                };
                let id = concerns::insert(tx, &new, self.now()).await?;
                concerns::record_event(tx, id, &by_name(actor), RAISED, "", self.now()).await?;
                Ok(Done::new(
                    id,
                    AuditEvent::ConcernRaise,
                    format!("concern:{id}"),
                    format!("service:{service}"),
                ))
            },
        )
        .await
    }

    /// Refuses a raiser the actor may not see, or that does not exist.
    async fn check_raiser(
        &self,
        actor: &Actor,
        tx: &mut Tx,
        raiser: Raiser,
    ) -> Result<(), AppError> {
        let service = match raiser {
            Raiser::Person(p) => {
                let seen = people::find(tx, p, people_scope(actor)).await?.is_some();
                return match seen {
                    true => Ok(()),
                    false => Err(AppError::field("raised_by", "Choose who raised it")),
                };
            }
            Raiser::Group(g) => groups::find(tx, g).await?.map(|g| g.service_id),
            Raiser::Meeting(m) => meetings::find(tx, m).await?.map(|m| m.service_id),
        };
        match service {
            Some(s) if may(actor, Action::ViewGroups, &Resource::in_service(s)) => Ok(()),
            _ => Err(AppError::field("raised_by", "Choose who raised it")),
        }
    }

    /// The concerns log, open ones first (longest waiting first), `LOG_PAGE` from `page` 0.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn concerns_log(
        &self,
        actor: &Actor,
        open_only: bool,
        page: i64,
    ) -> Result<Vec<Concern>, AppError> {
        authorise(actor, Action::ViewConcerns, &Resource::ANY)?;
        let mut tx = self.db().read().await?;
        let offset = page.max(0).saturating_mul(LOG_PAGE);
        let found =
            concerns::log(&mut tx, bounded_by(actor), open_only, LOG_PAGE + 1, offset).await?;
        tx.commit().await?;
        Ok(found)
    }

    /// The concerns raised at a meeting, for its page.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn meeting_concerns(
        &self,
        actor: &Actor,
        meeting: coproduce_domain::MeetingId,
    ) -> Result<Vec<Concern>, AppError> {
        authorise(actor, Action::ViewConcerns, &Resource::ANY)?;
        let mut tx = self.db().read().await?;
        let found = concerns::of_meeting(&mut tx, meeting, bounded_by(actor)).await?;
        tx.commit().await?;
        Ok(found)
    }

    /// A concern's page.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn concern(&self, actor: &Actor, id: ConcernId) -> Result<ConcernView, AppError> {
        let mut tx = self.db().read().await?;
        let concern = seen_concern(actor, &mut tx, id).await?;
        let events = concerns::events(&mut tx, id).await?;
        let owners = relationships::possible_contacts(&mut tx, concern.service_id).await?;
        let improvements = match concern.status {
            ConcernStatus::FedBack => {
                let service = concern.service_id;
                let scope = bounded_by(actor);
                improvements::choices_for(&mut tx, id, service, scope, CLOSE_CHOICES).await?
            }
            _ => Vec::new(),
        };
        let rules = coproduce_store::settings::concern_rules(&mut tx).await?;
        tx.commit().await?;
        let due = rules.days.due(
            concern.status,
            coproduce_domain::Timestamp(concern.status_since),
        );
        let steps = concern
            .status
            .next_steps()
            .into_iter()
            .filter(|s| may(actor, step_action(*s), &resource_of(&concern, *s)))
            .collect();
        Ok(ConcernView {
            concern,
            events,
            steps,
            owners,
            improvements,
            due,
            overdue: due.is_some_and(|d| d < self.now()),
            rules,
        })
    }
}

/// A concern the actor may see (404 for another service's, as for one that does not exist).
async fn seen_concern(actor: &Actor, tx: &mut Tx, id: ConcernId) -> Result<Concern, AppError> {
    authorise(actor, Action::ViewConcerns, &Resource::ANY)?;
    let concern = concerns::find(tx, id, bounded_by(actor))
        .await?
        .ok_or(AppError::NotFound)?;
    let service = Resource::in_service(concern.service_id);
    authorise_or_hide(actor, Action::ViewConcerns, &service)?;
    Ok(concern)
}

/// The action a step needs: responding is its owner's (or the participation team's).
fn step_action(step: Step) -> Action {
    match step {
        Step::Respond => Action::RespondToConcerns,
        _ => Action::ManageConcerns,
    }
}

/// What a step is done to: the concern in its service, owned by its owner.
fn resource_of(concern: &Concern, step: Step) -> Resource {
    match step {
        Step::Respond => Resource::concern(concern.service_id, concern.owner),
        _ => Resource::in_service(concern.service_id),
    }
}

/// How a concern's history names who took a step.
fn by_name(actor: &Actor) -> String {
    match actor.staff() {
        Some(s) => s.name.clone(),
        None => actor.audit_name(),
    }
}
