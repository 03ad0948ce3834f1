//! People and relationships: records, needs, consents, contacts and the keep-in-touch queue.
//! Every read is scoped (see [`people_scope`]) and every view of a person is audited.

use crate::{authorise, may, people_scope, Action, Actor, App, AppError, FieldError, Resource};
use chrono::{NaiveDate, NaiveTime};
use coproduce_domain::people::{
    join_codes, parse_date, parse_list, parse_past_date, Cadence, Channel, ConsentKind, Direction,
    Need, PersonStatus, Postcode, UkPhone,
};
use coproduce_domain::time::uk_day;
use coproduce_domain::AuditEvent;
use coproduce_domain::{Email, PartnerId, PersonId, ServiceId, StaffId, Timestamp};
use coproduce_store::contacts::{self, NewContact};
use coproduce_store::people::{self, ConsentRow, Filter, NewTag, StatusChangeRow};
use coproduce_store::relationships::{self, NewRelationship, QueueFilter};
use coproduce_store::{services, Tx};

pub use coproduce_domain::Person;
pub use coproduce_store::contacts::ContactRow;
pub use coproduce_store::people::TagRow;
pub use coproduce_store::relationships::{QueueRow, RelationshipRow, DAY_MS};
pub use coproduce_store::services::{PartnerRow, ServiceRow};

/// How far ahead the keep-in-touch queue looks.
pub const DUE_SOON_DAYS: i64 = 7;
/// The most people one download holds.
pub const EXPORT_LIMIT: i64 = 200_000;
/// People per page of search results.
pub const PAGE_SIZE: i64 = 25;

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

fn today() -> NaiveDate {
    uk_day(Timestamp::now())
}

fn optional<T>(
    text: &str,
    field: &'static str,
    parse: impl Fn(&str) -> Result<T, String>,
    problems: &mut Vec<FieldError>,
) -> Option<T> {
    if text.trim().is_empty() {
        return None;
    }
    match parse(text) {
        Ok(v) => Some(v),
        Err(m) => {
            problems.push(FieldError::new(field, m));
            None
        }
    }
}

fn tag_list(text: &str, kind: &str, restricted: bool) -> Vec<NewTag> {
    let mut out: Vec<NewTag> = Vec::new();
    for name in text.split(',').map(str::trim).filter(|t| !t.is_empty()) {
        let name: String = name.chars().take(60).collect();
        if !out.iter().any(|(_, n, _)| n.eq_ignore_ascii_case(&name)) {
            out.push((kind.to_owned(), name, restricted));
        }
    }
    out
}

