//! What is due a review, the form for a new one, and the reviews already held of one group,
//! project or relationship.

use super::*;
use coproduce_domain::reviews::{due_horizon, DueReview};

/// Rows of what is due a review a page shows.
pub const DUE_PAGE: i64 = 50;

/// How many past reviews a group's or project's page lists.
pub const HISTORY_SHOWN: i64 = 50;

/// One page of what is due a review, the longest overdue first.
#[derive(Clone, Debug)]
pub struct DuePage {
    /// The rows.
    pub rows: Vec<DueReview>,
    /// Where the next page starts, if there is one.
    pub next_from: Option<i64>,
    /// Today, for telling overdue from due.
    pub today: String,
}

/// What the form for a new review shows.
#[derive(Clone, Debug)]
pub struct ReviewForm {
    /// What it looks at.
    pub of: ReviewOf,
    /// Its name.
    pub name: String,
    /// When it was due.
    pub due_on: Option<String>,
    /// A project's level on the ladder now.
    pub ladder: Option<Ladder>,
    /// The next review's date if none is typed: the usual cadence from today.
    pub usual_next: String,
    /// Today, the day a review is held unless it says otherwise.
    pub today: chrono::NaiveDate,
    /// The last review, to look back at.
    pub last: Option<Review>,
}

impl App {
    /// What is due a review before `due_before` (`YYYY-MM-DD`; empty: within four weeks),
    /// overdue first, from the `from`th row.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn reviews_due(
        &self,
        actor: &Actor,
        due_before: &str,
        from: i64,
    ) -> Result<DuePage, AppError> {
        authorise(actor, Action::ViewGroups, &Resource::ANY)?;
        let today = uk_day(self.now());
        let before = match due_before.trim() {
            "" => due_horizon(today),
            typed => parse_date(typed)
                .map_err(|e| AppError::field("due_before", e.0))?
                .to_string(),
        };
        let from = from.max(0);
        let mut tx = self.db().read().await?;
        let mut rows =
            reviews::due(&mut tx, bounded_by(actor), &before, DUE_PAGE + 1, from).await?;
        tx.commit().await?;
        let next_from = (rows.len() as i64 > DUE_PAGE).then_some(from + DUE_PAGE);
        rows.truncate(DUE_PAGE as usize);
        Ok(DuePage {
            rows,
            next_from,
            today: today.to_string(),
        })
    }

    /// The form for a review of `of`, if the actor may record one.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn review_form(&self, actor: &Actor, of: ReviewOf) -> Result<ReviewForm, AppError> {
        authorise(actor, Action::RecordReviews, &Resource::ANY)?;
        let mut tx = self.db().read().await?;
        let subject = reviews::subject(&mut tx, of, bounded_by(actor))
            .await?
            .ok_or(AppError::NotFound)?;
        authorise(
            actor,
            Action::RecordReviews,
            &Resource::in_service(subject.service_id),
        )?;
        let last = reviews::history(&mut tx, of, bounded_by(actor), 1).await?;
        tx.commit().await?;
        Ok(ReviewForm {
            of,
            name: subject.name,
            due_on: subject.next_review_on,
            ladder: subject.ladder.as_deref().and_then(Ladder::parse),
            usual_next: of.next_due(uk_day(self.now())).to_string(),
            today: uk_day(self.now()),
            last: last.into_iter().next(),
        })
    }

    /// The reviews held of one group, project or relationship, newest first, and today's
    /// UK date (`YYYY-MM-DD`) for telling whether the next is overdue.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn review_history(
        &self,
        actor: &Actor,
        of: ReviewOf,
    ) -> Result<(Vec<Review>, String), AppError> {
        authorise(actor, Action::ViewGroups, &Resource::ANY)?;
        let mut tx = self.db().read().await?;
        let held = reviews::history(&mut tx, of, bounded_by(actor), HISTORY_SHOWN).await?;
        tx.commit().await?;
        Ok((held, uk_day(self.now()).to_string()))
    }
}
