//! Staff roles.

use serde::{Deserialize, Serialize};
use std::fmt;

/// What a staff member is employed to do, which decides what they may see and change.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// The participation team: sees and runs everything.
    Admin,
    /// Service staff (clinicians, leads): scoped to their own services.
    Staff,
    /// Finance: approved claims and exports.
    Finance,
    /// Auditors: read the audit trail.
    Auditor,
}

/// A role name that is not one of ours.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("role must be one of admin, staff, finance or auditor")]
pub struct UnknownRole;

impl Role {
    /// Every role, in the order they are listed to people.
    pub const ALL: [Role; 4] = [Role::Admin, Role::Staff, Role::Finance, Role::Auditor];

    /// Reads a role from its stored or typed name.
    pub fn parse(s: &str) -> Result<Role, UnknownRole> {
        match s.trim().to_ascii_lowercase().as_str() {
            "admin" => Ok(Role::Admin),
            "staff" => Ok(Role::Staff),
            "finance" => Ok(Role::Finance),
            "auditor" => Ok(Role::Auditor),
            _ => Err(UnknownRole),
        }
    }

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Staff => "staff",
            Role::Finance => "finance",
            Role::Auditor => "auditor",
        }
    }

    /// The name shown to people.
    pub fn label(self) -> &'static str {
        match self {
            Role::Admin => "Participation team (admin)",
            Role::Staff => "Service staff",
            Role::Finance => "Finance",
            Role::Auditor => "Auditor",
        }
    }

    /// Whether this role must always sign in with a second factor.
    pub fn requires_second_factor(self) -> bool {
        !matches!(self, Role::Staff)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_reads_back_from_its_name() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Ok(role));
        }
        assert_eq!(Role::parse(" Admin "), Ok(Role::Admin));
        assert_eq!(Role::parse("root"), Err(UnknownRole));
    }

    #[test]
    fn only_service_staff_may_skip_the_second_factor() {
        assert!(!Role::Staff.requires_second_factor());
        assert!(Role::Admin.requires_second_factor());
        assert!(Role::Finance.requires_second_factor());
        assert!(Role::Auditor.requires_second_factor());
    }
}
