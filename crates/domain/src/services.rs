//! Services (clinical services or teams) and partners (community organisations), as stored.

use crate::ids::{PartnerId, ServiceId};
use serde::{Deserialize, Serialize};

/// A service.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "sqlx", derive(sqlx::FromRow))]
pub struct Service {
    /// Its id.
    pub id: ServiceId,
    /// Its name, e.g. "Child and Family Therapy".
    pub name: String,
    /// How often its people are kept in touch with, unless a relationship says otherwise.
    pub default_cadence_days: i64,
}

/// A partner organisation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "sqlx", derive(sqlx::FromRow))]
pub struct Partner {
    /// Its id.
    pub id: PartnerId,
    /// Its name, e.g. a parent-carer forum.
    pub name: String,
}

/// What can be archived.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Archivable {
    /// A service.
    Service,
    /// A partner.
    Partner,
}
