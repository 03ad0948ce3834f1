//! The outbox: reminders and notices of changed meetings, queued in the same transaction as what
//! causes them, sent by a worker with retries and backoff, each the way its person prefers.

mod delivery;
mod notify;
mod smtp;
mod transport;

pub use delivery::{Delivery, SendError};
pub use notify::{split_api_key, token as notify_token, Notify, NOTIFY_URL};
pub use smtp::Smtp;
pub use transport::Transport;

use crate::{App, AppError};
use coproduce_domain::groups::Rsvp;
use coproduce_domain::meetings::Meeting;
use coproduce_domain::meetings::MeetingStatus;
use coproduce_domain::people::Need;
use coproduce_domain::PersonId;
use coproduce_domain::{Person, Timestamp};
use coproduce_store::outbox::{self, NewMessage, Outcome};
use coproduce_store::{attendance, meetings, people, Tx};
use std::sync::Arc;

/// How long a worker holds the messages it claimed before another may take them over.
const LEASE_MS: i64 = 5 * 60_000;

/// Attempts before a message is given up on.
pub const MAX_ATTEMPTS: i64 = 10;

/// How long to wait before the next attempt: 30 seconds, doubling, at most an hour.
pub fn backoff_ms(attempts: i64) -> i64 {
    let doubled = 30_000i64.saturating_mul(1 << attempts.clamp(1, 20).saturating_sub(1));
    doubled.min(3_600_000)
}

/// Every channel there is.
pub const ALL_CHANNELS: &[&str] = &["email", "sms", "letter"];

/// A person's way of being reached for a message, among the `channels` the transport can send:
/// the channel, the address and whether in Easy Read. None when they have no way we can use.
pub fn reach(p: &Person, channels: &[&str]) -> Option<(&'static str, String, bool)> {
    let easy_read = p.needs.contains(&Need::EasyRead);
    let email = p.email.clone().filter(|e| !e.is_empty());
    let phone = p.phone.clone().filter(|e| !e.is_empty());
    let address = (!p.address.trim().is_empty()).then(|| {
        let mut lines = p.address.trim().to_owned();
        if let Some(pc) = &p.postcode {
            lines.push('\n');
            lines.push_str(pc);
        }
        lines
    });
    let preferred = p.channels.iter().map(|c| c.code());
    let fallback = ["email", "text", "letter"];
    for channel in preferred.chain(fallback) {
        let found = match channel {
            "email" => email.clone().map(|a| ("email", a)),
            "text" | "phone" => phone.clone().map(|a| ("sms", a)),
            "letter" => address.clone().map(|a| ("letter", a)),
            _ => None,
        };
        if let Some((c, a)) = found.filter(|(c, _)| channels.contains(c)) {
            return Some((c, a, easy_read));
        }
    }
    None
}

/// The words of a message about a meeting: a reminder, or a notice that it moved or was
/// cancelled; standard or Easy Read (short sentences, one idea each).
pub fn words(kind: &str, m: &Meeting, name: &str, easy_read: bool) -> (String, String) {
    let when = coproduce_domain::time::spoken_moment(Timestamp(m.starts_at), easy_read);
    let what = m.name();
    let mut join = Vec::new();
    if let Some(v) = &m.join_video_link {
        join.push(if easy_read {
            format!("Join on the computer: {v}")
        } else {
            format!("Join online: {v}")
        });
    }
    if !m.join_phone_dial_in.is_empty() {
        join.push(format!("Join by phone: {}", m.join_phone_dial_in));
    }
    if !m.join_venue.is_empty() {
        join.push(format!("Where: {}", m.join_venue));
    }
    let joining = join.join("\n");
    let cancelled = m.status == MeetingStatus::Cancelled;
    match (kind, cancelled, easy_read) {
        (_, true, false) => (
            format!("Cancelled: {what} on {when}"),
            format!("Dear {name},\n\nThe {what} meeting on {when} is cancelled. We are sorry for any trouble this causes.\n"),
        ),
        (_, true, true) => (
            format!("Meeting cancelled: {when}"),
            format!("Hello {name}.\n\nThe meeting on {when} is not happening.\n\nYou do not need to come.\n"),
        ),
        ("reminder", false, false) => (
            format!("Reminder: {what} on {when}"),
            format!("Dear {name},\n\nThis is a reminder of the {what} meeting on {when}.\n\n{joining}\n"),
        ),
        ("reminder", false, true) => (
            format!("Your meeting on {when}"),
            format!("Hello {name}.\n\nYou have a meeting.\n\nIt is on {when}.\n\n{joining}\n\nWe look forward to seeing you.\n"),
        ),
        (_, false, false) => (
            format!("Changed: {what} is now on {when}"),
            format!("Dear {name},\n\nThe {what} meeting has moved. It is now on {when}.\n\n{joining}\n"),
        ),
        (_, false, true) => (
            format!("Your meeting has moved to {when}"),
            format!("Hello {name}.\n\nYour meeting has a new time.\n\nIt is now on {when}.\n\n{joining}\n"),
        ),
    }
}

