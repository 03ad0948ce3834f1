//! A person's record: the details as typed, adding, changing and patching them, and the audited view.

use super::*;
use coproduce_domain::relationships::TagKind;
use coproduce_domain::relationships::{Contact, Relationship, Tag};
use coproduce_domain::services::Service;
use coproduce_domain::RelationshipId;

/// A person's details as typed into a form or sent to the API.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct PersonInput {
    /// Full name.
    pub name: String,
    /// What they like to be called.
    pub preferred_name: String,
    /// Pronouns.
    pub pronouns: String,
    /// Date of birth.
    pub date_of_birth: String,
    /// Email address.
    pub email: String,
    /// Phone number.
    pub phone: String,
    /// Postal address.
    pub address: String,
    /// Postcode.
    pub postcode: String,
    /// Status code.
    pub status: String,
    /// Why the status changed (for paused and left).
    pub status_reason: String,
    /// Ranked channel codes.
    pub channels: Vec<String>,
    /// Best times to reach them.
    pub best_times: String,
    /// Need codes.
    pub needs: Vec<String>,
    /// The language an interpreter is needed for.
    pub interpreter_language: String,
    /// Anything else about their needs.
    pub needs_notes: String,
    /// Interests, comma separated.
    pub interests: String,
    /// Lived experience, comma separated.
    pub lived_experience: String,
    /// Whether lived experience is visible only to admins and named contacts.
    pub lived_experience_restricted: bool,
    /// The partner organisation they came through (its id), if any.
    pub partner_id: String,
}

/// The fields that differ between two versions of a record, by form field name.
fn changed_fields(a: &Person, b: &Person) -> Vec<&'static str> {
    let pairs: [(&'static str, bool); 14] = [
        ("name", a.name != b.name),
        ("preferred_name", a.preferred_name != b.preferred_name),
        ("pronouns", a.pronouns != b.pronouns),
        ("date_of_birth", a.date_of_birth != b.date_of_birth),
        ("email", a.email != b.email),
        ("phone", a.phone != b.phone),
        ("address", a.address != b.address),
        ("postcode", a.postcode != b.postcode),
        ("status", a.status != b.status),
        ("channels", a.channels != b.channels),
        ("best_times", a.best_times != b.best_times),
        (
            "needs",
            a.needs != b.needs || a.interpreter_language != b.interpreter_language,
        ),
        ("needs_notes", a.needs_notes != b.needs_notes),
        ("partner_id", a.partner_id != b.partner_id),
    ];
    pairs
        .into_iter()
        .filter(|(_, differs)| *differs)
        .map(|(f, _)| f)
        .collect()
}

/// Everything the person page shows.
#[derive(Clone, Debug)]
pub struct PersonView {
    /// The record.
    pub person: Person,
    /// Their relationships.
    pub relationships: Vec<Relationship>,
    /// Their contacts, newest first.
    pub contacts: Vec<Contact>,
    /// Their status history.
    pub status_changes: Vec<StatusChangeRow>,
    /// Their consent records.
    pub consents: Vec<ConsentRow>,
    /// Their tags the viewer may see.
    pub tags: Vec<Tag>,
    /// Other people who are likely the same person, for a merge decision.
    pub duplicates: Vec<Person>,
    /// The relationships (by id) the viewer may change, as the policy decided.
    pub can_edit_relationships: Vec<RelationshipId>,
}

impl PersonView {
    /// The stored record as the person form is filled in, so that an edit or a patch starts
    /// from what is there.
    pub fn input(&self) -> PersonInput {
        input_of(&self.person, &self.tags)
    }
}

