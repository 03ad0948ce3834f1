//! Turning an enquiry into a person, or linking it to someone already on record.

use super::EnquiryAction;
use crate::people::{validate, PersonInput, TAG_LIMIT};
use crate::{authorise, Action, Actor, App, AppError, FieldError, Resource};
use coproduce_domain::enquiries::EnquiryStatus;
use coproduce_domain::enquiries::{Enquiry, Match};
use coproduce_domain::opportunities::{OpportunityKind, Stage};
use coproduce_domain::people::{parse_list, Channel, Need};
use coproduce_domain::AuditEvent;
use coproduce_domain::EnquiryId;
use coproduce_domain::PersonId;
use coproduce_domain::Timestamp;
use coproduce_store::contacts::{self, NewContact};
use coproduce_store::enquiries::{self, Change};
use coproduce_store::{relationships, services};

impl App {
    /// Turns an open enquiry into a person (status onboarding) with a relationship with a
    /// service, or links it to someone already on record with the same email address or phone
    /// number; either way with their consent to hold their details, the welcome call as a
    /// contact, and their interest in the opportunity they asked about. Returns the person's id.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn convert_enquiry(
        &self,
        actor: &Actor,
        id: EnquiryId,
        input: &EnquiryAction,
    ) -> Result<PersonId, AppError> {
        authorise(actor, Action::ManageEnquiries, &Resource::ANY)?;
        let now = self.now();
        let mut tx = self.db().write().await?;
        let e = enquiries::find(&mut tx, id)
            .await?
            .ok_or(AppError::NotFound)?;
        if e.status != EnquiryStatus::New || e.version != input.version {
            return Err(AppError::Conflict {
                version: e.version,
                changed: vec!["status"],
            });
        }
        let matches =
            coproduce_store::people::with_address(&mut tx, e.email.as_deref(), e.phone.as_deref())
                .await?;
        let person_id = match input.person_id.trim() {
            "" => {
                if !matches.is_empty() && input.new_anyway != "yes" {
                    return Err(AppError::field(
                        "service_id",
                        "Someone with the same email address or phone number is already on record. Link the enquiry to them, or tick the box to add a new person even so",
                    ));
                }
                self.person_from_enquiry(&mut tx, actor, &e, input.service_id.trim())
                    .await?
            }
            text => {
                let id = text
                    .parse::<i64>()
                    .ok()
                    .map(PersonId)
                    .filter(|id| matches.iter().any(|m| m.id == *id));
                id.ok_or_else(|| {
                    AppError::field("person_id", "Choose one of the people already on record")
                })?
            }
        };
        coproduce_store::people::add_consent(
            &mut tx,
            person_id,
            "hold_data",
            true,
            "Given on the get-involved form",
            actor.staff().map(|s| s.id),
            Timestamp(e.created_at),
        )
        .await?;
        if let Some(at) = e.welcome_call_at {
            let key = format!("enquiry:{id}:welcome");
            let relationship = relationships::for_person(&mut tx, person_id)
                .await?
                .first()
                .map(|r| r.id);
            let (_, created) = contacts::insert(
                &mut tx,
                &NewContact {
                    person_id,
                    relationship_id: relationship,
                    occurred_at: Timestamp(at),
                    channel: "phone",
                    direction: "outbound",
                    staff_id: e.welcome_call_by,
                    summary: &format!("Welcome call: {}", e.welcome_call_notes),
                    follow_up_on: None,
                    submission_key: Some(&key),
                },
                now,
            )
            .await?;
            if let (true, Some(r)) = (created, relationship) {
                relationships::count_contact(&mut tx, r, Timestamp(at)).await?;
            }
        }
        if let Some(o) = e.opportunity_id {
            coproduce_store::opportunities::set_person(
                &mut tx,
                o,
                person_id,
                Stage::Interested,
                now,
            )
            .await?;
        }
        if !enquiries::change(&mut tx, id, e.version, &Change::Convert(person_id), now).await? {
            return Err(AppError::Conflict {
                version: e.version,
                changed: vec!["status"],
            });
        }
        crate::audit::record(
            &mut tx,
            self.audit_key(),
            actor,
            now,
            AuditEvent::EnquiryConvert,
            &format!("enquiry:{id}"),
            &format!("person:{person_id}"),
        )
        .await?;
        tx.commit().await?;
        Ok(person_id)
    }

    /// Adds the person an enquiry describes, with a relationship with a service.
    async fn person_from_enquiry(
        &self,
        tx: &mut coproduce_store::Tx,
        actor: &Actor,
        e: &Enquiry,
        service: &str,
    ) -> Result<PersonId, AppError> {
        let service = services::find_by_name_or_id(tx, service)
            .await?
            .ok_or_else(|| AppError::field("service_id", "Choose a service"))?;
        let kind = match e.opportunity_id {
            Some(o) => coproduce_store::opportunities::find(tx, o)
                .await?
                .map(|o| o.kind),
            None => None,
        };
        let (tags, all_kept) = interest_tags(e, kind);
        let person = PersonInput {
            name: e.name.clone(),
            email: e.email.clone().unwrap_or_default(),
            phone: e.phone.clone().unwrap_or_default(),
            status: "onboarding".to_owned(),
            channels: parse_list(&e.channels, Channel::parse)
                .into_iter()
                .map(|c| c.code().to_owned())
                .collect(),
            best_times: e.best_times.clone(),
            needs: parse_list(&e.needs, Need::parse)
                .into_iter()
                .map(|n| n.code().to_owned())
                .collect(),
            needs_notes: e.needs_notes.clone(),
            interests: tags.join(", "),
            ..PersonInput::default()
        };
        let (row, tags) = validate(&person).map_err(|e| match e {
            // The enquiry's details were checked when it came in; should a rule have changed
            // since, the problem is shown against the button that adds them.
            AppError::Invalid(list) => AppError::Invalid(
                list.into_iter()
                    .map(|f| FieldError::new("service_id", f.message))
                    .collect(),
            ),
            other => other,
        })?;
        // What did not fit as tags (too long, or too many) is kept whole in their history.
        let reason = if all_kept {
            format!("From enquiry {}", e.id)
        } else {
            format!(
                "From enquiry {}. What they would like to be involved in, in their words: {}",
                e.id,
                e.interests.trim()
            )
        };
        self.add_person(tx, actor, (&row, &tags), &reason, &service)
            .await
    }

    /// People already on record with an enquiry's email address or phone number.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn enquiry_matches(
        &self,
        actor: &Actor,
        id: EnquiryId,
    ) -> Result<Vec<Match>, AppError> {
        authorise(actor, Action::ManageEnquiries, &Resource::ANY)?;
        let mut tx = self.db().read().await?;
        let e = enquiries::find(&mut tx, id)
            .await?
            .ok_or(AppError::NotFound)?;
        let found =
            coproduce_store::people::with_address(&mut tx, e.email.as_deref(), e.phone.as_deref())
                .await?;
        tx.commit().await?;
        Ok(found)
    }
}

/// The pieces of what someone said they are interested in, as they wrote them.
fn interest_pieces(e: &Enquiry) -> impl Iterator<Item = &str> {
    e.interests
        .split([',', '\n'])
        .map(str::trim)
        .filter(|t| !t.is_empty())
}

/// The tags a person from an enquiry starts with: the kind of the opportunity they asked about,
/// and each thing they said they are interested in that is short enough to be a tag (ten at
/// most); and whether all they said became tags.
fn interest_tags(e: &Enquiry, kind: Option<OpportunityKind>) -> (Vec<&str>, bool) {
    let mut tags: Vec<&str> = kind
        .filter(|k| *k != OpportunityKind::Other)
        .map(OpportunityKind::label)
        .into_iter()
        .collect();
    let mut all_kept = true;
    for piece in interest_pieces(e) {
        if tags.iter().any(|t| t.eq_ignore_ascii_case(piece)) {
            continue;
        }
        if piece.chars().count() <= TAG_LIMIT && tags.len() < 10 {
            tags.push(piece);
        } else {
            all_kept = false;
        }
    }
    (tags, all_kept)
}
