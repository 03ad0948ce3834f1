//! Asking for feedback: each person who attended a meeting, when its register is saved, and each
//! person confirmed for an activity, once its day is over; by a link sent the way they prefer
//! that works once for 14 days.

use super::*;
use coproduce_domain::feedback::{Asked, LINK_DAYS};
use coproduce_domain::opportunities::Opportunity;
use coproduce_domain::SecretToken;
use coproduce_store::feedback as store;
use coproduce_store::outbox::NewMessage;

impl App {
    /// Asks someone who attended meeting `m` for feedback (see [`App::ask_about`]).
    pub(crate) async fn ask_for_feedback(
        &self,
        tx: &mut Tx,
        m: &Meeting,
        person: PersonId,
        now: Timestamp,
    ) -> Result<(), AppError> {
        self.ask_about(tx, &Subject::meeting(m), person, now)
            .await
            .map(|_| ())
    }

    /// Asks those confirmed for activities that ended in the last 13 days and were not asked
    /// yet. Returns how many were asked. Run every few minutes.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn queue_activity_feedback(&self) -> Result<u64, AppError> {
        let now = self.now();
        let from = coproduce_domain::time::uk_day(now.plus_days(-(LINK_DAYS - 1))).to_string();
        let to = coproduce_domain::time::uk_day(now).to_string();
        let mut tx = self.db().write().await?;
        let mut asked = 0;
        let mut current: Option<Subject> = None;
        for (id, person) in store::confirmed_unasked(&mut tx, &from, &to).await? {
            if current.as_ref().map(|s| s.asked) != Some(Asked::Opportunity(id)) {
                current = opportunities::find(&mut tx, id)
                    .await?
                    .as_ref()
                    .and_then(Subject::activity);
            }
            match &current {
                Some(s) if s.ends_at <= now.millis() => {
                    asked += u64::from(self.ask_about(&mut tx, s, person, now).await?);
                }
                _ => {}
            }
        }
        tx.commit().await?;
        Ok(asked)
    }

    /// Asks someone about a meeting or activity, by a link sent after it ends that works for 14
    /// days, unless they were asked already, it ended more than 13 days ago, or we cannot reach
    /// them (they are then marked asked without a link, so they are not tried again). Returns
    /// whether a link was sent.
    async fn ask_about(
        &self,
        tx: &mut Tx,
        about: &Subject,
        person: PersonId,
        now: Timestamp,
    ) -> Result<bool, AppError> {
        // Taken long after, a register asks nobody: it is no longer fresh in mind.
        if now.millis() > Timestamp(about.ends_at).plus_days(LINK_DAYS - 1).millis() {
            return Ok(false);
        }
        let send_after = Timestamp(about.ends_at.max(now.millis()));
        let expires = send_after.plus_days(LINK_DAYS);
        let Some(to) = crate::outbox::reachable(tx, person, self.channels()).await? else {
            store::add_request(tx, about.asked, person, None, expires, now).await?;
            return Ok(false);
        };
        let token = SecretToken::generate("");
        let hash = token.hash();
        if !store::add_request(tx, about.asked, person, Some(&hash), expires, now).await? {
            return Ok(false);
        }
        let url = format!("{}/my/feedback/{}", self.public_origin(), token.expose());
        let (subject, body) = ask_words(about, &to.name, &url, to.easy_read);
        let (key, meeting) = match about.asked {
            Asked::Meeting(m) => (format!("feedback:{m}:{person}"), Some(m)),
            Asked::Opportunity(o) => (format!("feedback:opportunity:{o}:{person}"), None),
        };
        let message = NewMessage {
            dedupe_key: &key,
            kind: "feedback",
            channel: to.channel,
            person_id: Some(person),
            meeting_id: meeting,
            recipient: &to.address,
            recipient_name: &to.name,
            subject: &subject,
            body: &body,
            easy_read: to.easy_read,
            send_after,
        };
        crate::outbox::enqueue(tx, &[message], now).await?;
        Ok(true)
    }

    /// Takes back the question put to someone the register no longer says attended: an
    /// unanswered request goes (its link stops working) with its message, if not yet sent.
    pub(crate) async fn withdraw_feedback(
        &self,
        tx: &mut Tx,
        m: &Meeting,
        person: PersonId,
    ) -> Result<(), AppError> {
        if store::withdraw(tx, Asked::Meeting(m.id), person).await? {
            let key = format!("feedback:{}:{person}", m.id);
            coproduce_store::outbox::cancel_pending(tx, &key).await?;
        }
        Ok(())
    }
}

/// A meeting or activity, as asking about it needs it.
pub(super) struct Subject {
    pub(super) asked: Asked,
    pub(super) name: String,
    pub(super) starts_at: i64,
    pub(super) ends_at: i64,
    pub(super) held_on: String,
    pub(super) team: Option<Team>,
}

impl Subject {
    pub(super) fn meeting(m: &Meeting) -> Subject {
        Subject {
            asked: Asked::Meeting(m.id),
            name: m.name().to_owned(),
            starts_at: m.starts_at,
            ends_at: m.ends_at,
            held_on: m.starts_on.clone(),
            team: Some(m.team()),
        }
    }

    /// An activity, if its day and times can be read.
    pub(super) fn activity(o: &Opportunity) -> Option<Subject> {
        let ends_at = o.ends_at()?.millis();
        Some(Subject {
            asked: Asked::Opportunity(o.id),
            name: o.title.clone(),
            starts_at: o.starts_at().map_or(ends_at, |t| t.millis()),
            ends_at,
            held_on: o.starts_on.clone(),
            team: None,
        })
    }

    /// What its audit entries are about.
    pub(super) fn object(&self) -> String {
        match self.asked {
            Asked::Meeting(m) => format!("meeting:{m}"),
            Asked::Opportunity(o) => format!("opportunity:{o}"),
        }
    }
}

/// The message asking for feedback, standard or Easy Read.
fn ask_words(about: &Subject, name: &str, url: &str, easy_read: bool) -> (String, String) {
    let when = coproduce_domain::time::spoken_moment(Timestamp(about.starts_at), easy_read);
    let what = match about.asked {
        Asked::Meeting(_) => format!("the {} meeting", about.name),
        Asked::Opportunity(_) => about.name.clone(),
    };
    if easy_read {
        let (subject, it) = match about.asked {
            Asked::Meeting(_) => ("Tell us about the meeting", "the meeting".to_owned()),
            Asked::Opportunity(_) => ("Tell us how it went", what),
        };
        (
            subject.to_owned(),
            format!(
                "Hello {name}.\n\nThank you for coming to {it} on {when}.\n\nWe want to know what you thought. There are 4 short questions.\n\nUse this link: {url}\n\nThe link works for 2 weeks.\n\nYou do not have to answer."
            ),
        )
    } else {
        (
            format!("How was {what}?"),
            format!(
                "Dear {name},\n\nThank you for coming to {what} on {when}. Would you tell us how it went? There are four short questions, and you can answer without giving your name.\n\n{url}\n\nThe link works once, for 14 days. You do not have to answer."
            ),
        )
    }
}
