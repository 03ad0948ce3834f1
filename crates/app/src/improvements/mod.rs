//! Improvements: recording what changed in a service because people spoke up, what led to it,
//! and publishing it on "You said, we did". A quote is published only with the quoted person's
//! consent to be quoted, and a published one needs its Easy Read words.

use crate::authz::bounded_by;
use crate::input::{required, text};
use crate::write::Done;
use crate::{authorise, authorise_or_hide, may, people_scope, Action, Actor, App, AppError};
use crate::{FieldError, Resource};
use coproduce_domain::easy_read::MAX_LINE_CHARS;
use coproduce_domain::improvements::{Improvement, LedBy};
use coproduce_domain::people::parse_past_date;
use coproduce_domain::time::uk_day;
use coproduce_domain::{AuditEvent, ImprovementId, PersonId, ServiceId};
use coproduce_store::improvements::{self, ImprovementFields};
use coproduce_store::{concerns, groups, meetings, people, projects, Tx};

mod choices;
mod files;
mod public;

pub use choices::ImprovementChoices;
pub use files::MAX_EVIDENCE_BYTES;

/// Improvements a page of the list shows.
pub const LIST_PAGE: i64 = 50;

/// The most characters of what was said, what changed, the evidence or a quote.
const MAX_TEXT: usize = 5000;

/// The most things that may be said to have led to one improvement.
const MAX_LINKS: usize = 50;

/// An improvement as typed on its form or sent as JSON.
#[derive(Clone, Debug, Default, serde::Deserialize, serde::Serialize)]
#[serde(default)]
pub struct ImprovementInput {
    /// The version the page showed (changing one).
    #[serde(deserialize_with = "crate::input::number_or_text")]
    pub version: i64,
    /// The service that changed.
    pub service_id: String,
    /// What people told us, in words fit to publish.
    pub you_said: String,
    /// What changed.
    pub we_did: String,
    /// The evidence that it changed.
    pub evidence: String,
    /// The date it changed, `YYYY-MM-DD` or `D/M/YYYY`.
    pub changed_on: String,
    /// Someone's words about it.
    pub quote: String,
    /// Whose words: a person's id.
    pub quote_person_id: String,
    /// What people told us, in Easy Read.
    pub you_said_easy: String,
    /// What changed, in Easy Read.
    pub we_did_easy: String,
    /// Whether to put it on the public page.
    pub publish: bool,
    /// What led to it: `concern:ID`, `group:ID`, `project:ID` or `meeting:ID`.
    pub led_by: Vec<String>,
}

impl ImprovementInput {
    /// The form for an improvement as it is saved, to change it.
    pub fn of(i: &Improvement) -> ImprovementInput {
        ImprovementInput {
            version: i.version,
            service_id: i.service_id.to_string(),
            you_said: i.you_said.clone(),
            we_did: i.we_did.clone(),
            evidence: i.evidence.clone(),
            changed_on: i.changed_on.clone(),
            quote: i.quote.clone(),
            quote_person_id: i.quote_person.map(|p| p.to_string()).unwrap_or_default(),
            you_said_easy: i.you_said_easy.clone(),
            we_did_easy: i.we_did_easy.clone(),
            publish: i.published,
            led_by: i.links.iter().map(|l| l.led_by.code()).collect(),
        }
    }
}

