//! Enquiries: a member of the public asks to get involved, and the participation team answers,
//! makes a welcome call, and turns the enquiry into a person or closes it with a reason.

use crate::input::text;
use crate::people::{validate, PersonInput, TAG_LIMIT};
use crate::write::Done;
use crate::{authorise, Action, Actor, App, AppError, FieldError, Resource};
use chrono::NaiveDate;
use coproduce_domain::enquiries::{
    working_days_after, EnquiryStatus, KeyProblem, RESPONSE_WORKING_DAYS,
};
use coproduce_domain::enquiries::{Enquiry, Match};
use coproduce_domain::opportunities::Stage;
use coproduce_domain::people::{parse_list, Channel, Need, UkPhone};
use coproduce_domain::secret::sha256_hex;
use coproduce_domain::time::uk_day;
use coproduce_domain::AuditEvent;
use coproduce_domain::EnquiryId;
use coproduce_domain::PersonId;
use coproduce_domain::StaffId;
use coproduce_domain::{Email, Timestamp};
use coproduce_store::contacts::{self, NewContact};
use coproduce_store::enquiries::{self, Change, NewEnquiry};
use coproduce_store::outbox::{self, NewMessage};
use coproduce_store::{relationships, services, staff};

/// Enquiries one address may send in an hour, unless the server is told otherwise.
pub const DEFAULT_ENQUIRIES_PER_HOUR: i64 = 10;

/// How many enquiries a list shows.
pub const LIST_LIMIT: i64 = 500;

/// What someone typed into the "ask to get involved" form.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct EnquiryInput {
    /// Their name.
    pub name: String,
    /// Email address.
    pub email: String,
    /// Phone number.
    pub phone: String,
    /// How they would like us to contact them, most preferred first (channel codes).
    pub channels: Vec<String>,
    /// When is best.
    pub best_times: String,
    /// Need codes.
    pub needs: Vec<String>,
    /// Anything else about their needs.
    pub needs_notes: String,
    /// What they are interested in, in their words.
    pub interests: String,
    /// The opportunity they are asking about, if any.
    pub opportunity_id: String,
    /// The community group they belong to or ask for, if any.
    pub community_group: String,
    /// `yes` when they agree to us holding these details.
    pub consent: String,
    /// The form's key (when it was shown, and a random part).
    pub form_key: String,
    /// A field people never see; anything in it means a machine filled the form.
    pub website: String,
}

/// What the thank-you page says.
#[derive(Clone, Debug)]
pub struct Received {
    /// The enquiry's id.
    pub id: i64,
    /// The UK date the team will be in touch by.
    pub respond_by: NaiveDate,
    /// Whether a confirmation email was queued.
    pub confirmation: bool,
}

/// The team's work on an enquiry, as sent from its page.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct EnquiryAction {
    /// The version the page showed.
    pub version: i64,
    /// For assigning: the staff id, or empty for nobody.
    pub staff_id: String,
    /// For the welcome call: what was said.
    pub notes: String,
    /// For converting: the service whose relationship they start with.
    pub service_id: String,
    /// For closing: why.
    pub reason: String,
    /// For converting: someone already on record to link the enquiry to, instead of adding a
    /// new person.
    pub person_id: String,
    /// For converting: `yes` to add a new person even though someone with the same email
    /// address or phone number is on record (a family sharing one, say).
    pub new_anyway: String,
}

/// A list of enquiries and how many there are in each status.
#[derive(Clone, Debug)]
pub struct EnquiryList {
    /// The enquiries.
    pub rows: Vec<Enquiry>,
    /// How many are new (waiting), converted and closed.
    pub counts: [i64; 3],
    /// Today's UK date, for telling which are overdue.
    pub today: String,
}

/// A hash of where a request came from, for rate limits; the address itself is never stored.
pub fn client_key(address: &str) -> String {
    sha256_hex(&format!("client:{address}"))[..32].to_owned()
}

fn form_problem(p: KeyProblem) -> AppError {
    AppError::field(
        "form",
        match p {
            KeyProblem::Unreadable | KeyProblem::Forged | KeyProblem::TooOld | KeyProblem::TooQuick => {
                "This form has expired. Check your answers, then send it again."
            }
            KeyProblem::Used => {
                "You sent this form already, with other answers; we have those. To send these answers as well, send the form again."
            }
        },
    )
}

