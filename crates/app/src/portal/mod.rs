//! The people's own portal: signing in without a password (a one-time code or link sent the way
//! they prefer), their meetings and replies, opportunities open to them, their involvement, how
//! they like to be contacted, their consents, Easy Read mode, and staff signing someone in on
//! their behalf.

use crate::enquiries::client_key;
use crate::input::text;
use crate::write::Done;
use crate::{authorise, people_scope, Action, Actor, App, AppError, Resource};
use coproduce_domain::groups::Joiner;
use coproduce_domain::groups::Rsvp;
use coproduce_domain::meetings::{Involvement, Meeting};
use coproduce_domain::opportunities::{Opportunity, Stage};
use coproduce_domain::people::{Channel, ConsentKind, Need, PersonStatus, UkPhone};
use coproduce_domain::secret::{constant_time_eq, sha256_hex};
use coproduce_domain::time::uk_day;
use coproduce_domain::AuditEvent;
use coproduce_domain::Person;
use coproduce_domain::{Email, SecretToken, StaffId, Timestamp};
use coproduce_domain::{GroupId, MeetingId, OpportunityId, PersonId};
use coproduce_store::opportunities::Listing;
use coproduce_store::outbox::NewMessage;
use coproduce_store::people::{self, ConsentRow};
use coproduce_store::portal::{self, NewCode, NewSession};
use coproduce_store::{attendance, Tx};

/// Minutes a sign-in code or link works for.
pub const CODE_MINUTES: i64 = 10;
/// Tries allowed on a request's code (the right one included) before it stops working.
pub const MAX_CODE_ATTEMPTS: i64 = 5;
/// The window codes are counted in for throttling, in minutes.
pub const CODE_WINDOW_MINUTES: i64 = 15;
/// Codes one address may be sent in that window.
pub const CODES_PER_ADDRESS: i64 = 3;
/// Codes one internet address may ask for in that window.
pub const CODES_PER_CLIENT: i64 = 20;
/// Wrong codes an address's requests may have in a day before no more codes are sent to it.
pub const FAILURES_PER_DAY: i64 = 15;
/// Minutes a person's session lasts unused.
pub const IDLE_MINUTES: i64 = 60;
/// Hours a person's session lasts at most.
pub const ABSOLUTE_HOURS: i64 = 12;
/// Minutes a session started by staff on someone's behalf lasts at most.
pub const ON_BEHALF_MINUTES: i64 = 30;

/// A person signed in to their portal.
#[derive(Clone, Debug)]
pub struct PortalSession {
    /// The session's id.
    pub id: i64,
    /// Who they are.
    pub person_id: PersonId,
    /// What to call them.
    pub name: String,
    /// The form token for their pages.
    pub csrf_token: String,
    /// Whether they chose Easy Read.
    pub easy_read: bool,
    /// The staff member signed in on their behalf: id and name.
    pub on_behalf: Option<(StaffId, String)>,
    /// When the session ends whatever happens.
    pub expires_at: Timestamp,
}

impl PortalSession {
    /// The actor their requests act as.
    pub fn actor(&self) -> Actor {
        Actor::Person {
            person_id: self.person_id,
            on_behalf_of: self.on_behalf.as_ref().map(|(id, _)| *id),
        }
    }
}

/// What a portal cookie turned out to be.
#[derive(Clone, Debug)]
pub enum PortalLookup {
    /// A live session.
    Live(Box<PortalSession>),
    /// One that ended by time.
    Expired,
    /// None.
    Missing,
}

/// Everything the portal's pages show a person.
#[derive(Clone, Debug)]
pub struct PortalOverview {
    /// Their record.
    pub person: Person,
    /// Their coming meetings, each with their reply (to it, or to all of its group's).
    pub meetings: Vec<(Meeting, Option<String>)>,
    /// The groups whose meetings they said they will come to, all of them.
    pub coming_to_all: Vec<GroupId>,
    /// Opportunities open to them, each with where they are with it.
    pub opportunities: Vec<(Opportunity, Option<Stage>)>,
    /// Their involvement, newest first.
    pub involvement: Vec<Involvement>,
    /// Their current consents: each kind's latest record.
    pub consents: Vec<ConsentRow>,
    /// When their calendar link was made, if they have one.
    pub calendar_link: Option<i64>,
}

/// How a person likes to be contacted, as they changed it.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct ContactInput {
    /// Channel codes, most preferred first.
    pub channels: Vec<String>,
    /// When is best.
    pub best_times: String,
    /// Need codes.
    pub needs: Vec<String>,
    /// Anything else about their needs.
    pub needs_notes: String,
}

fn code_hash(request_hash: &str, code: &str) -> String {
    sha256_hex(&format!("portal-code:{request_hash}:{code}"))
}

/// Six digits from a fresh random token.
fn six_digits() -> String {
    let token = SecretToken::generate("");
    let n = u32::from_str_radix(&token.expose()[..8], 16).unwrap_or(0) % 1_000_000;
    format!("{n:06}")
}

/// Reads what someone typed to sign in: an email address or a UK phone number.
fn address(text: &str) -> Result<(Option<String>, Option<String>), AppError> {
    let t = text.trim();
    if t.contains('@') {
        let e = Email::parse(t).map_err(|_| {
            AppError::field("address", "Enter an email address like name@example.com")
        })?;
        return Ok((Some(e.as_str().to_lowercase()), None));
    }
    match UkPhone::parse(t) {
        Ok(p) => Ok((None, Some(p.as_str().to_owned()))),
        Err(_) => Err(AppError::field(
            "address",
            "Enter the email address or mobile phone number we have for you",
        )),
    }
}

mod consents;
mod contact;
mod easy_read;
mod home;
mod meetings;
mod opportunities;
mod sign_in;
