//! Projects: time-bound pieces of co-production work, as stored.

use crate::groups::{Ladder, ProjectStage};
use crate::ids::{ProjectId, ServiceId};
use serde::Deserialize;

/// A project, with its service's name.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Project {
    /// Id.
    pub id: ProjectId,
    /// Name.
    pub name: String,
    /// Its aims.
    pub aims: String,
    /// The service it belongs to.
    pub service_id: ServiceId,
    /// The service's name.
    pub service_name: String,
    /// When it starts, `YYYY-MM-DD`.
    pub starts_on: String,
    /// When it ends, if known.
    pub ends_on: Option<String>,
    /// Where it is.
    pub stage: ProjectStage,
    /// Its level on the ladder of co-production.
    pub ladder: Ladder,
    /// What it produced.
    pub outputs: String,
    /// When it is next due a review (kept by reviews, not by its form).
    #[serde(default)]
    pub next_review_on: Option<String>,
    /// Version, for refusing stale writes.
    pub version: i64,
}

/// A dated level on the ladder.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct LadderStep {
    /// The level.
    pub ladder: Ladder,
    /// When, `YYYY-MM-DD`.
    pub recorded_on: String,
    /// Who recorded it.
    pub recorded_by: String,
    /// Why it changed, when a review moved it.
    pub reason: String,
}
