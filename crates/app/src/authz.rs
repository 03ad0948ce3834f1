//! Who is asking, and the one function that decides what they may do.

use crate::AppError;
use coproduce_domain::PersonId;
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
        person_id: PersonId,
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

/// Things an actor may ask to do. Which object they are done to is the [`Resource`].
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
    /// Set the organisation's details and logo and the concerns log's targets and signposting;
    /// add, change and archive services and partners.
    ManageServices,
    /// Work through the enquiries from the public (the participation team).
    ManageEnquiries,
    /// Find and see people (within their scope).
    ViewPeople,
    /// Add and change people, relationships, contacts and consents (within their scope).
    EditPeople,
    /// See a person's restricted tags: the participation team, and the person's named staff
    /// contacts.
    SeeRestricted,
    /// See groups, projects, meetings and opportunities (their own services', for service staff).
    ViewGroups,
    /// Set up and change groups, projects, meetings and opportunities (their own services').
    EditGroups,
    /// See the concerns log and a concern (their own services', for service staff).
    ViewConcerns,
    /// Record a concern someone raised (about one of their own services, for service staff).
    RaiseConcerns,
    /// Escalate, feed back, close, reopen and redirect a concern (their own services').
    ManageConcerns,
    /// Record the service's response to a concern: its owner, or the participation team.
    RespondToConcerns,
    /// Record and change improvements, and publish them (their own services', for service
    /// staff).
    RecordImprovements,
    /// Record a review of a group, project or relationship, and what it agreed to adjust
    /// (their own services', for service staff).
    RecordReviews,
    /// See and change a person's own things in their portal: only that person (or someone
    /// signed in on their behalf) may.
    ActAsPerson,
    /// Make new server secrets (the command line, where the server is run, only).
    RotateSecrets,
}

impl Action {
    /// Every action, for the policy's table test and the route walk.
    pub const ALL: [Action; 19] = [
        Action::UseOwnAccount,
        Action::ReadAuditTrail,
        Action::ManageStaff,
        Action::ManageTokens,
        Action::ManageServices,
        Action::ManageEnquiries,
        Action::ViewPeople,
        Action::EditPeople,
        Action::SeeRestricted,
        Action::ViewGroups,
        Action::EditGroups,
        Action::ViewConcerns,
        Action::RaiseConcerns,
        Action::ManageConcerns,
        Action::RespondToConcerns,
        Action::RecordImprovements,
        Action::RecordReviews,
        Action::ActAsPerson,
        Action::RotateSecrets,
    ];
}

/// Whom an object belongs to, beyond its service.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Owner {
    /// Nobody in particular.
    #[default]
    Nobody,
    /// A person taking part (their own page, replies and consents).
    Person(PersonId),
    /// Staff members named on it (a person's staff contacts, a concern's owner).
    Staff(Vec<StaffId>),
}

/// What an action is done to: the service it belongs to, if any yet, and its owner.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Resource {
    /// The service it belongs to; `None` for lists (scoped in their SQL), new things whose
    /// service is not chosen yet, and things of the whole organisation.
    pub service: Option<ServiceId>,
    /// Whom it belongs to.
    pub owner: Owner,
}

impl Resource {
    /// Something of no one service: a list, a new thing, the organisation's settings.
    pub const ANY: Resource = Resource {
        service: None,
        owner: Owner::Nobody,
    };

    /// Something that belongs to a service.
    pub fn in_service(service: ServiceId) -> Resource {
        Resource {
            service: Some(service),
            owner: Owner::Nobody,
        }
    }

    /// A person's own things.
    pub fn person(id: PersonId) -> Resource {
        Resource {
            service: None,
            owner: Owner::Person(id),
        }
    }

    /// A concern, in its service and owned by its owner once it has one.
    pub fn concern(service: ServiceId, owner: Option<StaffId>) -> Resource {
        Resource {
            service: Some(service),
            owner: Owner::Staff(owner.into_iter().collect()),
        }
    }

    /// A person's record, owned by their named staff contacts.
    pub fn contacts_of(staff: impl IntoIterator<Item = StaffId>) -> Resource {
        Resource {
            service: None,
            owner: Owner::Staff(staff.into_iter().collect()),
        }
    }
}

