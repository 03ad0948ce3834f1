//! The keep-in-touch queue: who is due a contact, most overdue first.

use super::*;
use coproduce_domain::relationships::QueueEntry;
use coproduce_domain::time::uk_day_start;
use coproduce_store::relationships;

/// How a queue is narrowed, as asked.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct QueueInput {
    /// A service id.
    pub service: String,
    /// A staff member's id, or `mine`.
    pub contact: String,
    /// How many rows to skip (for the next page).
    pub from: i64,
}

/// Rows of the keep-in-touch queue shown at once.
pub const QUEUE_PAGE: i64 = 50;

/// One page of the keep-in-touch queue.
#[derive(Clone, Debug)]
pub struct QueuePage {
    /// The rows, most overdue first.
    pub rows: Vec<QueueEntry>,
    /// Where the next page starts, if there is one.
    pub next_from: Option<i64>,
}

impl App {
    /// Who is overdue or due a contact within a week, most overdue first.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn keep_in_touch(
        &self,
        actor: &Actor,
        input: &QueueInput,
    ) -> Result<QueuePage, AppError> {
        authorise(actor, Action::ViewPeople, &Resource::ANY)?;
        let contact = match input.contact.trim() {
            "mine" => actor.staff().map(|s| s.id),
            other => other.parse().ok(),
        };
        let filter = QueueFilter {
            service_id: input.service.trim().parse().ok(),
            staff_contact_id: contact,
        };
        // Due on any of the next seven UK days, as the page counts them.
        let horizon = uk_day_start(self.now(), DUE_SOON_DAYS + 1);
        let scope = people_scope(actor);
        let from = input.from.max(0);
        let mut tx = self.db().read().await?;
        // One more than a page says whether there is a next page without counting them all.
        let mut rows =
            relationships::queue(&mut tx, filter, scope, horizon, QUEUE_PAGE + 1, from).await?;
        tx.commit().await?;
        let next_from = (rows.len() as i64 > QUEUE_PAGE).then_some(from + QUEUE_PAGE);
        rows.truncate(QUEUE_PAGE as usize);
        Ok(QueuePage { rows, next_from })
    }
}