/// Reads an improvement's fields, collecting every problem; the links are read, not checked.
fn read(
    input: &ImprovementInput,
    today: chrono::NaiveDate,
) -> Result<(ImprovementFields, Vec<LedBy>), AppError> {
    let mut p = Vec::new();
    let service = input.service_id.trim().parse::<ServiceId>().ok();
    if service.is_none() {
        p.push(FieldError::new(
            "service_id",
            "Choose the service that changed",
        ));
    }
    let words = |field, value: &str, label, missing, p: &mut Vec<FieldError>| {
        required(field, value, MAX_TEXT, (label, missing), p)
    };
    let you_said = words(
        "you_said",
        &input.you_said,
        "What people told us",
        "Enter what people told us",
        &mut p,
    );
    let we_did = words(
        "we_did",
        &input.we_did,
        "What changed",
        "Enter what changed",
        &mut p,
    );
    let evidence = text(
        "evidence",
        &input.evidence,
        MAX_TEXT,
        "The evidence",
        &mut p,
    );
    let changed_on = match input.changed_on.trim() {
        "" => Err("Enter the date it changed".to_owned()),
        typed => parse_past_date(typed, today).map_err(|e| e.0),
    }
    .map(|d| d.to_string())
    .map_err(|m| p.push(FieldError::new("changed_on", m)))
    .unwrap_or_default();
    let quote = text("quote", &input.quote, MAX_TEXT, "The quote", &mut p);
    let quote_person = match input.quote_person_id.trim() {
        "" => None,
        typed => typed.parse::<PersonId>().ok().or_else(|| {
            p.push(FieldError::new(
                "quote_person_id",
                "Choose whose words they are",
            ));
            None
        }),
    };
    let easy = |field, value: &str, label, p: &mut Vec<FieldError>| {
        let v = text(field, value, MAX_LINE_CHARS, label, p);
        if input.publish && v.is_empty() {
            p.push(FieldError::new(
                field,
                format!("{label} must be written to publish it"),
            ));
        }
        v
    };
    let you_said_easy = easy(
        "you_said_easy",
        &input.you_said_easy,
        "What people told us in Easy Read",
        &mut p,
    );
    let we_did_easy = easy(
        "we_did_easy",
        &input.we_did_easy,
        "What changed in Easy Read",
        &mut p,
    );
    let mut links: Vec<LedBy> = Vec::new();
    for typed in input.led_by.iter().filter(|t| !t.trim().is_empty()) {
        match LedBy::parse(typed) {
            Some(l) if !links.contains(&l) => links.push(l),
            Some(_) => {}
            None => p.push(FieldError::new(
                "led_by",
                "Choose what led to it from the list",
            )),
        }
    }
    if links.len() > MAX_LINKS {
        p.push(FieldError::new(
            "led_by",
            format!("Choose at most {MAX_LINKS} things that led to it"),
        ));
    }
    match service {
        Some(service_id) if p.is_empty() => Ok((
            ImprovementFields {
                service_id,
                you_said,
                we_did,
                evidence,
                changed_on,
                quote,
                quote_person,
                you_said_easy,
                we_did_easy,
                published: input.publish,
            },
            links,
        )),
        _ => Err(AppError::Invalid(p)),
    }
}