/// Checks a person's details; returns the record to store and their tags, or every problem.
pub(crate) fn validate(input: &PersonInput) -> Result<(Person, Vec<NewTag>), AppError> {
    let mut problems = Vec::new();
    let name = input.name.trim();
    if name.is_empty() {
        problems.push(FieldError::new("name", "Enter their name"));
    } else if name.chars().count() > 200 {
        problems.push(FieldError::new(
            "name",
            "Name must be 200 characters or fewer",
        ));
    }
    let dob = optional(
        &input.date_of_birth,
        "date_of_birth",
        |t| parse_past_date(t, today()).map_err(|e| e.0),
        &mut problems,
    );
    let email = optional(
        &input.email,
        "email",
        |t| Email::parse(t).map_err(|e| e.to_string()),
        &mut problems,
    );
    let phone = optional(
        &input.phone,
        "phone",
        |t| UkPhone::parse(t).map_err(|e| e.0),
        &mut problems,
    );
    let postcode = optional(
        &input.postcode,
        "postcode",
        |t| Postcode::parse(t).map_err(|e| e.0),
        &mut problems,
    );
    let status = if input.status.trim().is_empty() {
        Some(PersonStatus::Active)
    } else {
        let s = PersonStatus::parse(&input.status);
        if s.is_none() {
            problems.push(FieldError::new("status", "Choose a status"));
        }
        s
    };
    let channels: Vec<Channel> = input
        .channels
        .iter()
        .filter_map(|c| Channel::parse(c))
        .collect::<Vec<_>>();
    let channels = parse_list(&join_codes(&channels, Channel::code), Channel::parse);
    let needs = parse_list(&input.needs.join(","), Need::parse);
    if needs.contains(&Need::Interpreter) && input.interpreter_language.trim().is_empty() {
        problems.push(FieldError::new(
            "interpreter_language",
            "Enter the language they need an interpreter for",
        ));
    }
    if !problems.is_empty() {
        return Err(AppError::Invalid(problems));
    }
    let row = Person {
        id: PersonId(0),
        name: name.to_owned(),
        preferred_name: input.preferred_name.trim().to_owned(),
        pronouns: input.pronouns.trim().to_owned(),
        date_of_birth: dob,
        email: email.map(|e| e.as_str().to_owned()),
        phone: phone.map(|p| p.as_str().to_owned()),
        address: input.address.trim().to_owned(),
        postcode: postcode.map(|p| p.as_str().to_owned()),
        partner_id: input.partner_id.trim().parse().ok().map(PartnerId),
        status: status.unwrap_or(PersonStatus::Active),
        channels,
        best_times: input.best_times.trim().to_owned(),
        needs,
        interpreter_language: input.interpreter_language.trim().to_owned(),
        needs_notes: input.needs_notes.trim().to_owned(),
        version: 0,
    };
    let mut tags = tag_list(&input.interests, "interest", false);
    tags.extend(tag_list(
        &input.lived_experience,
        "lived_experience",
        input.lived_experience_restricted,
    ));
    Ok((row, tags))
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
    pub relationships: Vec<RelationshipRow>,
    /// Their contacts, newest first.
    pub contacts: Vec<ContactRow>,
    /// Their status history.
    pub status_changes: Vec<StatusChangeRow>,
    /// Their consent records.
    pub consents: Vec<ConsentRow>,
    /// Their tags the viewer may see.
    pub tags: Vec<TagRow>,
    /// Other people who are likely the same person, for a merge decision.
    pub duplicates: Vec<Person>,
    /// The relationships (by id) the viewer may change, as the policy decided.
    pub can_edit_relationships: Vec<i64>,
}

impl PersonView {
    /// The stored record as the person form is filled in, so that an edit or a patch starts
    /// from what is there.
    pub fn input(&self) -> PersonInput {
        input_of(&self.person, &self.tags)
    }
}

/// A record and its tags as typed into the person form.
fn input_of(r: &Person, tags: &[TagRow]) -> PersonInput {
    let names = |kind: &str| {
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
        interests: names("interest"),
        lived_experience: names("lived_experience"),
        lived_experience_restricted: tags
            .iter()
            .any(|t| t.kind == "lived_experience" && t.restricted),
        partner_id: r.partner_id.map(|id| id.to_string()).unwrap_or_default(),
    }
}

/// Changes to a person as sent: only the fields given change, merged over the stored record in
/// the change's own transaction. `version` is the one read.
#[derive(Clone, Debug, Default)]
pub struct PersonPatch {
    /// The version read; a stale one is a conflict.
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
    /// Status code.
    pub status: Option<String>,
    /// Why the status changed.
    pub status_reason: Option<String>,
    /// Channel codes, first choice first.
    pub channels: Option<Vec<String>>,
    /// Best times.
    pub best_times: Option<String>,
    /// Need codes.
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

/// One page of search results.
#[derive(Clone, Debug)]
pub struct SearchPage {
    /// The people.
    pub people: Vec<Person>,
    /// The cursor for the next page.
    pub next_cursor: Option<String>,
}

/// What a search asks for, as typed.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct SearchInput {
    /// Words to find in name, email or phone.
    pub q: String,
    /// A service id.
    pub service: String,
    /// A status code.
    pub status: String,
    /// A tag.
    pub tag: String,
    /// Only people overdue a contact.
    pub overdue: bool,
    /// Where the page starts.
    pub cursor: String,
}

fn encode_cursor(p: &Person) -> String {
    hex::encode(format!("{}\u{1f}{}", p.name, p.id))
}