/// A record and its tags as typed into the person form.
fn input_of(r: &Person, tags: &[Tag]) -> PersonInput {
    let names = |kind: TagKind| {
        tags.iter()
            .filter(|t| t.kind == kind)
            .map(|t| t.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let codes = |list: Vec<&'static str>| list.into_iter().map(str::to_owned).collect();
    PersonInput {
        name: r.name.clone(),
        preferred_name: r.preferred_name.clone(),
        pronouns: r.pronouns.clone(),
        date_of_birth: r.date_of_birth.map(|d| d.to_string()).unwrap_or_default(),
        email: r.email.clone().unwrap_or_default(),
        phone: r.phone.clone().unwrap_or_default(),
        address: r.address.clone(),
        postcode: r.postcode.clone().unwrap_or_default(),
        status: r.status.code().to_owned(),
        status_reason: String::new(),
        channels: codes(r.channels.iter().map(|c| c.code()).collect()),
        best_times: r.best_times.clone(),
        needs: codes(r.needs.iter().map(|n| n.code()).collect()),
        interpreter_language: r.interpreter_language.clone(),
        needs_notes: r.needs_notes.clone(),
        interests: names(TagKind::Interest),
        lived_experience: names(TagKind::LivedExperience),
        lived_experience_restricted: tags
            .iter()
            .any(|t| t.kind == TagKind::LivedExperience && t.restricted),
        partner_id: r.partner_id.map(|id| id.to_string()).unwrap_or_default(),
    }
}

/// Changes to a person: only the fields sent change, merged over the stored record in the
/// change's own transaction. `version` is required.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = PersonChange))]
pub struct PersonPatch {
    /// The version read; a stale one gets 409.
    pub version: Option<i64>,
    /// Full name.
    pub name: Option<String>,
    /// What they like to be called.
    pub preferred_name: Option<String>,
    /// Pronouns.
    pub pronouns: Option<String>,
    /// Date of birth.
    pub date_of_birth: Option<String>,
    /// Email.
    pub email: Option<String>,
    /// Phone.
    pub phone: Option<String>,
    /// Address.
    pub address: Option<String>,
    /// Postcode.
    pub postcode: Option<String>,
    /// Status.
    pub status: Option<String>,
    /// Why the status changed.
    pub status_reason: Option<String>,
    /// Channels, first choice first.
    pub channels: Option<Vec<String>>,
    /// Best times.
    pub best_times: Option<String>,
    /// Needs.
    pub needs: Option<Vec<String>>,
    /// Interpreter language.
    pub interpreter_language: Option<String>,
    /// Notes about needs.
    pub needs_notes: Option<String>,
    /// The partner organisation they came through (0 for none).
    pub partner_id: Option<i64>,
}

impl PersonPatch {
    /// The patch laid over the stored record's input.
    fn over(self, mut input: PersonInput) -> PersonInput {
        fn set<T>(slot: &mut T, value: Option<T>) {
            if let Some(v) = value {
                *slot = v;
            }
        }
        set(&mut input.name, self.name);
        set(&mut input.preferred_name, self.preferred_name);
        set(&mut input.pronouns, self.pronouns);
        set(&mut input.date_of_birth, self.date_of_birth);
        set(&mut input.email, self.email);
        set(&mut input.phone, self.phone);
        set(&mut input.address, self.address);
        set(&mut input.postcode, self.postcode);
        set(&mut input.status, self.status);
        set(&mut input.status_reason, self.status_reason);
        set(&mut input.channels, self.channels);
        set(&mut input.best_times, self.best_times);
        set(&mut input.needs, self.needs);
        set(&mut input.interpreter_language, self.interpreter_language);
        set(&mut input.needs_notes, self.needs_notes);
        let partner = self.partner_id.map(|p| match p {
            0 => String::new(),
            p => p.to_string(),
        });
        set(&mut input.partner_id, partner);
        input
    }
}

/// The audit entry for a person just added with a first relationship with `service`.
fn person_added(id: PersonId, service: &Service) -> Done<PersonId> {
    Done::new(
        id,
        AuditEvent::PersonAdd,
        format!("person:{id}"),
        format!("service:{}", service.id),
    )
}

/// Refuses a partner that does not exist (or is archived).
async fn check_partner(tx: &mut Tx, partner: Option<PartnerId>) -> Result<(), AppError> {
    if let Some(id) = partner {
        if !services::partners(tx).await?.iter().any(|p| p.id == id) {
            return Err(AppError::field(
                "partner_id",
                "Choose one of the partners listed",
            ));
        }
    }
    Ok(())
}

impl App {
    /// Adds a person with a first relationship with a service (so the staff who added them can see
    /// them), named to the adding staff member.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn create_person(
        &self,
        actor: &Actor,
        input: &PersonInput,
        service: &str,
    ) -> Result<PersonId, AppError> {
        self.insert_person(actor, input, service).await
    }

    /// Adds a person as [`App::create_person`] does and answers with their record, audited once,
    /// as the change.
    pub async fn create_person_view(
        &self,
        actor: &Actor,
        input: &PersonInput,
        service: &str,
    ) -> Result<PersonView, AppError> {
        let id = self.insert_person(actor, input, service).await?;
        self.person_view(actor, id).await
    }

    async fn insert_person(
        &self,
        actor: &Actor,
        input: &PersonInput,
        service: &str,
    ) -> Result<PersonId, AppError> {
        self.write(actor, Action::EditPeople, &Resource::ANY, async |tx| {
            let validated = validate(input);
            let service = self.allowed_service(tx, actor, service).await;
            let ((row, tags), service) = match (validated, service) {
                (Ok(v), Ok(s)) => (v, s),
                (Err(AppError::Invalid(mut a)), Err(AppError::Invalid(b))) => {
                    a.extend(b);
                    return Err(AppError::Invalid(a));
                }
                (Err(e), _) | (_, Err(e)) => return Err(e),
            };
            let reason = &input.status_reason;
            let id = self
                .store_person(tx, actor, (&row, &tags), reason, &service)
                .await?;
            Ok(person_added(id, &service))
        })
        .await
    }

    /// Stores a checked person as `store_person` does and audits it, in the caller's
    /// transaction: converting an enquiry comes here.
    pub(crate) async fn add_person(
        &self,
        tx: &mut Tx,
        actor: &Actor,
        (row, tags): (&Person, &[NewTag]),
        status_reason: &str,
        service: &Service,
    ) -> Result<PersonId, AppError> {
        let id = self
            .store_person(tx, actor, (row, tags), status_reason, service)
            .await?;
        self.audit(
            tx,
            actor,
            AuditEvent::PersonAdd,
            &format!("person:{id}"),
            &format!("service:{}", service.id),
        )
        .await?;
        Ok(id)
    }

    /// Stores a checked person with their tags, first status and first relationship: adding
    /// someone on the people pages and converting an enquiry both come here. The caller audits it
    /// (see [`person_added`]).
    async fn store_person(
        &self,
        tx: &mut Tx,
        actor: &Actor,
        (row, tags): (&Person, &[NewTag]),
        status_reason: &str,
        service: &Service,
    ) -> Result<PersonId, AppError> {
        let now = self.now();
        check_partner(tx, row.partner_id).await?;
        let id = people::insert(tx, row, now).await?;
        people::set_tags(tx, id, tags).await?;
        let today = today().to_string();
        let by = actor.staff().map(|s| s.id);
        people::add_status_change(tx, id, row.status.code(), status_reason, &today, by, now)
            .await?;
        start_relationship(tx, id, service, by, &today, now).await?;
        Ok(id)
    }

    /// Saves changes to a person if nobody else saved first; otherwise says which fields they
    /// changed, and changes nothing.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn update_person(
        &self,
        actor: &Actor,
        id: PersonId,
        version: i64,
        input: &PersonInput,
    ) -> Result<(), AppError> {
        self.write(actor, Action::EditPeople, &Resource::ANY, async |tx| {
            // Found in scope before the input is read, so those who may not see them learn nothing.
            let current = people::find(tx, id, people_scope(actor))
                .await?
                .ok_or(AppError::NotFound)?;
            self.save_person(tx, actor, &current, version, input).await
        })
        .await
    }

    /// Changes only the fields a patch sends, merged over the stored record (all of its tags,
    /// seen or not) in one transaction, and answers with the record: one audit entry, the change.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn patch_person(
        &self,
        actor: &Actor,
        id: PersonId,
        mut patch: PersonPatch,
    ) -> Result<PersonView, AppError> {
        self.write(actor, Action::EditPeople, &Resource::ANY, async |tx| {
            let current = people::record(tx, id, people_scope(actor), 0)
                .await?
                .ok_or(AppError::NotFound)?;
            let Some(version) = patch.version.take() else {
                return Err(AppError::field("version", "Send the version you read"));
            };
            let input = patch.over(input_of(&current.person, &current.tags));
            self.save_person(tx, actor, &current.person, version, &input)
                .await
        })
        .await?;
        self.person_view(actor, id).await
    }

    /// Checks and saves a found person's new details at the version read, with their tags and
    /// any status change; the audit entry saying which fields changed.
    async fn save_person(
        &self,
        tx: &mut Tx,
        actor: &Actor,
        current: &Person,
        version: i64,
        input: &PersonInput,
    ) -> Result<Done<()>, AppError> {
        let now = self.now();
        let id = current.id;
        let (mut row, tags) = validate(input)?;
        row.id = current.id;
        row.version = version;
        check_partner(tx, row.partner_id).await?;
        if current.version != version {
            return Err(AppError::Conflict {
                version: current.version,
                changed: changed_fields(current, &row),
            });
        }
        if !people::update(tx, &row, now).await? {
            return Err(AppError::Conflict {
                version: current.version + 1,
                changed: Vec::new(),
            });
        }
        people::set_tags(tx, id, &tags).await?;
        if row.status != current.status {
            let by = actor.staff().map(|s| s.id);
            let today = today().to_string();
            people::add_status_change(
                tx,
                id,
                row.status.code(),
                &input.status_reason,
                &today,
                by,
                now,
            )
            .await?;
        }
        let changed = changed_fields(current, &row).join(",");
        Ok(Done::new(
            (),
            AuditEvent::PersonUpdate,
            format!("person:{id}"),
            changed,
        ))
    }

    /// A person's record and history. The view is written to the audit trail.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn view_person(&self, actor: &Actor, id: PersonId) -> Result<PersonView, AppError> {
        let view = self.person_view(actor, id).await?;
        self.inner
            .audit_writer
            .record(
                self.now(),
                actor.audit_name(),
                AuditEvent::PersonView,
                format!("person:{id}"),
            )
            .await?;
        Ok(view)
    }

    /// A person's record and history as the actor may see them, not itself audited: callers
    /// audit the view or the change that asked for it.
    async fn person_view(&self, actor: &Actor, id: PersonId) -> Result<PersonView, AppError> {
        authorise(actor, Action::ViewPeople, &Resource::ANY)?;
        let mut tx = self.db().read().await?;
        let record = people::record(&mut tx, id, people_scope(actor), 200)
            .await?
            .ok_or(AppError::NotFound)?;
        tx.commit().await?;
        let contacts = Resource::contacts_of(
            record
                .relationships
                .iter()
                .filter_map(|r| r.staff_contact_id),
        );
        let may_see_restricted = may(actor, Action::SeeRestricted, &contacts);
        let tags = record
            .tags
            .into_iter()
            .filter(|t| !t.restricted || may_see_restricted)
            .collect();
        let can_edit_relationships = record
            .relationships
            .iter()
            .filter(|r| {
                may(
                    actor,
                    Action::EditPeople,
                    &Resource::in_service(r.service_id),
                )
            })
            .map(|r| r.id)
            .collect();
        Ok(PersonView {
            can_edit_relationships,
            person: record.person,
            relationships: record.relationships,
            contacts: record.contacts,
            status_changes: record.status_changes,
            consents: record.consents,
            tags,
            duplicates: record.duplicates,
        })
    }
}