/// Checks the form's answers; returns what to store, or every problem.
fn checked(input: &EnquiryInput) -> Result<NewEnquiry, AppError> {
    let mut problems = Vec::new();
    let name = input.name.trim();
    if name.is_empty() {
        problems.push(FieldError::new("name", "Enter your name"));
    } else if name.chars().count() > 200 {
        problems.push(FieldError::new(
            "name",
            "Your name must be 200 characters or fewer",
        ));
    }
    let email = match input.email.trim() {
        "" => None,
        text => match Email::parse(text) {
            Ok(e) => Some(e.as_str().to_owned()),
            Err(_) => {
                problems.push(FieldError::new(
                    "email",
                    "Enter an email address like name@example.com",
                ));
                None
            }
        },
    };
    let phone = match input.phone.trim() {
        "" => None,
        text => match UkPhone::parse(text) {
            Ok(p) => Some(p.as_str().to_owned()),
            Err(e) => {
                problems.push(FieldError::new("phone", e.0));
                None
            }
        },
    };
    if input.email.trim().is_empty() && input.phone.trim().is_empty() {
        problems.push(FieldError::new(
            "email",
            "Enter an email address or a phone number, so we can reply",
        ));
    }
    let channels: Vec<&str> = input
        .channels
        .iter()
        .filter_map(|c| Channel::parse(c))
        .map(Channel::code)
        .collect();
    let needs: Vec<&str> = input
        .needs
        .iter()
        .filter_map(|c| Need::parse(c))
        .map(Need::code)
        .collect();
    let best_times = text(
        "best_times",
        &input.best_times,
        500,
        "When is best",
        &mut problems,
    );
    let needs_notes = text(
        "needs_notes",
        &input.needs_notes,
        2000,
        "Anything else about your needs",
        &mut problems,
    );
    let interests = text(
        "interests",
        &input.interests,
        2000,
        "What you would like to be involved in",
        &mut problems,
    );
    let community_group = text(
        "community_group",
        &input.community_group,
        200,
        "The community group's name",
        &mut problems,
    );
    let opportunity_id = match input.opportunity_id.trim() {
        "" => None,
        text => text.parse().ok(),
    };
    if input.consent != "yes" {
        problems.push(FieldError::new(
            "consent",
            "Tick the box to say we may keep these details, so we can reply to you",
        ));
    }
    if !problems.is_empty() {
        return Err(AppError::Invalid(problems));
    }
    Ok(NewEnquiry {
        submission_key: input.form_key.trim().to_owned(),
        name: name.to_owned(),
        email,
        phone,
        channels: channels.join(","),
        best_times,
        needs: needs.join(","),
        needs_notes,
        interests,
        opportunity_id,
        community_group,
        ..NewEnquiry::default()
    })
    .map(|mut new| {
        new.submission_hash = coproduce_domain::secret::sha256_hex(&format!(
            "{:?}",
            (
                &new.name,
                &new.email,
                &new.phone,
                &new.channels,
                &new.best_times,
                &new.needs,
                &new.needs_notes,
                &new.interests,
                // The bare number, as before ids were typed: a form sent again after an upgrade
                // is still the same enquiry.
                new.opportunity_id.map(|o| o.0),
                &new.community_group,
            )
        ));
        new
    })
}

/// The confirmation's words. They leave out what was typed into the form (the name included), as
/// anyone can type any email address there.
fn confirmation(organisation: &str, by: &str, easy_read: bool) -> (String, String) {
    if easy_read {
        (
            "Thank you for asking to get involved".to_owned(),
            format!(
                "Hello.\n\nThank you for asking to get involved.\n\nWe have your details.\n\nSomeone from {organisation} will call or write to you.\n\nThey will do this by {by}.\n\nYou do not need to do anything now."
            ),
        )
    } else {
        (
            format!("{organisation}: we have your request to get involved"),
            format!(
                "Hello,\n\nThank you for asking to get involved with {organisation}. We have your request.\n\nSomeone from our participation team will contact you by {by}, the way you asked us to, to talk about what you would like to do and what support you need.\n\nYou do not need to do anything now. If you did not ask to get involved, you can ignore this email."
            ),
        )
    }
}

impl App {
    /// Sets how many enquiries one address may send in an hour; 0 turns the limit off (for a
    /// load test from one address, or where a proxy in front limits rates).
    pub fn set_enquiry_limit(&self, per_hour: i64) {
        self.inner
            .enquiry_limit
            .store(per_hour.max(0), std::sync::atomic::Ordering::Relaxed);
    }

