//! Signing in to the portal: a one-time code or link sent the way the person prefers, the
//! session it starts, staff opening it on a person's behalf, and signing out.

use super::*;

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
        let mut current = found.iter().filter(|m| m.status != PersonStatus::Left);
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
                crate::outbox::enqueue(
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