/// Whose people an actor may see: everyone for the participation team (and the command line),
/// their own services' people for service staff.
pub fn people_scope(actor: &Actor) -> coproduce_store::people::Scope {
    use coproduce_store::people::Scope;
    match bounded_by(actor) {
        Some(id) => Scope::ServicesOf(id),
        None => Scope::All,
    }
}

/// The staff member whose own services bound the lists an actor sees (the bound is inside the
/// SQL); `None` for those who see every service's: the participation team and the command line.
pub fn bounded_by(actor: &Actor) -> Option<StaffId> {
    actor
        .staff()
        .filter(|s| s.role != Role::Admin)
        .map(|s| s.id)
}

/// The one policy: whether an actor may do an action to a resource.
pub fn may(actor: &Actor, action: Action, resource: &Resource) -> bool {
    match actor {
        Actor::Cli => true,
        Actor::Public => false,
        Actor::Person { person_id, .. } => {
            action == Action::ActAsPerson && resource.owner == Owner::Person(*person_id)
        }
        Actor::Staff(s) | Actor::Token { staff: s, .. } => staff_may(s, action, resource),
    }
}

fn staff_may(s: &StaffMember, action: Action, resource: &Resource) -> bool {
    let in_own_service = resource
        .service
        .is_none_or(|service| s.service_ids.contains(&service));
    match action {
        Action::UseOwnAccount => true,
        Action::ReadAuditTrail => matches!(s.role, Role::Admin | Role::Auditor),
        Action::ManageStaff
        | Action::ManageTokens
        | Action::ManageServices
        | Action::ManageEnquiries => s.role == Role::Admin,
        Action::ViewPeople
        | Action::EditPeople
        | Action::ViewGroups
        | Action::EditGroups
        | Action::ViewConcerns
        | Action::RaiseConcerns
        | Action::ManageConcerns
        | Action::RecordImprovements
        | Action::RecordReviews => {
            s.role == Role::Admin || (s.role == Role::Staff && in_own_service)
        }
        Action::SeeRestricted | Action::RespondToConcerns => {
            s.role == Role::Admin
                || (s.role == Role::Staff
                    && matches!(&resource.owner, Owner::Staff(ids) if ids.contains(&s.id)))
        }
        Action::ActAsPerson | Action::RotateSecrets => false,
    }
}

/// [`may`], as a result: `Forbidden` when not.
pub fn authorise(actor: &Actor, action: Action, resource: &Resource) -> Result<(), AppError> {
    if may(actor, action, resource) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// [`may`], hiding what is refused: `NotFound` when not, for objects whose existence should not
/// be told to those who may not see them.
pub fn authorise_or_hide(
    actor: &Actor,
    action: Action,
    resource: &Resource,
) -> Result<(), AppError> {
    authorise(actor, action, resource).map_err(|_| AppError::NotFound)
}

/// What the policy lets an actor do in general, for pages to show or hide their parts by
/// (templates never look at roles).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Capabilities {
    /// Find and see people.
    pub view_people: bool,
    /// See groups, projects, meetings and opportunities.
    pub view_groups: bool,
    /// Work through enquiries.
    pub manage_enquiries: bool,
    /// Manage services and partners.
    pub manage_services: bool,
    /// Manage staff.
    pub manage_staff: bool,
    /// Read the audit trail.
    pub read_audit_trail: bool,
    /// See the concerns log.
    pub view_concerns: bool,
}