    /// Stores an enquiry from the public, durably, before saying it was received. The same form
    /// sent twice is one enquiry. A machine-filled form (its hidden field filled in) or too many
    /// from one address are refused; nothing typed is stored then. One sent back sooner than a
    /// person could type it, as a browser's autofill does, is kept but held for the team to
    /// review, marked, and sent no confirmation until they do: a person is never told they look
    /// like a program.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn submit_enquiry(
        &self,
        input: &EnquiryInput,
        address: &str,
    ) -> Result<Received, AppError> {
        if !input.website.trim().is_empty() {
            return Err(form_problem(KeyProblem::TooQuick));
        }
        let sent_quickly = match self.check_form_key(input.form_key.trim()).await? {
            Ok(()) => false,
            Err(KeyProblem::TooQuick) => true,
            Err(p) => return Err(form_problem(p)),
        };
        let mut new = checked(input)?;
        new.sent_quickly = sent_quickly;
        self.store_enquiry(&Actor::Public, new, &client_key(address), true)
            .await
    }

    /// Records an enquiry that came another way (a phone call, a partner's website) through the
    /// API, once per idempotency key.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn record_enquiry(
        &self,
        actor: &Actor,
        input: &EnquiryInput,
    ) -> Result<Received, AppError> {
        authorise(actor, Action::ManageEnquiries, &Resource::ANY)?;
        let key = input.form_key.trim();
        if key.is_empty() || key.len() > 200 {
            return Err(AppError::field(
                "idempotency_key",
                "Send an idempotency key of up to 200 characters, the same on every retry",
            ));
        }
        let mut new = checked(input)?;
        new.submission_key = format!("api:{key}");
        self.store_enquiry(actor, new, &actor.audit_name(), false)
            .await
    }

    async fn store_enquiry(
        &self,
        actor: &Actor,
        mut new: NewEnquiry,
        client: &str,
        limited: bool,
    ) -> Result<Received, AppError> {
        let now = self.now();
        let today = uk_day(now);
        let respond_by = working_days_after(today, RESPONSE_WORKING_DAYS);
        new.respond_by = respond_by.to_string();
        new.client_key = client.to_owned();
        let mut tx = self.db().write().await?;
        if let Some(o) = new.opportunity_id {
            if !coproduce_store::opportunities::is_public(&mut tx, o, &today.to_string()).await? {
                new.opportunity_id = None;
            }
        }
        let limit = self
            .inner
            .enquiry_limit
            .load(std::sync::atomic::Ordering::Relaxed);
        if limited && limit > 0 {
            let recent =
                enquiries::count_from(&mut tx, &new.client_key, now.plus_minutes(-60)).await?;
            if recent >= limit && !enquiries::key_used(&mut tx, &new.submission_key).await? {
                return Err(AppError::Throttled);
            }
        }
        let (id, added) = match enquiries::insert(&mut tx, &new, now).await? {
            enquiries::Stored::Added(id) => (id, true),
            enquiries::Stored::Again(id) => (id, false),
            enquiries::Stored::KeyUsed => return Err(form_problem(KeyProblem::Used)),
        };
        let mut confirmation_sent = false;
        if let (true, false, Some(email)) = (added, new.sent_quickly, &new.email) {
            let organisation = coproduce_store::settings::get(&mut tx, "organisation_name")
                .await?
                .unwrap_or_else(|| "coproduce".to_owned());
            let easy_read = new.needs.split(',').any(|n| n == "easy_read");
            let by = respond_by.format("%A %-d %B %Y").to_string();
            let (subject, body) = confirmation(&organisation, &by, easy_read);
            let key = format!("enquiry:{id}:received");
            outbox::enqueue(
                &mut tx,
                &[NewMessage {
                    dedupe_key: &key,
                    kind: "enquiry_received",
                    channel: "email",
                    person_id: None,
                    meeting_id: None,
                    recipient: email,
                    recipient_name: "",
                    subject: &subject,
                    body: &body,
                    easy_read,
                    send_after: now,
                }],
                now,
            )
            .await?;
            confirmation_sent = true;
        }
        if added {
            crate::audit::record(
                &mut tx,
                self.audit_key(),
                actor,
                now,
                AuditEvent::EnquiryAdd,
                &format!("enquiry:{id}"),
                "",
            )
            .await?;
        }
        tx.commit().await?;
        Ok(Received {
            id,
            respond_by,
            confirmation: confirmation_sent || (!added && new.email.is_some()),
        })
    }

    /// Enquiries in one status (`new` by default): waiting ones by when they are due.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn enquiries(&self, actor: &Actor, status: &str) -> Result<EnquiryList, AppError> {
        authorise(actor, Action::ManageEnquiries, &Resource::ANY)?;
        let status = EnquiryStatus::parse(status).unwrap_or(EnquiryStatus::New);
        let mut tx = self.db().read().await?;
        let rows = enquiries::list(&mut tx, status.code(), LIST_LIMIT).await?;
        let mut counts = [0; 3];
        for (s, n) in enquiries::counts(&mut tx).await? {
            if let Some(i) = EnquiryStatus::ALL.iter().position(|x| x.code() == s) {
                counts[i] = n;
            }
        }
        tx.commit().await?;
        Ok(EnquiryList {
            rows,
            counts,
            today: uk_day(self.now()).to_string(),
        })
    }

    /// One enquiry (its viewing is audited, as it is someone's details).
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn view_enquiry(&self, actor: &Actor, id: EnquiryId) -> Result<Enquiry, AppError> {
        authorise(actor, Action::ManageEnquiries, &Resource::ANY)?;
        let mut tx = self.db().read().await?;
        let found = enquiries::find(&mut tx, id)
            .await?
            .ok_or(AppError::NotFound)?;
        tx.commit().await?;
        self.inner
            .audit_writer
            .record(
                self.now(),
                actor.audit_name(),
                AuditEvent::EnquiryView,
                format!("enquiry:{id}"),
            )
            .await?;
        Ok(found)
    }

    /// Gives an open enquiry to a staff member, or to nobody.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn assign_enquiry(
        &self,
        actor: &Actor,
        id: EnquiryId,
        input: &EnquiryAction,
    ) -> Result<(), AppError> {
        self.write(actor, Action::ManageEnquiries, &Resource::ANY, async |tx| {
            let staff_id = match input.staff_id.trim() {
                "" => None,
                text => Some(
                    text.parse::<StaffId>()
                        .map_err(|_| AppError::field("staff_id", "Choose who will deal with it"))?,
                ),
            };
            if let Some(s) = staff_id {
                staff::find(tx, s)
                    .await?
                    .filter(|s| s.disabled_at.is_none())
                    .ok_or_else(|| AppError::field("staff_id", "Choose who will deal with it"))?;
            }
            let change = Change::Assign(staff_id);
            self.change_enquiry(tx, id, input.version, change, AuditEvent::EnquiryAssign)
                .await
        })
        .await
    }

    /// Records the welcome call.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn record_welcome_call(
        &self,
        actor: &Actor,
        id: EnquiryId,
        input: &EnquiryAction,
    ) -> Result<(), AppError> {
        self.write(actor, Action::ManageEnquiries, &Resource::ANY, async |tx| {
            let mut problems = Vec::new();
            let notes = text("notes", &input.notes, 2000, "Notes", &mut problems);
            if notes.is_empty() {
                problems.push(FieldError::new("notes", "Enter what you talked about"));
            }
            if !problems.is_empty() {
                return Err(AppError::Invalid(problems));
            }
            let change = Change::WelcomeCall {
                at: self.now(),
                by: actor.staff().map(|s| s.id.0),
                notes: &notes,
            };
            let what = AuditEvent::EnquiryWelcomeCall;
            self.change_enquiry(tx, id, input.version, change, what)
                .await
        })
        .await
    }

    /// Closes an open enquiry, with a reason.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn close_enquiry(
        &self,
        actor: &Actor,
        id: EnquiryId,
        input: &EnquiryAction,
    ) -> Result<(), AppError> {
        self.write(actor, Action::ManageEnquiries, &Resource::ANY, async |tx| {
            let mut problems = Vec::new();
            let reason = text("reason", &input.reason, 500, "The reason", &mut problems);
            if reason.is_empty() {
                problems.push(FieldError::new("reason", "Enter why it is being closed"));
            }
            if !problems.is_empty() {
                return Err(AppError::Invalid(problems));
            }
            let change = Change::Close(&reason);
            self.change_enquiry(tx, id, input.version, change, AuditEvent::EnquiryClose)
                .await
        })
        .await
    }

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
            interests: e
                .interests
                .split([',', '\n'])
                .map(str::trim)
                // A longer interest, written as a sentence, stays on the enquiry in full
                // rather than being cut to make a tag.
                .filter(|t| !t.is_empty() && t.chars().count() <= TAG_LIMIT)
                .take(10)
                .collect::<Vec<_>>()
                .join(", "),
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
        let reason = format!("From enquiry {}", e.id);
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

    /// Makes `change` to an enquiry at the version read; the audit entry recording it as `what`.
    async fn change_enquiry(
        &self,
        tx: &mut coproduce_store::Tx,
        id: EnquiryId,
        version: i64,
        change: Change<'_>,
        what: AuditEvent,
    ) -> Result<Done<()>, AppError> {
        let now = self.now();
        if !enquiries::change(tx, id, version, &change, now).await? {
            let e = enquiries::find(tx, id).await?.ok_or(AppError::NotFound)?;
            return Err(AppError::Conflict {
                version: e.version,
                changed: vec!["status"],
            });
        }
        Ok(Done::new((), what, format!("enquiry:{id}"), ""))
    }
}