/// Queues messages, each ended with the organisation's sign-off (who it is from and how to reach
/// them): the one way a message enters the outbox. Returns how many were new.
pub(crate) async fn enqueue(
    tx: &mut Tx,
    messages: &[NewMessage<'_>],
    now: Timestamp,
) -> Result<u64, AppError> {
    let org = coproduce_store::settings::organisation(tx).await?;
    let bodies: Vec<String> = messages
        .iter()
        .map(|m| format!("{}\n\n{}\n", m.body.trim_end(), org.sign_off(m.easy_read)))
        .collect();
    let signed: Vec<NewMessage> = messages
        .iter()
        .zip(&bodies)
        .map(|(m, body)| NewMessage { body, ..m.clone() })
        .collect();
    Ok(outbox::enqueue(tx, &signed, now).await?)
}

/// How a message reaches one person: by which channel, at which address, in Easy Read or not,
/// and the name to greet them by.
pub(crate) struct Reachable {
    /// The channel.
    pub channel: &'static str,
    /// The address on it.
    pub address: String,
    /// Whether they read Easy Read.
    pub easy_read: bool,
    /// Their preferred name, else their name.
    pub name: String,
}

/// How to reach a person among `channels`; none when they withdrew consent to be contacted (they
/// then hear nothing from us) or have no way we can use.
pub(crate) async fn reachable(
    tx: &mut Tx,
    person: PersonId,
    channels: &[&str],
) -> Result<Option<Reachable>, AppError> {
    let Some(p) = people::find(tx, person, people::Scope::All).await? else {
        return Ok(None);
    };
    let consents = people::consents(tx, person).await?;
    let withdrawn = consents
        .iter()
        .rev()
        .find(|c| c.kind == "contact")
        .is_some_and(|c| !c.given);
    if withdrawn {
        return Ok(None);
    }
    Ok(
        reach(&p, channels).map(|(channel, address, easy_read)| Reachable {
            channel,
            address,
            easy_read,
            name: if p.preferred_name.is_empty() {
                p.name.clone()
            } else {
                p.preferred_name.clone()
            },
        }),
    )
}

/// Queues a message of `kind` about meeting `m` for each person invited, the way each prefers,
/// keyed by `key(person)` so none is queued twice. Returns how many were new.
pub(crate) async fn queue_for_invitees(
    tx: &mut Tx,
    channels: &[&str],
    m: &Meeting,
    kind: &str,
    key: &(dyn Fn(PersonId) -> String + Sync),
    send_after: Timestamp,
    now: Timestamp,
) -> Result<u64, AppError> {
    let invitees = attendance::invitees(tx, m.id, m.team(), &m.starts_on).await?;
    let mut owned = Vec::new();
    for i in invitees
        .iter()
        .filter(|i| i.invited && i.rsvp != Some(Rsvp::No))
    {
        let Some(person) = i.person_id else { continue };
        let Some(r) = reachable(tx, person, channels).await? else {
            continue;
        };
        let (subject, body) = words(kind, m, &r.name, r.easy_read);
        owned.push((key(person), person, r, subject, body));
    }
    let messages: Vec<NewMessage> = owned
        .iter()
        .map(|(key, person, r, subject, body)| NewMessage {
            dedupe_key: key,
            kind,
            channel: r.channel,
            person_id: Some(*person),
            meeting_id: Some(m.id),
            recipient: &r.address,
            recipient_name: &r.name,
            subject,
            body,
            easy_read: r.easy_read,
            send_after,
        })
        .collect();
    enqueue(tx, &messages, now).await
}

impl App {
    /// Queues reminders for meetings whose group's lead time has come: one per invited person
    /// (not those who said they are not coming), once per meeting time. Returns how many were
    /// queued. Run every few minutes.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn queue_reminders(&self) -> Result<u64, AppError> {
        let now = self.now();
        let horizon = Timestamp(now.millis() + 15 * 86_400_000);
        let mut tx = self.db().write().await?;
        let soon = meetings::starting_between(&mut tx, now, horizon).await?;
        let mut queued = 0;
        for m in soon
            .iter()
            .filter(|m| m.starts_at - m.reminder_lead_hours * 3_600_000 <= now.millis())
        {
            let key = |p: PersonId| format!("reminder:{}:{p}:{}", m.id, m.starts_at);
            queued +=
                queue_for_invitees(&mut tx, self.channels(), m, "reminder", &key, now, now).await?;
        }
        tx.commit().await?;
        Ok(queued)
    }

    /// Sends up to `batch` due messages as `worker`: claims them for a lease, sends them at
    /// once, and records each outcome (a failure waits and tries again, up to
    /// [`MAX_ATTEMPTS`]). Returns how many it claimed.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn send_outbox(
        &self,
        transport: &Arc<Transport>,
        worker: &str,
        batch: i64,
    ) -> Result<usize, AppError> {
        let now = self.now();
        let mut tx = self.db().write().await?;
        let claimed = outbox::claim(
            &mut tx,
            worker,
            batch,
            Timestamp(now.millis() + LEASE_MS),
            now,
        )
        .await?;
        tx.commit().await?;
        if claimed.is_empty() {
            return Ok(0);
        }
        let mut sends = tokio::task::JoinSet::new();
        let mut tasks = std::collections::HashMap::new();
        for m in claimed.iter().cloned() {
            let t = Arc::clone(transport);
            let (id, attempts) = (m.id, m.attempts);
            let handle = sends.spawn(async move {
                let result = t.send(&m, m.id).await;
                (m.id, m.attempts, result)
            });
            tasks.insert(handle.id(), (id, attempts));
        }
        let mut results = Vec::with_capacity(claimed.len());
        while let Some(done) = sends.join_next_with_id().await {
            // A send that panicked is recorded as failed, to try again; the others' outcomes are
            // kept, so nothing already sent is sent again.
            let (id, attempts, result) = match done {
                Ok((_, outcome)) => outcome,
                Err(e) => {
                    let (id, attempts) = tasks.get(&e.id()).copied().unwrap_or((0, MAX_ATTEMPTS));
                    (
                        id,
                        attempts,
                        Err(SendError::Retry(format!("the send failed: {e}"))),
                    )
                }
            };
            let outcome = match result {
                Ok(provider) => Outcome::Sent(provider),
                Err(SendError::Permanent(e)) => Outcome::Failed(None, e),
                Err(SendError::Retry(e)) if attempts >= MAX_ATTEMPTS => Outcome::Failed(None, e),
                Err(SendError::Retry(e)) => Outcome::Failed(
                    Some(Timestamp(self.now().millis() + backoff_ms(attempts))),
                    e,
                ),
            };
            results.push((id, outcome));
        }
        let mut tx = self.db().write().await?;
        outbox::finish(&mut tx, worker, &results, self.now()).await?;
        tx.commit().await?;
        Ok(claimed.len())
    }

    /// Asks the provider what became of messages sent in the last week, and records the ones it
    /// knows the end of. Returns how many changed.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn check_deliveries(&self, transport: &Transport) -> Result<usize, AppError> {
        if !transport.reports_delivery() {
            return Ok(0);
        }
        let now = self.now();
        let mut tx = self.db().read().await?;
        let sent =
            outbox::awaiting_delivery(&mut tx, Timestamp(now.millis() - 7 * 86_400_000), 500)
                .await?;
        tx.commit().await?;
        let mut known = Vec::new();
        for (id, provider) in sent {
            match transport.delivery(&provider).await {
                Delivery::Pending => {}
                Delivery::Delivered => known.push((id, "delivered", None)),
                Delivery::Failed(why) => known.push((id, "failed", Some(why))),
            }
        }
        let mut tx = self.db().write().await?;
        for (id, status, why) in &known {
            outbox::set_delivery(&mut tx, *id, status, why.as_deref(), now).await?;
        }
        tx.commit().await?;
        Ok(known.len())
    }

    /// How many messages are in each status.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn outbox_counts(&self) -> Result<Vec<(String, i64)>, AppError> {
        let mut tx = self.db().read().await?;
        let counts = outbox::counts(&mut tx).await?;
        tx.commit().await?;
        Ok(counts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_from_thirty_seconds_to_an_hour() {
        assert_eq!(backoff_ms(1), 30_000);
        assert_eq!(backoff_ms(2), 60_000);
        assert_eq!(backoff_ms(5), 480_000);
        assert_eq!(backoff_ms(9), 3_600_000);
    }
}
