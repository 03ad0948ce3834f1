//! The public's side: the ask-to-get-involved form, checked, limited, stored and confirmed.

use super::{EnquiryInput, Received};
use crate::input::text;
use crate::{authorise, Action, Actor, App, AppError, FieldError, Resource};
use coproduce_domain::enquiries::{working_days_after, KeyProblem, RESPONSE_WORKING_DAYS};
use coproduce_domain::people::{Channel, Need, UkPhone};
use coproduce_domain::secret::sha256_hex;
use coproduce_domain::time::uk_day;
use coproduce_domain::AuditEvent;
use coproduce_domain::Email;
use coproduce_store::enquiries::{self, NewEnquiry};
use coproduce_store::outbox::NewMessage;

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
            let organisation = coproduce_store::settings::organisation(&mut tx).await?.name;
            let easy_read = new.needs.split(',').any(|n| n == "easy_read");
            let by = respond_by.format("%A %-d %B %Y").to_string();
            let (subject, body) = confirmation(&organisation, &by, easy_read);
            let key = format!("enquiry:{id}:received");
            crate::outbox::enqueue(
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
}
