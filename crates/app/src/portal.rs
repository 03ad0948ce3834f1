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
use coproduce_domain::opportunities::Opportunity;
use coproduce_domain::people::{Channel, ConsentKind, Need, PersonStatus, UkPhone};
use coproduce_domain::secret::{constant_time_eq, sha256_hex};
use coproduce_domain::time::uk_day;
use coproduce_domain::AuditEvent;
use coproduce_domain::Person;
use coproduce_domain::{Email, SecretToken, StaffId, Timestamp};
use coproduce_domain::{MeetingId, OpportunityId, PersonId};
use coproduce_store::opportunities::{self, Listing};
use coproduce_store::outbox::{self, NewMessage};
use coproduce_store::people::{self, ConsentRow};
use coproduce_store::portal::{self, NewCode, NewSession};
use coproduce_store::{attendance, meetings, Tx};

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
    /// Their coming meetings, each with their reply.
    pub meetings: Vec<(Meeting, Option<String>)>,
    /// Opportunities open to them, each with where they are with it.
    pub opportunities: Vec<(Opportunity, Option<String>)>,
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

impl App {
    /// Sends a one-time code and link to the person with this address, if there is exactly one,
    /// the way the address says. The answer is the same whether or not the address is known: a
    /// token naming this request, for the page where the code is typed.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn request_portal_code(
        &self,
        typed: &str,
        client: &str,
        origin: &str,
    ) -> Result<SecretToken, AppError> {
        let (email, phone) = address(typed)?;
        let now = self.now();
        let normal = email.clone().or(phone.clone()).unwrap_or_default();
        let address_key = sha256_hex(&format!("address:{normal}"));
        let client = client_key(client);
        let mut tx = self.db().write().await?;
        let since = now.plus_minutes(-CODE_WINDOW_MINUTES);
        let (for_address, from_client) =
            portal::codes_since(&mut tx, &address_key, &client, since).await?;
        let failures = portal::failures_since(&mut tx, &address_key, now.plus_days(-1)).await?;
        if for_address >= CODES_PER_ADDRESS
            || from_client >= CODES_PER_CLIENT
            || failures >= FAILURES_PER_DAY
        {
            return Err(AppError::Throttled);
        }
        // Only someone who has not left, and only when exactly one person has the address.
        let found = people::with_address(&mut tx, email.as_deref(), phone.as_deref()).await?;
        let mut current = found.iter().filter(|m| m.status != "left");
        let person = match (current.next(), current.next()) {
            (Some(one), None) => Some(one.id),
            _ => None,
        };
        let request = SecretToken::generate("");
        let link = SecretToken::generate("");
        let code = six_digits();
        let request_hash = request.hash();
        portal::add_code(
            &mut tx,
            &NewCode {
                request_hash: &request_hash,
                link_hash: &link.hash(),
                code_hash: &code_hash(&request_hash, &code),
                person_id: person,
                address_key: &address_key,
                client_key: &client,
                expires_at: now.plus_minutes(CODE_MINUTES),
            },
            now,
        )
        .await?;
        if let Some(id) = person {
            let p = people::find(&mut tx, id, people::Scope::All)
                .await?
                .ok_or(AppError::NotFound)?;
            let channel = if email.is_some() { "email" } else { "sms" };
            if self.channels().contains(&channel) {
                let easy = p.needs.contains(&Need::EasyRead);
                let url = format!("{origin}/my/sign-in/link/{}", link.expose());
                let (subject, body) = code_words(&code, &url, easy);
                let key = format!("portal-code:{request_hash}");
                outbox::enqueue(
                    &mut tx,
                    &[NewMessage {
                        dedupe_key: &key,
                        kind: "sign_in_code",
                        channel,
                        person_id: Some(id),
                        meeting_id: None,
                        recipient: &normal,
                        recipient_name: &p.name,
                        subject: &subject,
                        body: &body,
                        easy_read: easy,
                        send_after: now,
                    }],
                    now,
                )
                .await?;
            }
        }
        tx.commit().await?;
        Ok(request)
    }

    /// Signs in with the code sent for a request. A wrong code counts against the request; an
    /// expired or used one says so; an unknown address behaves as a wrong code.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn portal_code_sign_in(
        &self,
        request: &str,
        code: &str,
    ) -> Result<SecretToken, AppError> {
        let code: String = code.chars().filter(char::is_ascii_digit).collect();
        if code.len() != 6 {
            return Err(AppError::field(
                "code",
                "Enter the 6-digit code we sent you",
            ));
        }
        let request_hash = SecretToken::from_presented(request.trim()).hash();
        let now = self.now();
        let mut tx = self.db().write().await?;
        let found = portal::find_code(&mut tx, false, &request_hash)
            .await?
            .ok_or(AppError::Expired)?;
        if found.used_at.is_some() || found.expires_at < now.millis() {
            return Err(AppError::Expired);
        }
        if !portal::add_attempt(&mut tx, found.id, MAX_CODE_ATTEMPTS).await? {
            return Err(AppError::Throttled);
        }
        let right = constant_time_eq(&found.code_hash, &code_hash(&request_hash, &code));
        match (right, found.person_id) {
            (true, Some(person)) => self.start_portal_session(tx, found.id, person, now).await,
            _ => {
                tx.commit().await?;
                Err(AppError::BadCredentials)
            }
        }
    }

    /// Signs in with the link sent for a request.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn portal_link_sign_in(&self, link: &str) -> Result<SecretToken, AppError> {
        let now = self.now();
        let mut tx = self.db().write().await?;
        let found = portal::find_code(&mut tx, true, &SecretToken::from_presented(link).hash())
            .await?
            .ok_or(AppError::Expired)?;
        match found.person_id {
            Some(person) if found.used_at.is_none() && found.expires_at >= now.millis() => {
                self.start_portal_session(tx, found.id, person, now).await
            }
            _ => Err(AppError::Expired),
        }
    }

    async fn start_portal_session(
        &self,
        mut tx: Tx,
        code: i64,
        person: PersonId,
        now: Timestamp,
    ) -> Result<SecretToken, AppError> {
        if !portal::use_code(&mut tx, code, now).await? {
            return Err(AppError::Expired);
        }
        let token = self
            .add_portal_session(&mut tx, person, None, now.plus_minutes(ABSOLUTE_HOURS * 60))
            .await?;
        crate::audit::record(
            &mut tx,
            self.audit_key(),
            &Actor::Person {
                person_id: person,
                on_behalf_of: None,
            },
            now,
            AuditEvent::PortalSignIn,
            &format!("person:{person}"),
            "",
        )
        .await?;
        tx.commit().await?;
        Ok(token)
    }

    async fn add_portal_session(
        &self,
        tx: &mut Tx,
        person: PersonId,
        on_behalf_of: Option<StaffId>,
        expires_at: Timestamp,
    ) -> Result<SecretToken, AppError> {
        let token = SecretToken::generate("");
        let csrf = SecretToken::generate("");
        portal::add_session(
            tx,
            &NewSession {
                token_hash: &token.hash(),
                person_id: person,
                csrf_token: csrf.expose(),
                on_behalf_of: on_behalf_of.map(|s| s.0),
                expires_at,
            },
            self.now(),
        )
        .await?;
        Ok(token)
    }

    /// Signs a person in to their portal on their behalf, for someone who is not online. It
    /// lasts half an hour, shows who is acting, and is audited.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn portal_on_behalf(
        &self,
        actor: &Actor,
        person: PersonId,
    ) -> Result<SecretToken, AppError> {
        let now = self.now();
        self.write(actor, Action::EditPeople, &Resource::ANY, async |tx| {
            let staff = actor.staff().map(|s| s.id).ok_or(AppError::Forbidden)?;
            let p = people::find(tx, person, people_scope(actor))
                .await?
                .ok_or(AppError::NotFound)?;
            if p.status == PersonStatus::Left {
                return Err(AppError::field(
                    "person",
                    "They have left, so they have no page to sign in to",
                ));
            }
            let expires = now.plus_minutes(ON_BEHALF_MINUTES);
            let token = self
                .add_portal_session(tx, person, Some(staff), expires)
                .await?;
            Ok(Done::new(
                token,
                AuditEvent::PortalOnBehalf,
                format!("person:{person}"),
                "",
            ))
        })
        .await
    }

    /// The portal session a cookie's token belongs to, noting it was used.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn portal_session(&self, token: &str) -> Result<PortalLookup, AppError> {
        let now = self.now();
        let hash = SecretToken::from_presented(token).hash();
        let mut tx = self.db().read().await?;
        let found = portal::find_session(&mut tx, &hash).await?;
        tx.commit().await?;
        let Some(s) = found else {
            return Ok(PortalLookup::Missing);
        };
        let idle =
            s.on_behalf_of.is_none() && now.millis() - s.last_seen_at > IDLE_MINUTES * 60_000;
        if idle || now.millis() >= s.expires_at {
            return Ok(PortalLookup::Expired);
        }
        // Noting use costs a write, so it is done at most once a minute.
        if now.millis() - s.last_seen_at > 60_000 {
            let mut tx = self.db().write().await?;
            portal::touch(&mut tx, s.id, now).await?;
            tx.commit().await?;
        }
        Ok(PortalLookup::Live(Box::new(PortalSession {
            id: s.id,
            person_id: s.person_id,
            name: if s.preferred_name.is_empty() {
                s.name
            } else {
                s.preferred_name
            },
            csrf_token: s.csrf_token,
            easy_read: s.easy_read,
            on_behalf: s
                .on_behalf_of
                .map(|id| (StaffId(id), s.staff_name.unwrap_or_default())),
            expires_at: Timestamp(s.expires_at),
        })))
    }

    /// Ends a portal session.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn portal_sign_out(&self, session: &PortalSession) -> Result<(), AppError> {
        let now = self.now();
        let me = session.person_id;
        // A session's own person always may: the check refuses nobody.
        let mine = Resource::person(me);
        self.write(&session.actor(), Action::ActAsPerson, &mine, async |tx| {
            portal::revoke(tx, session.id, now).await?;
            Ok(Done::new(
                (),
                AuditEvent::PortalSignOut,
                format!("person:{me}"),
                "",
            ))
        })
        .await
    }

    /// Everything a person's portal shows them.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn portal_overview(
        &self,
        session: &PortalSession,
    ) -> Result<PortalOverview, AppError> {
        let me = session.person_id;
        authorise(&session.actor(), Action::ActAsPerson, &Resource::person(me))?;
        let now = self.now();
        let today = uk_day(now).to_string();
        let mut tx = self.db().read().await?;
        let person = people::find(&mut tx, me, people::Scope::All)
            .await?
            .ok_or(AppError::NotFound)?;
        let from = now.plus_minutes(-60);
        let rows = meetings::for_attendee(
            &mut tx,
            Joiner::Person(me),
            from,
            now.plus_days(92),
            200,
            meetings::Texts::Without,
        )
        .await?;
        let replies = portal::replies(&mut tx, me, from).await?;
        let meetings = rows
            .into_iter()
            .map(|m| {
                let reply = replies
                    .iter()
                    .find(|(id, _)| *id == m.id)
                    .map(|(_, r)| r.clone());
                (m, reply)
            })
            .collect();
        let mine = opportunities::for_person(&mut tx, me).await?;
        let opportunities = opportunities::list(&mut tx, Listing::Involved(&today))
            .await?
            .into_iter()
            .map(|o| {
                let stage = mine
                    .iter()
                    .find(|x| x.opportunity_id == o.id)
                    .map(|x| x.status.clone());
                (o, stage)
            })
            .collect();
        let involvement = attendance::involvements(&mut tx, me, 50).await?;
        let mut consents: Vec<ConsentRow> = Vec::new();
        for c in people::consents(&mut tx, me).await?.into_iter().rev() {
            if !consents.iter().any(|x| x.kind == c.kind) {
                consents.push(c);
            }
        }
        let calendar_link = coproduce_store::feeds::current(&mut tx, Joiner::Person(me)).await?;
        tx.commit().await?;
        self.inner
            .audit_writer
            .record(
                now,
                session.actor().audit_name(),
                AuditEvent::PortalView,
                format!("person:{me}"),
            )
            .await?;
        Ok(PortalOverview {
            person,
            meetings,
            opportunities,
            involvement,
            consents,
            calendar_link,
        })
    }

    /// A person says whether they are coming to a meeting they are invited to.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn portal_reply(
        &self,
        session: &PortalSession,
        meeting: MeetingId,
        rsvp: &str,
    ) -> Result<(), AppError> {
        let me = session.person_id;
        let actor = session.actor();
        let now = self.now();
        let mine = Resource::person(me);
        self.write(&actor, Action::ActAsPerson, &mine, async |tx| {
            let rsvp = Rsvp::parse(rsvp)
                .ok_or_else(|| AppError::field("rsvp", "Choose whether you are coming"))?;
            let m = meetings::find(tx, meeting)
                .await?
                .ok_or(AppError::NotFound)?;
            let invitees = attendance::invitees(tx, meeting, m.team(), &m.starts_on).await?;
            let invited = invitees
                .iter()
                .any(|i| i.person_id == Some(me) && i.invited);
            if !invited || m.starts_at < now.millis() || m.status == "cancelled" {
                return Err(AppError::NotFound);
            }
            attendance::set_rsvp(tx, meeting, Joiner::Person(me), Some(rsvp.code()), now).await?;
            Ok(Done::new(
                (),
                AuditEvent::MeetingReply,
                format!("meeting:{meeting}"),
                format!("person:{me} replied {}", rsvp.code()),
            ))
        })
        .await
    }

    /// A person answers an opportunity open to them: yes, they would like to take part, or no,
    /// thank you.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn portal_interest(
        &self,
        session: &PortalSession,
        opportunity: OpportunityId,
        yes: bool,
    ) -> Result<(), AppError> {
        let me = session.person_id;
        let actor = session.actor();
        authorise(&actor, Action::ActAsPerson, &Resource::person(me))?;
        let now = self.now();
        let today = uk_day(now).to_string();
        let mut tx = self.db().write().await?;
        let o = opportunities::find(&mut tx, opportunity)
            .await?
            .filter(|o| o.visibility != "draft" && o.closes_on >= today)
            .ok_or(AppError::NotFound)?;
        let mine = opportunities::for_person(&mut tx, me).await?;
        let stage = mine
            .iter()
            .find(|x| x.opportunity_id == o.id)
            .map(|x| x.status.as_str());
        // Answering again, or once staff have moved them on (selected, waiting, confirmed,
        // declined or withdrawn), changes nothing: that is for staff to change.
        if matches!(stage, None | Some("invited")) {
            let answer = if yes { "interested" } else { "declined" };
            opportunities::set_person(&mut tx, o.id, me, answer, now).await?;
            crate::audit::record(
                &mut tx,
                self.audit_key(),
                &actor,
                now,
                AuditEvent::OpportunityAnswer,
                &format!("opportunity:{}", o.id),
                &format!("person:{me}={answer}"),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// A person changes how they like to be contacted and what they need.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn portal_contact(
        &self,
        session: &PortalSession,
        input: &ContactInput,
    ) -> Result<(), AppError> {
        let me = session.person_id;
        let actor = session.actor();
        let mine = Resource::person(me);
        self.write(&actor, Action::ActAsPerson, &mine, async |tx| {
            let mut problems = Vec::new();
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
                "Anything else",
                &mut problems,
            );
            if !problems.is_empty() {
                return Err(AppError::Invalid(problems));
            }
            let channels: Vec<Channel> = input
                .channels
                .iter()
                .filter_map(|c| Channel::parse(c))
                .collect();
            let needs: Vec<Need> = input.needs.iter().filter_map(|c| Need::parse(c)).collect();
            let now = self.now();
            let mut p = people::find(tx, me, people::Scope::All)
                .await?
                .ok_or(AppError::NotFound)?;
            p.channels = channels;
            p.best_times = best_times;
            p.needs = needs;
            p.needs_notes = needs_notes;
            if !people::update(tx, &p, now).await? {
                return Err(AppError::Conflict {
                    version: p.version,
                    changed: vec!["channels"],
                });
            }
            Ok(Done::new(
                (),
                AuditEvent::PersonChange,
                format!("person:{me}"),
                "portal: contact preferences",
            ))
        })
        .await
    }

    /// A person gives or withdraws a consent.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn portal_consent(
        &self,
        session: &PortalSession,
        kind: &str,
        given: bool,
    ) -> Result<(), AppError> {
        let me = session.person_id;
        let actor = session.actor();
        let mine = Resource::person(me);
        self.write(&actor, Action::ActAsPerson, &mine, async |tx| {
            let kind = ConsentKind::parse(kind)
                .ok_or_else(|| AppError::field("kind", "Choose what the consent is for"))?;
            let now = self.now();
            let note = match &session.on_behalf {
                Some((_, name)) => format!("Through their page, with {name}"),
                None => "Through their own page".to_owned(),
            };
            people::add_consent(
                tx,
                me,
                kind.code(),
                given,
                &note,
                session.on_behalf.as_ref().map(|(id, _)| *id),
                now,
            )
            .await?;
            Ok(Done::new(
                (),
                AuditEvent::ConsentRecord,
                format!("person:{me}"),
                format!("{}={given}", kind.code()),
            ))
        })
        .await
    }

    /// A person turns Easy Read mode on or off; it stays as they set it.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn portal_easy_read(
        &self,
        session: &PortalSession,
        on: bool,
    ) -> Result<(), AppError> {
        let me = session.person_id;
        authorise(&session.actor(), Action::ActAsPerson, &Resource::person(me))?;
        let mut tx = self.db().write().await?;
        portal::set_easy_read(&mut tx, me, on).await?;
        tx.commit().await?;
        Ok(())
    }
}

fn code_words(code: &str, url: &str, easy_read: bool) -> (String, String) {
    if easy_read {
        (
            "Your code to sign in".to_owned(),
            format!(
                "Your code is {code}.\n\nType it in to sign in to your page.\n\nOr use this link: {url}\n\nThe code works for 10 minutes.\n\nDid you not ask for this? You do not need to do anything."
            ),
        )
    } else {
        (
            "Your sign-in code".to_owned(),
            format!(
                "Your code to sign in to your page is {code}. It works once, for 10 minutes.\n\nOr sign in with this link: {url}\n\nIf you did not ask to sign in, you can ignore this message: nobody can sign in without the code."
            ),
        )
    }
}
