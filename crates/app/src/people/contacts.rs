//! Logging a contact: the one short form, counted towards a relationship.

use super::*;
use coproduce_domain::relationships::RelationshipStatus;
use coproduce_domain::RelationshipId;
use coproduce_store::{contacts, relationships};

/// A contact as typed into the one short form, or sent to the API.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct ContactInput {
    /// The relationship it counts towards (its id), if any.
    pub relationship_id: String,
    /// Channel code.
    pub channel: String,
    /// Direction code.
    pub direction: String,
    /// The date it happened (empty: today).
    pub date: String,
    /// The time it happened, `HH:MM`, UK time (empty: now).
    pub time: String,
    /// What was said.
    pub summary: String,
    /// A date to follow up.
    pub follow_up_on: String,
    /// The form's one-time key.
    pub submission_key: String,
}

/// A contact's details, checked.
struct Checked<'a> {
    channel: Channel,
    direction: Direction,
    summary: &'a str,
    occurred_at: Timestamp,
    follow_up: Option<NaiveDate>,
}

/// Checks a contact's own fields, adding every problem to `problems`.
fn check_contact<'a>(
    input: &'a ContactInput,
    now: Timestamp,
    problems: &mut Vec<FieldError>,
) -> Option<Checked<'a>> {
    let channel = Channel::parse(&input.channel);
    if channel.is_none() {
        problems.push(FieldError::new("channel", "Choose how you were in touch"));
    }
    let direction = Direction::parse(&input.direction);
    if direction.is_none() {
        problems.push(FieldError::new("direction", "Choose who got in touch"));
    }
    let summary = input.summary.trim();
    if summary.is_empty() {
        problems.push(FieldError::new(
            "summary",
            "Enter a short summary of the contact",
        ));
    } else if summary.chars().count() > 2000 {
        problems.push(FieldError::new(
            "summary",
            "Summary must be 2,000 characters or fewer",
        ));
    }
    let occurred_at = occurred_at(&input.date, &input.time, now)
        .map_err(|e| problems.push(e))
        .ok();
    let follow_up = optional(
        &input.follow_up_on,
        "follow_up_on",
        |t| parse_date(t).map_err(|e| e.0),
        problems,
    );
    Some(Checked {
        channel: channel?,
        direction: direction?,
        summary,
        occurred_at: occurred_at?,
        follow_up,
    })
}

/// When a contact happened: a UK date and time as typed (empty meaning today and now), not in the future.
fn occurred_at(date: &str, time: &str, now: Timestamp) -> Result<Timestamp, FieldError> {
    if date.trim().is_empty() && time.trim().is_empty() {
        return Ok(now);
    }
    let day = if date.trim().is_empty() {
        uk_day(now)
    } else {
        parse_date(date).map_err(|e| FieldError::new("date", e.0))?
    };
    let at = if time.trim().is_empty() {
        NaiveTime::from_hms_opt(12, 0, 0).unwrap_or_default()
    } else {
        NaiveTime::parse_from_str(time.trim(), "%H:%M")
            .map_err(|_| FieldError::new("time", "Enter a time like 14:30"))?
    };
    let moment = coproduce_domain::time::from_london(day.and_time(at)).ok_or_else(|| {
        FieldError::new(
            "time",
            coproduce_domain::time::skipped_time_message(day.and_time(at)),
        )
    })?;
    let ms = moment.millis();
    if ms > now.millis() + 5 * 60_000 {
        return Err(FieldError::new(
            "date",
            "The contact must be today or in the past",
        ));
    }
    Ok(Timestamp(ms))
}

impl App {
    /// Logs a contact. The same form submitted twice logs one contact.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn log_contact(
        &self,
        actor: &Actor,
        person_id: PersonId,
        input: &ContactInput,
    ) -> Result<i64, AppError> {
        authorise(actor, Action::EditPeople, &Resource::ANY)?;
        let mut problems = Vec::new();
        let now = self.now();
        let checked = check_contact(input, now, &mut problems);
        let mut tx = self.db().write().await?;
        people::find(&mut tx, person_id, people_scope(actor))
            .await?
            .ok_or(AppError::NotFound)?;
        let relationships = relationships::for_person(&mut tx, person_id).await?;
        let relationship = match input.relationship_id.trim() {
            "" => None,
            text => match relationships.iter().find(|r| r.id.to_string() == text) {
                Some(r) => Some(r.id),
                None => {
                    problems.push(FieldError::new(
                        "relationship_id",
                        "Choose one of their services",
                    ));
                    None
                }
            },
        };
        let (Some(c), true) = (checked, problems.is_empty()) else {
            return Err(AppError::Invalid(problems));
        };
        let key = input.submission_key.trim();
        let follow = c.follow_up.map(|d| d.to_string());
        let new = NewContact {
            person_id,
            relationship_id: relationship,
            occurred_at: c.occurred_at,
            channel: c.channel.code(),
            direction: c.direction.code(),
            staff_id: actor.staff().map(|s| s.id),
            summary: c.summary,
            follow_up_on: follow.as_deref(),
            submission_key: (!key.is_empty()).then_some(key),
        };
        let (id, created) = contacts::insert(&mut tx, &new, now).await?;
        if created {
            // A contact that names no relationship counts towards every active one it can.
            let counted: Vec<RelationshipId> = match relationship {
                Some(r) => vec![r],
                None => relationships
                    .iter()
                    .filter(|r| r.status == RelationshipStatus::Active)
                    .map(|r| r.id)
                    .collect(),
            };
            for r in counted {
                relationships::count_contact(&mut tx, r, c.occurred_at).await?;
            }
            self.audit(
                &mut tx,
                actor,
                AuditEvent::ContactAdd,
                &format!("person:{person_id}"),
                &format!("contact:{id}"),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(id)
    }
}