fn decode_cursor(text: &str) -> Option<(String, i64)> {
    let bytes = hex::decode(text).ok()?;
    let s = String::from_utf8(bytes).ok()?;
    let (name, id) = s.split_once('\u{1f}')?;
    Some((name.to_owned(), id.parse().ok()?))
}

/// How a queue is narrowed, as asked.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct QueueInput {
    /// A service id.
    pub service: String,
    /// A staff member's id, or `mine`.
    pub contact: String,
    /// How many rows to skip (for the next page).
    pub from: i64,
}

/// Rows of the keep-in-touch queue shown at once.
pub const QUEUE_PAGE: i64 = 50;

/// One page of the keep-in-touch queue.
#[derive(Clone, Debug)]
pub struct QueuePage {
    /// The rows, most overdue first.
    pub rows: Vec<QueueRow>,
    /// Where the next page starts, if there is one.
    pub next_from: Option<i64>,
}

impl App {
    /// The services an actor may add people to: all for admins, their own for staff.
    pub(crate) async fn allowed_service(
        &self,
        tx: &mut Tx,
        actor: &Actor,
        service: &str,
    ) -> Result<services::ServiceRow, AppError> {
        let found = services::find_by_name_or_id(tx, service)
            .await?
            .ok_or_else(|| AppError::field("service_id", "Choose a service"))?;
        if may(
            actor,
            Action::EditPeople,
            &Resource::in_service(ServiceId(found.id)),
        ) {
            Ok(found)
        } else {
            Err(AppError::field(
                "service_id",
                "Choose one of your own services",
            ))
        }
    }

