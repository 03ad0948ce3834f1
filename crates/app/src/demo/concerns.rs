//! The founding story's concerns: the parent carer forum on how hard news reached families in
//! the pandemic (answered, fed back and closed), the learning disabilities group's loud waiting
//! area (answered, not yet fed back), and newer ones still waiting for a step.

use crate::concerns::{ConcernInput, StepInput};
use crate::{Actor, App, AppError, StaffMember};
use coproduce_domain::concerns::Step;
use coproduce_domain::time::uk_day;
use coproduce_domain::{ConcernId, Role, StaffId};

/// The steps taken so far: each with the words it records (the owner's email, for escalating).
type Steps = &'static [(Step, &'static str)];

/// Each concern: its group, what was said, how serious, and its steps.
const CONCERNS: [(&str, &str, &str, Steps); 4] = [
    (
        "Therapy service and parent carer forum",
        "When the service had hard news for a family, it came by letter. In lockdown parents read it alone, with nobody to ask.",
        "high",
        &[
            (Step::Escalate, "megan.achterberg@harbourside.example"),
            (Step::Respond, "Hard news is now given by the family's own therapist, by phone or video, with a letter after and a named person to call back. The forum helped write what is said."),
            (Step::FeedBack, "Megan Achterberg"),
            (Step::Close, "Therapists now phone first, using the words the forum wrote with them."),
        ],
    ),
    (
        "Learning disabilities training and recruitment group",
        "The waiting area is loud and bright. Some of us wait outside in the rain rather than sit there.",
        "medium",
        &[
            (Step::Escalate, "tom.reilly@harbourside.example"),
            (Step::Respond, "We will make a quiet corner with softer light, and people can ask to wait there or be called from outside."),
        ],
    ),
    (
        "Therapy service and parent carer forum",
        "Appointment letters in Easy Read arrive after the appointment.",
        "medium",
        &[(Step::Escalate, "megan.achterberg@harbourside.example")],
    ),
    (
        "Learning disabilities training and recruitment group",
        "Nobody told the group what happened to the ideas we gave for the new staff training.",
        "low",
        &[],
    ),
];

pub(super) async fn seed_concerns(app: &App) -> Result<(), AppError> {
    let staff = app.list_staff(&Actor::Cli).await?;
    let id_of = |email: &str| staff.iter().find(|s| s.email == email).map(|s| s.id);
    // The participation team's lead records them and takes each step.
    let lead = staff
        .iter()
        .find(|s| s.role == Role::Admin)
        .ok_or_else(|| AppError::Internal("the demo has no participation team".into()))?;
    let actor = Actor::Staff(StaffMember {
        id: lead.id,
        name: lead.name.clone(),
        email: lead.email.clone(),
        role: lead.role,
        service_ids: Vec::new(),
    });
    let groups = app.groups(&Actor::Cli).await?;
    for (group, words, severity, steps) in CONCERNS {
        let Some(g) = groups.iter().find(|g| g.name == group) else {
            continue;
        };
        let input = ConcernInput {
            service_id: g.service_id.to_string(),
            raised_by: format!("group:{}", g.id),
            words: words.into(),
            severity: severity.into(),
        };
        let id = app.raise_concern(&actor, &input).await?;
        for &(step, text) in steps {
            take(app, &actor, id, step, text, id_of(text)).await?;
        }
    }
    Ok(())
}

/// Takes one step with `text` as what it records (`owner` when it names a staff member).
async fn take(
    app: &App,
    actor: &Actor,
    id: ConcernId,
    step: Step,
    text: &str,
    owner: Option<StaffId>,
) -> Result<(), AppError> {
    let version = app.concern(actor, id).await?.concern.version;
    let input = StepInput {
        version,
        owner_id: owner.map(|o| o.to_string()).unwrap_or_default(),
        response: text.into(),
        fed_back_way: "meeting".into(),
        fed_back_on: uk_day(app.now()).to_string(),
        fed_back_by: text.into(),
        not_changed_because: text.into(),
        ..StepInput::default()
    };
    app.take_concern_step(actor, id, step, &input).await
}
