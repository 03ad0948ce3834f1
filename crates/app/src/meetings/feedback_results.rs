//! Feedback's results: a group's or project's meetings, or one activity, by quarter, newest
//! first, never for fewer than five answers; and a team's since a day, for its review.

use super::*;
use coproduce_domain::feedback::{self, Period, ResultsOf};
use coproduce_domain::OpportunityId;
use coproduce_store::feedback as store;

/// Suggestions a results page shows at most.
const SUGGESTIONS_SHOWN: i64 = 50;

/// Feedback's results: each quarter's, newest first, and what people said should change in the
/// quarters reported.
#[derive(Clone, Debug)]
pub struct FeedbackResults {
    /// The group's, project's or activity's name.
    pub name: String,
    /// The quarters.
    pub periods: Vec<Period>,
    /// The day and the words.
    pub suggestions: Vec<(String, String)>,
}

impl App {
    /// A group's or project's feedback by quarter, newest first, with what people said should
    /// change in the quarters that had enough answers to report.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn feedback_results(
        &self,
        actor: &Actor,
        team: Team,
    ) -> Result<FeedbackResults, AppError> {
        let mut tx = self.db().read().await?;
        let name = see_team(actor, &mut tx, team).await?;
        let results = results(&mut tx, ResultsOf::Team(team), name).await?;
        tx.commit().await?;
        Ok(results)
    }

    /// One activity's feedback, the same way.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn activity_feedback(
        &self,
        actor: &Actor,
        id: OpportunityId,
    ) -> Result<FeedbackResults, AppError> {
        authorise(actor, Action::ViewGroups, &Resource::ANY)?;
        let mut tx = self.db().read().await?;
        let o = opportunities::find(&mut tx, id)
            .await?
            .ok_or(AppError::NotFound)?;
        authorise_or_hide(
            actor,
            Action::ViewGroups,
            &Resource::in_service(o.service_id),
        )?;
        let results = results(&mut tx, ResultsOf::Opportunity(id), o.title).await?;
        tx.commit().await?;
        Ok(results)
    }

    /// A group's or project's feedback on meetings held on or after `since` (`YYYY-MM-DD`), as
    /// one period; none when nobody answered.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn feedback_since(
        &self,
        actor: &Actor,
        team: Team,
        since: &str,
        label: &str,
    ) -> Result<Option<Period>, AppError> {
        let mut tx = self.db().read().await?;
        see_team(actor, &mut tx, team).await?;
        let months = store::months(&mut tx, ResultsOf::Team(team), since).await?;
        tx.commit().await?;
        Ok(feedback::overall(&months, label))
    }
}

/// The results of `of`, named `name`.
async fn results(tx: &mut Tx, of: ResultsOf, name: String) -> Result<FeedbackResults, AppError> {
    let months = store::monthly(tx, of).await?;
    let periods = feedback::quarters(&months);
    let reported: Vec<&str> = periods
        .iter()
        .filter(|p| p.results.is_some())
        .map(|p| p.starts.as_str())
        .collect();
    let suggestions = match reported.last() {
        Some(oldest) => store::suggestions(tx, of, oldest, SUGGESTIONS_SHOWN).await?,
        None => Vec::new(),
    };
    let in_reported = |day: &str| reported.iter().any(|q| feedback::in_quarter(day, q));
    let suggestions = suggestions
        .into_iter()
        .filter(|(day, _)| in_reported(day))
        .collect();
    Ok(FeedbackResults {
        name,
        periods,
        suggestions,
    })
}
