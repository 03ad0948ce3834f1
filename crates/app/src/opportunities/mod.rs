//! Opportunities: staff write and publish roles to fill, invite people, and select, confirm or
//! wait-list those who are interested. Confirming someone records their involvement.

use crate::input::text;
use crate::write::Done;
use crate::{authorise, authorise_or_hide, Action, Actor, App, AppError, FieldError, Resource};
use chrono::{NaiveDate, NaiveTime};
use coproduce_domain::easy_read::{self, Line, MAX_LINES, MAX_LINE_CHARS};
use coproduce_domain::opportunities::{Opportunity, OpportunityPerson, Picture};
use coproduce_domain::opportunities::{
    OpportunityKind, Place, Requirement, Stage, Support, Visibility,
};
use coproduce_domain::people::{join_codes, parse_date, parse_list};
use coproduce_domain::time::uk_day;
use coproduce_domain::AuditEvent;
use coproduce_domain::{OpportunityId, PersonId};
use coproduce_domain::{ServiceId, Timestamp};
use coproduce_store::opportunities::{self, Listing};
use coproduce_store::{people, services, Tx};
use std::sync::Arc;

/// The largest picture that can be uploaded.
pub const MAX_PICTURE_BYTES: usize = 1024 * 1024;

/// An opportunity as typed into its form or sent to the API.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct OpportunityInput {
    /// Its title.
    pub title: String,
    /// Kind code.
    pub kind: String,
    /// The service it is for.
    pub service_id: String,
    /// The date it starts.
    pub starts_on: String,
    /// Start time, `HH:MM`.
    pub start_time: String,
    /// End time, `HH:MM`.
    pub end_time: String,
    /// Further dates, in words.
    pub dates_note: String,
    /// `online`, `phone` or `venue`.
    pub place: String,
    /// The venue's name and address.
    pub venue: String,
    /// Access information.
    pub access_info: String,
    /// How many people are needed.
    pub places: String,
    /// What is asked of people.
    pub asked: String,
    /// Support codes.
    pub support: Vec<String>,
    /// More about the support.
    pub support_notes: String,
    /// Requirement codes.
    pub requirements: Vec<String>,
    /// The payment terms.
    pub payment: String,
    /// The date it closes.
    pub closes_on: String,
    /// The plain-English description.
    pub description: String,
    /// The Easy Read summary.
    pub easy_read: Vec<Line>,
    /// `draft`, `involved` or `public`.
    pub visibility: String,
    /// How long taking part counts for, in hours (for involvement records).
    pub hours: String,
    /// The version being saved against (when changing).
    pub version: i64,
}

/// An opportunity with everyone in it, for staff.
#[derive(Clone, Debug)]
pub struct OpportunityView {
    /// The opportunity.
    pub opportunity: Opportunity,
    /// Everyone invited, interested, selected, waiting, confirmed, declined or withdrawn.
    pub people: Vec<OpportunityPerson>,
}

mod checks;
mod interest;
mod pictures;
mod record;
