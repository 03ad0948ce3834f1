//! The keep-in-touch queue: who is due a contact, most overdue first.

use super::*;
use crate::authz::bounded_by;
use coproduce_domain::concerns::Concern;
use coproduce_domain::meetings::ActionItem;
use coproduce_domain::relationships::QueueEntry;
use coproduce_domain::reviews::{due_horizon, DueReview};
use coproduce_domain::time::{uk_day, uk_day_start};
use coproduce_store::{actions, concerns, relationships, reviews, settings};

/// How many of a staff member's open actions their queue's page lists.
pub const MY_ACTIONS_SHOWN: i64 = 20;

/// How many overdue concerns the queue's page lists.
pub const OVERDUE_CONCERNS_SHOWN: i64 = 20;

/// How many reviews due the queue's page lists.
pub const REVIEWS_SHOWN: i64 = 20;

/// The queue's page: who to contact, beside the staff member's own open actions and the
/// concerns past their step's target.
#[derive(Clone, Debug)]
pub struct KeepInTouchPage {
    /// Who is due a contact.
    pub queue: QueuePage,
    /// The staff member's own open actions from any meeting.
    pub actions: Vec<ActionItem>,
    /// Overdue concerns, longest waiting first: every one for the participation team, their
    /// own (as owner) for service staff.
    pub concerns: Vec<Concern>,
    /// Groups, projects and relationships overdue or due a review within four weeks, the
    /// longest overdue first.
    pub reviews: Vec<DueReview>,
    /// Today, for telling an overdue review from one due.
    pub today: String,
}

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
        let mut tx = self.db().read().await?;
        let page = self.queue_in(&mut tx, actor, input).await?;
        tx.commit().await?;
        Ok(page)
    }

    /// The queue's page: the queue as [`App::keep_in_touch`] gives it, the signed-in staff
    /// member's own open actions from any meeting (nobody else's, so they need no more than
    /// being staff) and the overdue concerns, read in one transaction: each read of its own is
    /// a connection and a hop to its thread, which made the page 10 to 20% dearer once it
    /// listed actions (issue 13).
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn keep_in_touch_page(
        &self,
        actor: &Actor,
        input: &QueueInput,
    ) -> Result<KeepInTouchPage, AppError> {
        authorise(actor, Action::ViewPeople, &Resource::ANY)?;
        let mut tx = self.db().read().await?;
        let page = self.queue_in(&mut tx, actor, input).await?;
        let mine = match actor.staff() {
            Some(me) if may(actor, Action::ViewGroups, &Resource::ANY) => {
                actions::open_for_staff(&mut tx, me.id, people_scope(actor), MY_ACTIONS_SHOWN)
                    .await?
            }
            _ => Vec::new(),
        };
        let overdue = match may(actor, Action::ViewConcerns, &Resource::ANY) {
            true => {
                let before = settings::concern_rules(&mut tx)
                    .await?
                    .days
                    .overdue_before(self.now());
                // Those bounded to their services see the concerns they own; the participation
                // team, every one.
                let scope = bounded_by(actor);
                concerns::overdue(&mut tx, scope, scope, before, OVERDUE_CONCERNS_SHOWN).await?
            }
            false => Vec::new(),
        };
        let today = uk_day(self.now());
        let reviews = match may(actor, Action::ViewGroups, &Resource::ANY) {
            true => {
                let before = due_horizon(today);
                reviews::due(&mut tx, bounded_by(actor), &before, REVIEWS_SHOWN, 0).await?
            }
            false => Vec::new(),
        };
        tx.commit().await?;
        Ok(KeepInTouchPage {
            queue: page,
            actions: mine,
            concerns: overdue,
            reviews,
            today: today.to_string(),
        })
    }

    /// A page of the queue, read in `tx`.
    async fn queue_in(
        &self,
        tx: &mut Tx,
        actor: &Actor,
        input: &QueueInput,
    ) -> Result<QueuePage, AppError> {
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
        // One more than a page says whether there is a next page without counting them all.
        let mut rows =
            relationships::queue(tx, filter, scope, horizon, QUEUE_PAGE + 1, from).await?;
        let next_from = (rows.len() as i64 > QUEUE_PAGE).then_some(from + QUEUE_PAGE);
        rows.truncate(QUEUE_PAGE as usize);
        Ok(QueuePage { rows, next_from })
    }
}