    /// Adds a person with a first relationship with a service (so the staff who added them can see
    /// them), named to the adding staff member.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn create_person(
        &self,
        actor: &Actor,
        input: &PersonInput,
        service: &str,
    ) -> Result<i64, AppError> {
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
    ) -> Result<i64, AppError> {
        authorise(actor, Action::EditPeople, &Resource::ANY)?;
        let validated = validate(input);
        let mut tx = self.db().write().await?;
        let service = self.allowed_service(&mut tx, actor, service).await;
        let ((row, tags), service) = match (validated, service) {
            (Ok(v), Ok(s)) => (v, s),
            (Err(AppError::Invalid(mut a)), Err(AppError::Invalid(b))) => {
                a.extend(b);
                return Err(AppError::Invalid(a));
            }
            (Err(e), _) | (_, Err(e)) => return Err(e),
        };
        let id = self
            .add_person(
                &mut tx,
                actor,
                (&row, &tags),
                &input.status_reason,
                &service,
            )
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Stores a checked person with their tags, first status and first relationship, and audits
    /// it: adding someone on the people pages and converting an enquiry both come here.
    pub(crate) async fn add_person(
        &self,
        tx: &mut Tx,
        actor: &Actor,
        (row, tags): (&Person, &[NewTag]),
        status_reason: &str,
        service: &services::ServiceRow,
    ) -> Result<i64, AppError> {
        let now = self.now();
        check_partner(tx, row.partner_id).await?;
        let id = people::insert(tx, row, now).await?;
        people::set_tags(tx, id, tags).await?;
        let today = today().to_string();
        let by = actor.staff().map(|s| s.id);
        people::add_status_change(tx, id, row.status.code(), status_reason, &today, by, now)
            .await?;
        start_relationship(tx, id, service, by, &today, now).await?;
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

    /// Saves changes to a person if nobody else saved first; otherwise says which fields they
    /// changed, and changes nothing.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn update_person(
        &self,
        actor: &Actor,
        id: i64,
        version: i64,
        input: &PersonInput,
    ) -> Result<(), AppError> {
        authorise(actor, Action::EditPeople, &Resource::ANY)?;
        let mut tx = self.db().write().await?;
        // Found in scope before the input is read, so those who may not see them learn nothing.
        let current = people::find(&mut tx, id, people_scope(actor))
            .await?
            .ok_or(AppError::NotFound)?;
        self.save_person(&mut tx, actor, &current, version, input)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Changes only the fields a patch sends, merged over the stored record (all of its tags,
    /// seen or not) in one transaction, and answers with the record: one audit entry, the change.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn patch_person(
        &self,
        actor: &Actor,
        id: i64,
        mut patch: PersonPatch,
    ) -> Result<PersonView, AppError> {
        authorise(actor, Action::EditPeople, &Resource::ANY)?;
        let mut tx = self.db().write().await?;
        let current = people::record(&mut tx, id, people_scope(actor), 0)
            .await?
            .ok_or(AppError::NotFound)?;
        let Some(version) = patch.version.take() else {
            return Err(AppError::field("version", "Send the version you read"));
        };
        let input = patch.over(input_of(&current.person, &current.tags));
        self.save_person(&mut tx, actor, &current.person, version, &input)
            .await?;
        tx.commit().await?;
        self.person_view(actor, id).await
    }

    /// Checks and saves a found person's new details at the version read, with their tags and
    /// any status change, and audits which fields changed.
    async fn save_person(
        &self,
        tx: &mut Tx,
        actor: &Actor,
        current: &Person,
        version: i64,
        input: &PersonInput,
    ) -> Result<(), AppError> {
        let now = self.now();
        let id = current.id.0;
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
        self.audit(
            tx,
            actor,
            AuditEvent::PersonUpdate,
            &format!("person:{id}"),
            &changed,
        )
        .await
    }

    /// A person's record and history. The view is written to the audit trail.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn view_person(&self, actor: &Actor, id: i64) -> Result<PersonView, AppError> {
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
    async fn person_view(&self, actor: &Actor, id: i64) -> Result<PersonView, AppError> {
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
                .filter_map(|r| r.staff_contact_id.map(StaffId)),
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
                    &Resource::in_service(ServiceId(r.service_id)),
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

    /// Finds people, a page at a time, by name.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn search_people(
        &self,
        actor: &Actor,
        input: &SearchInput,
    ) -> Result<SearchPage, AppError> {
        authorise(actor, Action::ViewPeople, &Resource::ANY)?;
        let filter = self.search_filter(input);
        let mut tx = self.db().read().await?;
        let mut found =
            people::search(&mut tx, &filter, people_scope(actor), PAGE_SIZE + 1).await?;
        tx.commit().await?;
        let next_cursor = if found.len() as i64 > PAGE_SIZE {
            found.truncate(PAGE_SIZE as usize);
            found.last().map(encode_cursor)
        } else {
            None
        };
        Ok(SearchPage {
            people: found,
            next_cursor,
        })
    }

    /// The storage filter for what a search asks.
    fn search_filter(&self, input: &SearchInput) -> Filter {
        let text = input.q.trim().to_lowercase();
        let digits: String = text.chars().filter(char::is_ascii_digit).collect();
        // A phone number is stored as national digits: search for it the same way.
        let text = if digits.len() >= 6 && digits.len() * 2 > text.len() {
            UkPhone::parse(&text)
                .map(|p| p.as_str().to_owned())
                .unwrap_or(digits)
        } else {
            text
        };
        Filter {
            text: (!text.is_empty()).then_some(text),
            service_id: input.service.trim().parse().ok(),
            status: PersonStatus::parse(&input.status).map(|s| s.code().to_owned()),
            tag: (!input.tag.trim().is_empty()).then(|| input.tag.trim().to_owned()),
            overdue_at: input.overdue.then(|| self.now()),
            after: decode_cursor(&input.cursor),
        }
    }

    /// Every person a search finds (not a page of them), for a download. The export is audited
    /// with how many people it held.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn export_people(
        &self,
        actor: &Actor,
        input: &SearchInput,
    ) -> Result<Vec<Person>, AppError> {
        authorise(actor, Action::ViewPeople, &Resource::ANY)?;
        let filter = Filter {
            after: None,
            ..self.search_filter(input)
        };
        let mut tx = self.db().read().await?;
        let found = people::search(&mut tx, &filter, people_scope(actor), EXPORT_LIMIT).await?;
        tx.commit().await?;
        let mut tx = self.db().write().await?;
        self.audit(
            &mut tx,
            actor,
            AuditEvent::PeopleExport,
            "people",
            &format!("{} people", found.len()),
        )
        .await?;
        tx.commit().await?;
        Ok(found)
    }

    /// Logs a contact. The same form submitted twice logs one contact.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn log_contact(
        &self,
        actor: &Actor,
        person_id: i64,
        input: &ContactInput,
    ) -> Result<i64, AppError> {
        authorise(actor, Action::EditPeople, &Resource::ANY)?;
        let mut problems = Vec::new();
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
        let now = self.now();
        let occurred_at = match occurred_at(&input.date, &input.time, now) {
            Ok(t) => Some(t),
            Err(e) => {
                problems.push(e);
                None
            }
        };
        let follow_up = optional(
            &input.follow_up_on,
            "follow_up_on",
            |t| parse_date(t).map_err(|e| e.0),
            &mut problems,
        );
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
        let (Some(channel), Some(direction), Some(occurred_at), true) =
            (channel, direction, occurred_at, problems.is_empty())
        else {
            return Err(AppError::Invalid(problems));
        };
        let key = input.submission_key.trim();
        let follow = follow_up.map(|d| d.to_string());
        let new = NewContact {
            person_id,
            relationship_id: relationship,
            occurred_at,
            channel: channel.code(),
            direction: direction.code(),
            staff_id: actor.staff().map(|s| s.id.0),
            summary,
            follow_up_on: follow.as_deref(),
            submission_key: (!key.is_empty()).then_some(key),
        };
        let (id, created) = contacts::insert(&mut tx, &new, now).await?;
        if created {
            // A contact that names no relationship counts towards every active one it can.
            let counted: Vec<i64> = match relationship {
                Some(r) => vec![r],
                None => relationships
                    .iter()
                    .filter(|r| r.status == "active")
                    .map(|r| r.id)
                    .collect(),
            };
            for r in counted {
                relationships::count_contact(&mut tx, r, occurred_at).await?;
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

    /// Starts a relationship between a person and a service.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn add_relationship(
        &self,
        actor: &Actor,
        person_id: i64,
        service: &str,
        staff_contact: Option<i64>,
        cadence: &str,
    ) -> Result<i64, AppError> {
        authorise(actor, Action::EditPeople, &Resource::ANY)?;
        let mut tx = self.db().write().await?;
        people::find(&mut tx, person_id, people_scope(actor))
            .await?
            .ok_or(AppError::NotFound)?;
        let service = self.allowed_service(&mut tx, actor, service).await?;
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
            next_review_on: None,
            due_at: now.plus_minutes(cadence.days() * DAY_MS / 60_000),
        };
        let id = relationships::insert(&mut tx, &new, now)
            .await
            .map_err(AppError::from_store_for("service_id"))?;
        self.audit(
            &mut tx,
            actor,
            AuditEvent::RelationshipAdd,
            &format!("person:{person_id}"),
            &format!("service:{}", service.id),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Records consent given or withdrawn (a new record each time).
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn record_consent(
        &self,
        actor: &Actor,
        person_id: i64,
        kind: &str,
        given: &str,
        note: &str,
    ) -> Result<(), AppError> {
        authorise(actor, Action::EditPeople, &Resource::ANY)?;
        let now = self.now();
        let mut tx = self.db().write().await?;
        // Found in scope before the input is read.
        people::find(&mut tx, person_id, people_scope(actor))
            .await?
            .ok_or(AppError::NotFound)?;
        let mut problems = Vec::new();
        let kind = ConsentKind::parse(kind);
        if kind.is_none() {
            problems.push(FieldError::new("kind", "Choose what the consent is for"));
        }
        let given = match given {
            "yes" | "true" => Some(true),
            "no" | "false" => Some(false),
            _ => {
                problems.push(FieldError::new(
                    "given",
                    "Choose whether they gave or withdrew consent",
                ));
                None
            }
        };
        let (Some(kind), Some(given)) = (kind, given) else {
            return Err(AppError::Invalid(problems));
        };
        people::add_consent(
            &mut tx,
            person_id,
            kind.code(),
            given,
            note.trim(),
            actor.staff().map(|s| s.id),
            now,
        )
        .await?;
        let detail = format!("{}={given}", kind.code());
        self.audit(
            &mut tx,
            actor,
            AuditEvent::ConsentRecord,
            &format!("person:{person_id}"),
            &detail,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Who is overdue or due a contact within a week, most overdue first.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn keep_in_touch(
        &self,
        actor: &Actor,
        input: &QueueInput,
    ) -> Result<QueuePage, AppError> {
        authorise(actor, Action::ViewPeople, &Resource::ANY)?;
        let contact = match input.contact.trim() {
            "mine" => actor.staff().map(|s| s.id.0),
            other => other.parse().ok(),
        };
        let filter = QueueFilter {
            service_id: input.service.trim().parse().ok(),
            staff_contact_id: contact,
        };
        let horizon = self.now().plus_days(DUE_SOON_DAYS);
        let scope = people_scope(actor);
        let from = input.from.max(0);
        let mut tx = self.db().read().await?;
        // One more than a page says whether there is a next page without counting them all.
        let mut rows =
            relationships::queue(&mut tx, filter, scope, horizon, QUEUE_PAGE + 1, from).await?;
        tx.commit().await?;
        let next_from = (rows.len() as i64 > QUEUE_PAGE).then_some(from + QUEUE_PAGE);
        rows.truncate(QUEUE_PAGE as usize);
        Ok(QueuePage { rows, next_from })
    }

    /// Services, for forms and filters.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn services(&self) -> Result<Vec<services::ServiceRow>, AppError> {
        let mut tx = self.db().read().await?;
        let rows = services::list(&mut tx).await?;
        tx.commit().await?;
        Ok(rows)
    }

    /// The moment the queue and pages treat as now.
    pub fn now_for_display(&self) -> Timestamp {
        self.now()
    }
}

/// Refuses a partner that does not exist (or is archived).
async fn check_partner(tx: &mut Tx, partner: Option<PartnerId>) -> Result<(), AppError> {
    if let Some(id) = partner {
        if !services::partners(tx).await?.iter().any(|p| p.id == id.0) {
            return Err(AppError::field(
                "partner_id",
                "Choose one of the partners listed",
            ));
        }
    }
    Ok(())
}

/// Starts a new person's first relationship: with a service, named to whoever added them, at the
/// service's usual cadence, due now (a new person is someone to call).
pub(crate) async fn start_relationship(
    tx: &mut Tx,
    person_id: i64,
    service: &services::ServiceRow,
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
    person_id: i64,
    service: &services::ServiceRow,
    by: Option<StaffId>,
    today: &'a str,
    now: Timestamp,
) -> NewRelationship<'a> {
    NewRelationship {
        person_id,
        service_id: service.id,
        group_id: None,
        staff_contact_id: by.map(|s| s.0),
        started_on: today,
        cadence_days: service.default_cadence_days,
        next_review_on: None,
        due_at: now,
    }
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

/// Fills the gaps in one record from another: anything `keep` lacks that `other` has.
fn fill_gaps(keep: &mut Person, other: &Person) {
    fn take(mine: &mut String, theirs: &str) {
        if mine.is_empty() {
            theirs.clone_into(mine);
        }
    }
    fn take_opt<T: Clone>(mine: &mut Option<T>, theirs: &Option<T>) {
        if mine.is_none() {
            mine.clone_from(theirs);
        }
    }
    fn take_list<T: Clone>(mine: &mut Vec<T>, theirs: &[T]) {
        if mine.is_empty() {
            theirs.clone_into(mine);
        }
    }
    take(&mut keep.preferred_name, &other.preferred_name);
    take(&mut keep.pronouns, &other.pronouns);
    take_opt(&mut keep.date_of_birth, &other.date_of_birth);
    take_opt(&mut keep.email, &other.email);
    take_opt(&mut keep.phone, &other.phone);
    take(&mut keep.address, &other.address);
    take_opt(&mut keep.postcode, &other.postcode);
    take_list(&mut keep.channels, &other.channels);
    take(&mut keep.best_times, &other.best_times);
    take_list(&mut keep.needs, &other.needs);
    take(&mut keep.interpreter_language, &other.interpreter_language);
    take(&mut keep.needs_notes, &other.needs_notes);
    take_opt(&mut keep.partner_id, &other.partner_id);
}

impl App {
    /// Merges `remove` into `keep`: everything recorded about them moves onto `keep`, gaps in
    /// `keep`'s details are filled from `remove`'s, and `remove` is deleted. The audit trail
    /// records the merge with both ids.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn merge_people(
        &self,
        actor: &Actor,
        keep: i64,
        remove: i64,
    ) -> Result<(), AppError> {
        authorise(actor, Action::EditPeople, &Resource::ANY)?;
        if keep == remove {
            return Err(AppError::field(
                "remove",
                "Choose a different person to merge",
            ));
        }
        let scope = people_scope(actor);
        let now = self.now();
        let mut tx = self.db().write().await?;
        let mut kept = people::find(&mut tx, keep, scope)
            .await?
            .ok_or(AppError::NotFound)?;
        let removed = people::find(&mut tx, remove, scope)
            .await?
            .ok_or(AppError::NotFound)?;
        fill_gaps(&mut kept, &removed);
        people::merge_into(&mut tx, keep, remove).await?;
        if !people::update(&mut tx, &kept, now).await? {
            return Err(AppError::Conflict {
                version: kept.version,
                changed: Vec::new(),
            });
        }
        let detail = format!("person:{remove} ({}) merged into this record", removed.name);
        self.audit(
            &mut tx,
            actor,
            AuditEvent::PersonMerge,
            &format!("person:{keep}"),
            &detail,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

/// A change to a relationship, as typed.
#[derive(Clone, Debug, Default, serde::Deserialize)]
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
    pub relationship: RelationshipRow,
    /// Staff who can be its named contact: (id, name).
    pub possible_contacts: Vec<(i64, String)>,
}

impl App {
    async fn scoped_relationship(
        &self,
        tx: &mut Tx,
        actor: &Actor,
        person: i64,
        id: i64,
    ) -> Result<RelationshipRow, AppError> {
        people::find(tx, person, people_scope(actor))
            .await?
            .ok_or(AppError::NotFound)?;
        let found = relationships::find(tx, person, id)
            .await?
            .ok_or(AppError::NotFound)?;
        authorise(
            actor,
            Action::EditPeople,
            &Resource::in_service(ServiceId(found.service_id)),
        )?;
        Ok(found)
    }

    /// A relationship, for changing.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn relationship_form(
        &self,
        actor: &Actor,
        person: i64,
        id: i64,
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
        person: i64,
        id: i64,
        input: &RelationshipInput,
    ) -> Result<(), AppError> {
        authorise(actor, Action::EditPeople, &Resource::ANY)?;
        let mut problems = Vec::new();
        let status = input.status.trim();
        if !matches!(status, "active" | "paused" | "ended") {
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
        let mut tx = self.db().write().await?;
        let current = self.scoped_relationship(&mut tx, actor, person, id).await?;
        let contacts = relationships::possible_contacts(&mut tx, current.service_id).await?;
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
        let (Some(cadence), true) = (cadence, problems.is_empty()) else {
            return Err(AppError::Invalid(problems));
        };
        let review = review.map(|d| d.to_string());
        let change = relationships::RelationshipChange {
            status,
            staff_contact_id: contact,
            cadence_days: cadence.days(),
            next_review_on: review.as_deref(),
        };
        if !relationships::update(&mut tx, id, input.version, &change).await? {
            return Err(AppError::Conflict {
                version: current.version,
                changed: Vec::new(),
            });
        }
        let detail = format!(
            "status={status} cadence={} contact={}",
            cadence.days(),
            contact.map_or("none".to_owned(), |c| format!("staff:{c}"))
        );
        self.audit(
            &mut tx,
            actor,
            AuditEvent::RelationshipUpdate,
            &format!("person:{person}"),
            &detail,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
