//! Enquiries: a member of the public asks to get involved, and the participation team answers,
//! makes a welcome call, and turns the enquiry into a person or closes it with a reason.

mod conversion;
mod public;

pub use public::client_key;

use crate::input::text;
use crate::write::Done;
use crate::{authorise, Action, Actor, App, AppError, FieldError, Resource};
use chrono::NaiveDate;
use coproduce_domain::enquiries::Enquiry;
use coproduce_domain::enquiries::EnquiryStatus;
use coproduce_domain::time::uk_day;
use coproduce_domain::AuditEvent;
use coproduce_domain::EnquiryId;
use coproduce_domain::StaffId;
use coproduce_store::enquiries::{self, Change};
use coproduce_store::staff;

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

impl App {
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