impl Capabilities {
    /// What the policy lets this actor do to things of no one service.
    pub fn of(actor: &Actor) -> Capabilities {
        let can = |action| may(actor, action, &Resource::ANY);
        Capabilities {
            view_people: can(Action::ViewPeople),
            view_groups: can(Action::ViewGroups),
            manage_enquiries: can(Action::ManageEnquiries),
            manage_services: can(Action::ManageServices),
            manage_staff: can(Action::ManageStaff),
            read_audit_trail: can(Action::ReadAuditTrail),
            view_concerns: can(Action::ViewConcerns),
        }
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
            service_ids: vec![ServiceId(1)],
        })
    }

    /// Y where allowed, for each role against: something of no one service, something of their
    /// own service, something of another service, and something they own.
    const TABLE: [(Action, [&str; 4]); 19] = [
        //                       admin   staff   finance auditor
        (Action::UseOwnAccount, ["YYYY", "YYYY", "YYYY", "YYYY"]),
        (Action::ReadAuditTrail, ["YYYY", "NNNN", "NNNN", "YYYY"]),
        (Action::ManageStaff, ["YYYY", "NNNN", "NNNN", "NNNN"]),
        (Action::ManageTokens, ["YYYY", "NNNN", "NNNN", "NNNN"]),
        (Action::ManageServices, ["YYYY", "NNNN", "NNNN", "NNNN"]),
        (Action::ManageEnquiries, ["YYYY", "NNNN", "NNNN", "NNNN"]),
        (Action::ViewPeople, ["YYYY", "YYNY", "NNNN", "NNNN"]),
        (Action::EditPeople, ["YYYY", "YYNY", "NNNN", "NNNN"]),
        (Action::SeeRestricted, ["YYYY", "NNNY", "NNNN", "NNNN"]),
        (Action::ViewGroups, ["YYYY", "YYNY", "NNNN", "NNNN"]),
        (Action::EditGroups, ["YYYY", "YYNY", "NNNN", "NNNN"]),
        (Action::ViewConcerns, ["YYYY", "YYNY", "NNNN", "NNNN"]),
        (Action::RaiseConcerns, ["YYYY", "YYNY", "NNNN", "NNNN"]),
        (Action::ManageConcerns, ["YYYY", "YYNY", "NNNN", "NNNN"]),
        (Action::RespondToConcerns, ["YYYY", "NNNY", "NNNN", "NNNN"]),
        (Action::RecordImprovements, ["YYYY", "YYNY", "NNNN", "NNNN"]),
        (Action::RecordReviews, ["YYYY", "YYNY", "NNNN", "NNNN"]),
        (Action::ActAsPerson, ["NNNN", "NNNN", "NNNN", "NNNN"]),
        (Action::RotateSecrets, ["NNNN", "NNNN", "NNNN", "NNNN"]),
    ];

    #[test]
    fn each_role_may_do_exactly_what_the_table_says_to_each_kind_of_object() {
        let resources = [
            Resource::ANY,
            Resource::in_service(ServiceId(1)),
            Resource::in_service(ServiceId(2)),
            Resource::contacts_of([StaffId(1)]),
        ];
        assert_eq!(
            TABLE.map(|(a, _)| a),
            Action::ALL,
            "every action is in the table"
        );
        for (action, by_role) in TABLE {
            for (role, expected) in Role::ALL.into_iter().zip(by_role) {
                for (resource, allowed) in resources.iter().zip(expected.chars()) {
                    assert_eq!(
                        may(&staff(role), action, resource),
                        allowed == 'Y',
                        "{role} {action:?} {resource:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn a_person_may_only_act_on_their_own_things_and_the_public_on_nothing() {
        let person = Actor::Person {
            person_id: PersonId(7),
            on_behalf_of: None,
        };
        for action in Action::ALL {
            assert_eq!(
                may(&person, action, &Resource::person(PersonId(7))),
                action == Action::ActAsPerson,
                "{action:?}"
            );
            assert!(
                !may(&person, action, &Resource::person(PersonId(8))),
                "{action:?}"
            );
            assert!(!may(&person, action, &Resource::ANY), "{action:?}");
            assert!(!may(&Actor::Public, action, &Resource::person(PersonId(7))));
            assert!(may(
                &Actor::Cli,
                action,
                &Resource::in_service(ServiceId(2))
            ));
        }
    }

    #[test]
    fn capabilities_are_what_the_policy_allows_in_general() {
        let staff = Capabilities::of(&staff(Role::Staff));
        assert!(staff.view_people && staff.view_groups && !staff.manage_staff);
        let auditor = Capabilities::of(&super::tests::staff(Role::Auditor));
        assert!(auditor.read_audit_trail && !auditor.view_people);
    }
}