impl App {
    /// Records an improvement. Returns its id.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn record_improvement(
        &self,
        actor: &Actor,
        input: &ImprovementInput,
    ) -> Result<ImprovementId, AppError> {
        authorise(actor, Action::RecordImprovements, &Resource::ANY)?;
        let (fields, links) = read(input, uk_day(self.now()))?;
        let service = Resource::in_service(fields.service_id);
        let id = self
            .write(actor, Action::RecordImprovements, &service, async |tx| {
                self.check(actor, tx, &fields, &links).await?;
                let by = actor.staff().map(|s| s.id);
                let id = improvements::insert(tx, &fields, by, self.now()).await?;
                improvements::add_links(tx, id, &links).await?;
                Ok(Done::new(
                    id,
                    AuditEvent::ImprovementAdd,
                    format!("improvement:{id}"),
                    detail(&fields),
                ))
            })
            .await?;
        self.inner.public_improvements.clear();
        Ok(id)
    }

    /// Changes an improvement, if nobody changed it since `input.version`.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn change_improvement(
        &self,
        actor: &Actor,
        id: ImprovementId,
        input: &ImprovementInput,
    ) -> Result<(), AppError> {
        let before = self.improvement(actor, id).await?;
        let (fields, links) = read(input, uk_day(self.now()))?;
        let old_service = Resource::in_service(before.service_id);
        authorise(actor, Action::RecordImprovements, &old_service)?;
        let service = Resource::in_service(fields.service_id);
        self.write(actor, Action::RecordImprovements, &service, async |tx| {
            self.check(actor, tx, &fields, &links).await?;
            if !improvements::update(tx, id, input.version, &fields, self.now()).await? {
                return Err(AppError::Conflict {
                    version: before.version,
                    changed: vec!["improvement"],
                });
            }
            improvements::set_links(tx, id, &links).await?;
            Ok(Done::new(
                (),
                AuditEvent::ImprovementChange,
                format!("improvement:{id}"),
                detail(&fields),
            ))
        })
        .await?;
        self.inner.public_improvements.clear();
        Ok(())
    }

    /// Refuses what the actor may not see or that does not exist, and a quote published
    /// without its person's consent to be quoted.
    async fn check(
        &self,
        actor: &Actor,
        tx: &mut Tx,
        fields: &ImprovementFields,
        links: &[LedBy],
    ) -> Result<(), AppError> {
        for link in links {
            if !self.may_link(actor, tx, *link).await? {
                return Err(AppError::field(
                    "led_by",
                    "Choose what led to it from the list",
                ));
            }
        }
        if let Some(person) = fields.quote_person {
            if people::find(tx, person, people_scope(actor))
                .await?
                .is_none()
            {
                return Err(AppError::field(
                    "quote_person_id",
                    "Choose whose words they are",
                ));
            }
        }
        if !fields.published || fields.quote.is_empty() {
            return Ok(());
        }
        let consented = match fields.quote_person {
            Some(person) => improvements::may_quote(tx, person).await?,
            None => false,
        };
        match (fields.quote_person, consented) {
            (_, true) => Ok(()),
            (None, _) => Err(AppError::field(
                "quote_person_id",
                "Choose whose words the quote is, to publish it: a quote is published only with their consent",
            )),
            (Some(_), false) => Err(AppError::field(
                "quote",
                "The person quoted has not consented to being quoted. Record their consent first, or publish it without the quote",
            )),
        }
    }

    /// Whether a concern, group, project or meeting exists and the actor may see it.
    async fn may_link(&self, actor: &Actor, tx: &mut Tx, link: LedBy) -> Result<bool, AppError> {
        let (action, service) = match link {
            LedBy::Concern(c) => {
                let found = concerns::find(tx, c, bounded_by(actor)).await?;
                (Action::ViewConcerns, found.map(|c| c.service_id))
            }
            LedBy::Group(g) => (
                Action::ViewGroups,
                groups::find(tx, g).await?.map(|g| g.service_id),
            ),
            LedBy::Project(p) => (
                Action::ViewGroups,
                projects::find(tx, p).await?.map(|p| p.service_id),
            ),
            LedBy::Meeting(m) => (
                Action::ViewGroups,
                meetings::find(tx, m).await?.map(|m| m.service_id),
            ),
        };
        Ok(service.is_some_and(|s| may(actor, action, &Resource::in_service(s))))
    }

    /// One improvement, with what led to it (404 for another service's).
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn improvement(
        &self,
        actor: &Actor,
        id: ImprovementId,
    ) -> Result<Improvement, AppError> {
        authorise(actor, Action::ViewConcerns, &Resource::ANY)?;
        let mut tx = self.db().read().await?;
        let found = improvements::find(&mut tx, id, bounded_by(actor))
            .await?
            .ok_or(AppError::NotFound)?;
        tx.commit().await?;
        authorise_or_hide(
            actor,
            Action::ViewConcerns,
            &Resource::in_service(found.service_id),
        )?;
        Ok(found)
    }

    /// Improvements the actor may see, newest first, of one service or every one; `LIST_PAGE`
    /// (and one more, to tell there are more) from `page` 0.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn improvements(
        &self,
        actor: &Actor,
        service: Option<ServiceId>,
        page: i64,
    ) -> Result<Vec<Improvement>, AppError> {
        authorise(actor, Action::ViewConcerns, &Resource::ANY)?;
        let mut tx = self.db().read().await?;
        let offset = page.max(0).saturating_mul(LIST_PAGE);
        let found =
            improvements::list(&mut tx, bounded_by(actor), service, LIST_PAGE + 1, offset).await?;
        tx.commit().await?;
        Ok(found)
    }
}

/// What the audit trail says of a change: its service, and whether it is published.
fn detail(f: &ImprovementFields) -> String {
    format!("service:{} published:{}", f.service_id, f.published)
}
