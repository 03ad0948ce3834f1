//! Who is asking, and the one function that decides what they may do.

use crate::AppError;
use coproduce_domain::{Role, ServiceId, StaffId};

/// A signed-in staff member, as a request knows them.
#[derive(Clone, Debug)]
pub struct StaffMember {
    /// Their id.
    pub id: StaffId,
    /// Their name.
    pub name: String,
    /// Their email address.
    pub email: String,
    /// Their role.
    pub role: Role,
    /// The services they belong to.
    pub service_ids: Vec<ServiceId>,
}

/// Whoever is asking for something.
#[derive(Clone, Debug)]
pub enum Actor {
    /// A staff member signed in to the pages.
    Staff(StaffMember),
    /// A staff member acting through an API token.
    Token {
        /// The token's id.
        token_id: i64,
        /// Whose token it is.
        staff: StaffMember,
    },
    /// Someone at the server's command line (they can read the database anyway).
    Cli,
    /// A member of the public, not signed in (asking to get involved).
    Public,
    /// A person taking part, signed in to their own page (perhaps by a staff member on their
    /// behalf).
    Person {
        /// Who they are.
        person_id: i64,
        /// The staff member acting for them, if one is.
        on_behalf_of: Option<StaffId>,
    },
}

impl Actor {
    /// How the audit trail names this actor.
    pub fn audit_name(&self) -> String {
        match self {
            Actor::Staff(s) => format!("staff:{}", s.id),
            Actor::Token { token_id, staff } => format!("staff:{}/token:{token_id}", staff.id),
            Actor::Cli => "cli".to_owned(),
            Actor::Public => "public".to_owned(),
            Actor::Person {
                person_id,
                on_behalf_of: None,
            } => format!("person:{person_id}"),
            Actor::Person {
                person_id,
                on_behalf_of: Some(s),
            } => format!("staff:{s}/for/person:{person_id}"),
        }
    }

    /// The staff member behind the actor, if any.
    pub fn staff(&self) -> Option<&StaffMember> {
        match self {
            Actor::Staff(s) | Actor::Token { staff: s, .. } => Some(s),
            Actor::Cli | Actor::Public | Actor::Person { .. } => None,
        }
    }
}

/// Things an actor may ask to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// See their own home page and account.
    UseOwnAccount,
    /// Read the audit trail.
    ReadAuditTrail,
    /// Add staff, disable them, require a second factor of them.
    ManageStaff,
    /// Create API tokens for a staff member.
    ManageTokens,
    /// Add, change and archive services and partners.
    ManageServices,
    /// Find and see people (within their scope).
    ViewPeople,
    /// Add and change people, relationships, contacts and consents (within their scope).
    EditPeople,
    /// See groups (their own services', for service staff).
    ViewGroups,
    /// Set up and change groups and their members (their own services', for service staff).
    EditGroups,
    /// Work on something that belongs to this service: admins any, service staff their own.
    WorkInService(ServiceId),
    /// Work through the enquiries from the public (the participation team).
    ManageEnquiries,
    /// See and change a person's own things in their portal: only that person (or someone
    /// signed in on their behalf) may.
    ActAsPerson(i64),
    /// Make new server secrets (the command line, where the server is run, only).
    RotateSecrets,
}

/// Whose people an actor may see: everyone for the participation team (and the command line),
/// their own services' people for service staff.
pub fn people_scope(actor: &Actor) -> coproduce_store::people::Scope {
    use coproduce_store::people::Scope;
    match actor.staff() {
        Some(s) if s.role != Role::Admin => Scope::ServicesOf(s.id),
        _ => Scope::All,
    }
}

/// The one place that decides whether an actor may do something.
pub fn authorise(actor: &Actor, action: Action) -> Result<(), AppError> {
    let allowed = match actor {
        Actor::Cli => true,
        Actor::Public => false,
        Actor::Person { person_id, .. } => action == Action::ActAsPerson(*person_id),
        Actor::Staff(s) | Actor::Token { staff: s, .. } => match action {
            Action::UseOwnAccount => true,
            Action::ReadAuditTrail => matches!(s.role, Role::Admin | Role::Auditor),
            Action::ManageStaff
            | Action::ManageTokens
            | Action::ManageServices
            | Action::ManageEnquiries => s.role == Role::Admin,
            Action::ViewPeople | Action::EditPeople | Action::ViewGroups | Action::EditGroups => {
                matches!(s.role, Role::Admin | Role::Staff)
            }
            Action::WorkInService(service) => {
                s.role == Role::Admin || (s.role == Role::Staff && s.service_ids.contains(&service))
            }
            Action::ActAsPerson(_) | Action::RotateSecrets => false,
        },
    };
    if allowed {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn staff(role: Role) -> Actor {
        Actor::Staff(StaffMember {
            id: StaffId(1),
            name: "A".into(),
            email: "a@example.org".into(),
            role,
            service_ids: vec![],
        })
    }

    #[test]
    fn each_role_gets_exactly_its_own_powers() {
        let table = [
            (Role::Admin, [true, true, true, true]),
            (Role::Staff, [true, false, false, false]),
            (Role::Finance, [true, false, false, false]),
            (Role::Auditor, [true, true, false, false]),
        ];
        let actions = [
            Action::UseOwnAccount,
            Action::ReadAuditTrail,
            Action::ManageStaff,
            Action::ManageTokens,
        ];
        for (role, expected) in table {
            for (action, allowed) in actions.iter().zip(expected) {
                assert_eq!(
                    authorise(&staff(role), *action).is_ok(),
                    allowed,
                    "{role} {action:?}"
                );
            }
        }
        assert!(authorise(&Actor::Cli, Action::ManageStaff).is_ok());
    }
}
