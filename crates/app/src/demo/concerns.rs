//! The founding story's concerns: the parent carer forum on how hard news reached families in
//! the pandemic, and the learning disabilities group's loud waiting area, each closed with the
//! improvement it led to, published on "You said, we did"; and newer ones in every other step.

use crate::concerns::{ConcernInput, StepInput};
use crate::improvements::ImprovementInput;
use crate::{Actor, App, AppError, StaffMember};
use coproduce_domain::concerns::Step;
use coproduce_domain::time::uk_day;
use coproduce_domain::{ConcernId, ImprovementId, Role, StaffId};

/// The steps taken so far: each with the words it records (the owner's email, for escalating).
type Steps = &'static [(Step, &'static str)];

/// What changed because of a concern, for the public page: what people said and what was done,
/// in standard words and Easy Read, the evidence, and how many days ago.
struct Change {
    you_said: &'static str,
    we_did: &'static str,
    evidence: &'static str,
    you_said_easy: &'static str,
    we_did_easy: &'static str,
    days_ago: i64,
}

const HARD_NEWS: Change = Change {
    you_said: "When the service had hard news for a family, it came by letter. In lockdown parents read it alone, with nobody to ask.",
    we_did: "Hard news is now given by the family's own therapist, by phone or video, with a letter after and a named person to call back. The parent carer forum helped write what is said.",
    evidence: "The forum's guide for therapists, and training on it for every therapist in the service.",
    you_said_easy: "Bad news came in a letter. Parents were alone.",
    we_did_easy: "Now your therapist phones you first. You can call them back.",
    days_ago: 400,
};

const WAITING_AREA: Change = Change {
    you_said: "The waiting area is loud and bright. Some people waited outside in the rain rather than sit there.",
    we_did: "We made a quiet corner with softer light, and anyone can ask to wait there or to be called from outside.",
    evidence: "The group chose the lights and the seats, and checked the corner before it opened.",
    you_said_easy: "The waiting room was too loud and bright.",
    we_did_easy: "We made a quiet corner with soft lights.",
    days_ago: 30,
};

/// A concern: its group, what was said, how serious, its steps, the change it closed with, and
/// how many days ago it was raised (and its steps taken).
type Demo = (
    &'static str,
    &'static str,
    &'static str,
    Steps,
    Option<Change>,
    i64,
);

/// Each concern.
const CONCERNS: [Demo; 6] = [
    (
        "Therapy service and parent carer forum",
        "When the service had hard news for a family, it came by letter. In lockdown parents read it alone, with nobody to ask.",
        "high",
        &[
            (Step::Escalate, "megan.achterberg@harbourside.example"),
            (Step::Respond, "Hard news is now given by the family's own therapist, by phone or video, with a letter after and a named person to call back. The forum helped write what is said."),
            (Step::FeedBack, "Megan Achterberg"),
            (Step::Close, ""),
        ],
        Some(HARD_NEWS),
        400,
    ),
    (
        "Learning disabilities training and recruitment group",
        "The waiting area is loud and bright. Some of us wait outside in the rain rather than sit there.",
        "medium",
        &[
            (Step::Escalate, "tom.reilly@harbourside.example"),
            (Step::Respond, "We will make a quiet corner with softer light, and people can ask to wait there or be called from outside."),
            (Step::FeedBack, "Tom Reilly"),
            (Step::Close, ""),
        ],
        Some(WAITING_AREA),
        30,
    ),
    (
        "Learning disabilities training and recruitment group",
        "In appointments staff talk to our supporters instead of to us.",
        "medium",
        &[
            (Step::Escalate, "tom.reilly@harbourside.example"),
            (Step::Respond, "Training for new staff will start with talking to the person first, and the group will help deliver it."),
        ],
        None,
        6,
    ),
    (
        "Therapy service and parent carer forum",
        "The online booking form times out before parents can finish it.",
        "medium",
        &[
            (Step::Escalate, "megan.achterberg@harbourside.example"),
            (Step::Respond, "The form now allows an hour, and keeps what was typed if it does time out."),
            (Step::FeedBack, "Megan Achterberg"),
        ],
        None,
        3,
    ),
    (
        "Therapy service and parent carer forum",
        "Appointment letters in Easy Read arrive after the appointment.",
        "medium",
        &[(Step::Escalate, "megan.achterberg@harbourside.example")],
        None,
        2,
    ),
    (
        "Learning disabilities training and recruitment group",
        "Nobody told the group what happened to the ideas we gave for the new staff training.",
        "low",
        &[],
        None,
        10,
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
    for (group, words, severity, steps, change, days_ago) in CONCERNS {
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
            let improvement = match (step, &change) {
                (Step::Close, Some(c)) => Some(record(app, &actor, c, g, id).await?),
                _ => None,
            };
            take(app, &actor, id, step, text, id_of(text), improvement).await?;
        }
        let mut tx = app.db().write().await?;
        coproduce_store::concerns::backdate(&mut tx, id, days_ago).await?;
        tx.commit().await?;
    }
    Ok(())
}

/// Records and publishes what changed because of a group's concern. Returns its id.
async fn record(
    app: &App,
    actor: &Actor,
    c: &Change,
    g: &coproduce_domain::groups::Group,
    concern: ConcernId,
) -> Result<ImprovementId, AppError> {
    let changed_on = uk_day(app.now().plus_days(-c.days_ago));
    let input = ImprovementInput {
        service_id: g.service_id.to_string(),
        you_said: c.you_said.into(),
        we_did: c.we_did.into(),
        evidence: c.evidence.into(),
        changed_on: changed_on.to_string(),
        you_said_easy: c.you_said_easy.into(),
        we_did_easy: c.we_did_easy.into(),
        publish: true,
        led_by: vec![format!("concern:{concern}"), format!("group:{}", g.id)],
        ..ImprovementInput::default()
    };
    app.record_improvement(actor, &input).await
}

/// Takes one step with `text` as what it records (`owner` when it names a staff member; the
/// improvement it closes with).
async fn take(
    app: &App,
    actor: &Actor,
    id: ConcernId,
    step: Step,
    text: &str,
    owner: Option<StaffId>,
    improvement: Option<ImprovementId>,
) -> Result<(), AppError> {
    let version = app.concern(actor, id).await?.concern.version;
    let input = StepInput {
        version,
        owner_id: owner.map(|o| o.to_string()).unwrap_or_default(),
        response: text.into(),
        fed_back_way: "meeting".into(),
        fed_back_on: uk_day(app.now()).to_string(),
        fed_back_by: text.into(),
        improvement_id: improvement.map(|i| i.to_string()).unwrap_or_default(),
        ..StepInput::default()
    };
    app.take_concern_step(actor, id, step, &input).await
}
