//! A person's relationships with services and groups: starting, changing, pausing and reassigning them.

use super::*;
use coproduce_domain::relationships::RelationshipStatus;
use coproduce_domain::relationships::{Relationship, DAY_MS};
use coproduce_domain::reviews::first_relationship_review;
use coproduce_domain::services::Service;
use coproduce_domain::RelationshipId;
use coproduce_store::relationships;

/// Starts a new person's first relationship: with a service, named to whoever added them, at the
/// service's usual cadence, due now (a new person is someone to call).
pub(crate) async fn start_relationship(
    tx: &mut Tx,
    person_id: PersonId,
    service: &Service,
    by: Option<StaffId>,
    today: &str,
    now: Timestamp,
) -> Result<(), AppError> {
    let started = new_relationship(person_id, service, by, today, now);
    relationships::insert(tx, &started, now).await?;
    Ok(())
}

/// A new relationship with a service on its usual terms, due a first contact now.
pub(crate) fn new_relationship<'a>(
    person_id: PersonId,
    service: &Service,
    by: Option<StaffId>,
    today: &'a str,
    now: Timestamp,
) -> NewRelationship<'a> {
    NewRelationship {
        person_id,
        service_id: service.id,
        group_id: None,
        staff_contact_id: by,
        started_on: today,
        cadence_days: service.default_cadence_days,
        next_review_on: first_relationship_review(today),
        due_at: now,
    }
}

/// A change to a relationship, as typed.
#[derive(Clone, Debug, Default, serde::Deserialize, serde::Serialize)]
#[serde(default)]
pub struct RelationshipInput {
    /// The version read.
    pub version: i64,
    /// `active`, `paused` or `ended`.
    pub status: String,
    /// The named contact's staff id ("" for none).
    pub staff_contact_id: String,
    /// Keep in touch every this many days.
    pub cadence_days: String,
    /// When to review it next.
    pub next_review_on: String,
}

/// A relationship and who could be its named contact, for the form.
#[derive(Clone, Debug)]
pub struct RelationshipForm {
    /// The relationship.
    pub relationship: Relationship,
    /// Staff who can be its named contact: (id, name).
    pub possible_contacts: Vec<(StaffId, String)>,
}

impl App {
    /// Starts a relationship between a person and a service.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn add_relationship(
        &self,
        actor: &Actor,
        person_id: PersonId,
        service: &str,
        staff_contact: Option<StaffId>,
        cadence: &str,
    ) -> Result<RelationshipId, AppError> {
        self.write(actor, Action::EditPeople, &Resource::ANY, async |tx| {
            people::find(tx, person_id, people_scope(actor))
                .await?
                .ok_or(AppError::NotFound)?;
            let service = self.allowed_service(tx, actor, service).await?;
            let cadence = if cadence.trim().is_empty() {
                Cadence::from_days(service.default_cadence_days)
            } else {
                Cadence::parse(cadence)
            }
            .map_err(|e| AppError::field("cadence_days", e.0))?;
            let now = self.now();
            let today = today().to_string();
            let new = NewRelationship {
                person_id,
                service_id: service.id,
                group_id: None,
                staff_contact_id: staff_contact,
                started_on: &today,
                cadence_days: cadence.days(),
                next_review_on: first_relationship_review(&today),
                due_at: now.plus_minutes(cadence.days() * DAY_MS / 60_000),
            };
            let id = relationships::insert(tx, &new, now)
                .await
                .map_err(AppError::from_store_for("service_id"))?;
            Ok(Done::new(
                id,
                AuditEvent::RelationshipAdd,
                format!("person:{person_id}"),
                format!("service:{}", service.id),
            ))
        })
        .await
    }

    async fn scoped_relationship(
        &self,
        tx: &mut Tx,
        actor: &Actor,
        person: PersonId,
        id: RelationshipId,
    ) -> Result<Relationship, AppError> {
        people::find(tx, person, people_scope(actor))
            .await?
            .ok_or(AppError::NotFound)?;
        let found = relationships::find(tx, person, id)
            .await?
            .ok_or(AppError::NotFound)?;
        authorise(
            actor,
            Action::EditPeople,
            &Resource::in_service(found.service_id),
        )?;
        Ok(found)
    }

    /// A relationship, for changing.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn relationship_form(
        &self,
        actor: &Actor,
        person: PersonId,
        id: RelationshipId,
    ) -> Result<RelationshipForm, AppError> {
        authorise(actor, Action::EditPeople, &Resource::ANY)?;
        let mut tx = self.db().read().await?;
        let relationship = self.scoped_relationship(&mut tx, actor, person, id).await?;
        let possible_contacts =
            relationships::possible_contacts(&mut tx, relationship.service_id).await?;
        tx.commit().await?;
        Ok(RelationshipForm {
            relationship,
            possible_contacts,
        })
    }

    /// Changes a relationship's status, named contact, cadence or next review date.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn update_relationship(
        &self,
        actor: &Actor,
        person: PersonId,
        id: RelationshipId,
        input: &RelationshipInput,
    ) -> Result<(), AppError> {
        self.write(actor, Action::EditPeople, &Resource::ANY, async |tx| {
            let mut problems = Vec::new();
            let status = RelationshipStatus::parse(&input.status);
            if status.is_none() {
                problems.push(FieldError::new(
                    "status",
                    "Choose whether the relationship is active, paused or ended",
                ));
            }
            let cadence = Cadence::parse(&input.cadence_days)
                .map_err(|e| problems.push(FieldError::new("cadence_days", e.0)))
                .ok();
            let review = optional(
                &input.next_review_on,
                "next_review_on",
                |t| parse_date(t).map_err(|e| e.0),
                &mut problems,
            );
            let current = self.scoped_relationship(tx, actor, person, id).await?;
            let contacts = relationships::possible_contacts(tx, current.service_id).await?;
            let contact = match input.staff_contact_id.trim() {
                "" => None,
                text => match contacts.iter().find(|(cid, _)| cid.to_string() == text) {
                    Some((cid, _)) => Some(*cid),
                    None => {
                        problems.push(FieldError::new(
                            "staff_contact_id",
                            "Choose someone from the service or the participation team",
                        ));
                        None
                    }
                },
            };
            let (Some(cadence), Some(status), true) = (cadence, status, problems.is_empty()) else {
                return Err(AppError::Invalid(problems));
            };
            let review = review.map(|d| d.to_string());
            let change = relationships::RelationshipChange {
                status,
                staff_contact_id: contact,
                cadence_days: cadence.days(),
                next_review_on: review.as_deref(),
            };
            if !relationships::update(tx, id, input.version, &change).await? {
                return Err(AppError::Conflict {
                    version: current.version,
                    changed: Vec::new(),
                });
            }
            let detail = format!(
                "status={} cadence={} contact={}",
                status.code(),
                cadence.days(),
                contact.map_or("none".to_owned(), |c| format!("staff:{c}"))
            );
            Ok(Done::new(
                (),
                AuditEvent::RelationshipUpdate,
                format!("person:{person}"),
                detail,
            ))
        })
        .await
    }
}
