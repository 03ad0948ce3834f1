//! Secret calendar links: each person and staff member can have one unguessable address whose
//! feed lists the meetings they are invited to. Making a new link revokes the old one.

use crate::write::Done;
use crate::{authorise, may, people_scope, Action, Actor, App, AppError, Resource};
use coproduce_domain::groups::Joiner;
use coproduce_domain::AuditEvent;
use coproduce_domain::{SecretToken, Timestamp};
use coproduce_store::{feeds, meetings, people, Tx};

/// How far back a feed reaches, so a calendar keeps the recent past.
pub const FEED_PAST_DAYS: i64 = 92;

/// How far ahead a feed reaches: as far as meetings are kept.
const FEED_AHEAD_DAYS: i64 = 400;

/// A secret feed's meetings.
#[derive(Clone, Debug)]
pub struct Feed {
    /// Whose it is, for the calendar's name.
    pub name: String,
    /// Their meetings, from three months ago on.
    pub meetings: Vec<coproduce_domain::meetings::Meeting>,
}

impl App {
    /// Checks the actor may manage someone's calendar link: a person's, for the participation
    /// team; their own; or (admins) any staff member's.
    async fn may_manage_link(
        &self,
        actor: &Actor,
        tx: &mut Tx,
        who: Joiner,
    ) -> Result<(), AppError> {
        match who {
            // People make and stop their own link in their portal.
            Joiner::Person(p)
                if authorise(actor, Action::ActAsPerson, &Resource::person(p)).is_ok() => {}
            Joiner::Person(p) => {
                authorise(actor, Action::EditPeople, &Resource::ANY)?;
                people::find(tx, p, people_scope(actor))
                    .await?
                    .ok_or(AppError::NotFound)?;
                // A person's feed lists all their meetings, whichever service runs them, so only
                // the trust-wide participation team hands one out (or stops it).
                if people_scope(actor) != people::Scope::All {
                    return Err(AppError::Forbidden);
                }
            }
            Joiner::Staff(s) => {
                let own = actor.staff().is_some_and(|me| me.id == s);
                if !own {
                    authorise(actor, Action::ManageStaff, &Resource::ANY)?;
                }
            }
        }
        Ok(())
    }

    /// When someone's current calendar link was made, if they have one.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn calendar_link_made(
        &self,
        actor: &Actor,
        who: Joiner,
    ) -> Result<Option<Timestamp>, AppError> {
        let mut tx = self.db().read().await?;
        self.may_manage_link(actor, &mut tx, who).await?;
        let made = feeds::current(&mut tx, who).await?;
        tx.commit().await?;
        Ok(made.map(Timestamp))
    }

    /// Makes someone a new secret calendar link, revoking any old one. The token is shown once.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn new_calendar_link(
        &self,
        actor: &Actor,
        who: Joiner,
    ) -> Result<SecretToken, AppError> {
        let now = self.now();
        let token = SecretToken::generate("");
        // `may_manage_link` makes this same check first, then finds the person in scope.
        let (action, resource) = link_policy(actor, who);
        self.write(actor, action, &resource, async |tx| {
            self.may_manage_link(actor, tx, who).await?;
            feeds::replace(tx, who, &token.hash(), &actor.audit_name(), now).await?;
            let object = link_object(who);
            Ok(Done::new(token, AuditEvent::CalendarLinkNew, object, ""))
        })
        .await
    }

    /// Revokes someone's calendar link: its address stops working at once.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn revoke_calendar_link(&self, actor: &Actor, who: Joiner) -> Result<(), AppError> {
        let now = self.now();
        // `may_manage_link` makes this same check first, then finds the person in scope.
        let (action, resource) = link_policy(actor, who);
        self.write(actor, action, &resource, async |tx| {
            self.may_manage_link(actor, tx, who).await?;
            if !feeds::revoke(tx, who, now).await? {
                return Err(AppError::NotFound);
            }
            let object = link_object(who);
            Ok(Done::new((), AuditEvent::CalendarLinkRevoke, object, ""))
        })
        .await
    }

    /// The feed behind a secret link, or none for an unknown or revoked one.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn feed(&self, token: &str) -> Result<Option<Feed>, AppError> {
        let hash = SecretToken::from_presented(token).hash();
        let now = self.now().millis();
        let mut tx = self.db().read().await?;
        let Some(who) = feeds::find(&mut tx, &hash).await? else {
            return Ok(None);
        };
        let from = Timestamp(now - FEED_PAST_DAYS * 86_400_000);
        let to = Timestamp(now + FEED_AHEAD_DAYS * 86_400_000);
        let meetings =
            meetings::for_attendee(&mut tx, who, from, to, 2000, meetings::Texts::Without).await?;
        tx.commit().await?;
        Ok(Some(Feed {
            name: "Co-production meetings".into(),
            meetings,
        }))
    }
}

/// The policy check [`App::may_manage_link`] starts with: a person acting for themselves; staff
/// who may edit people, for someone else's link; a staff member, for their own; admins who manage
/// staff, for another staff member's.
fn link_policy(actor: &Actor, who: Joiner) -> (Action, Resource) {
    match who {
        Joiner::Person(p) if may(actor, Action::ActAsPerson, &Resource::person(p)) => {
            (Action::ActAsPerson, Resource::person(p))
        }
        Joiner::Person(_) => (Action::EditPeople, Resource::ANY),
        // Every staff member may use their own account.
        Joiner::Staff(s) if actor.staff().is_some_and(|me| me.id == s) => {
            (Action::UseOwnAccount, Resource::ANY)
        }
        Joiner::Staff(_) => (Action::ManageStaff, Resource::ANY),
    }
}

/// What a calendar link's audit entries are about: whose it is (`person:3`, `staff:2`).
fn link_object(who: Joiner) -> String {
    match who {
        Joiner::Person(p) => format!("person:{p}"),
        Joiner::Staff(s) => format!("staff:{s}"),
    }
}
