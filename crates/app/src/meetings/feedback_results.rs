//! Feedback's results: a group's or project's meetings, or one activity, by quarter, newest
//! first, never for fewer than five answers.

use super::*;
use coproduce_domain::feedback::{self, Period, ResultsOf};
use coproduce_domain::OpportunityId;
use coproduce_store::feedback as store;

/// Suggestions a results page shows at most.
const SUGGESTIONS_SHOWN: usize = 50;
/// Suggestions read to find them, the newest first.
const SUGGESTIONS_READ: i64 = 500;

/// Feedback's results: each quarter's, newest first, and what people said should change in the
/// quarters reported.
#[derive(Clone, Debug)]
pub struct FeedbackResults {
    /// The group's, project's or activity's name.
    pub name: String,
    /// The quarters.
    pub periods: Vec<Period>,
    /// What people said should change: the quarter and the words.
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
}

/// The results of `of`, named `name`.
async fn results(tx: &mut Tx, of: ResultsOf, name: String) -> Result<FeedbackResults, AppError> {
    let months = store::monthly(tx, of).await?;
    let periods = feedback::quarters(&months);
    let reported: Vec<&Period> = periods.iter().filter(|p| p.results.is_some()).collect();
    let found = match reported.last() {
        // More than are shown: those of quarters not reported are left out below.
        Some(oldest) => store::suggestions(tx, of, &oldest.starts, SUGGESTIONS_READ).await?,
        None => Vec::new(),
    };
    // Each with its quarter, not its day, and in the words' order within the quarter: a day
    // can be a meeting only one person answered about.
    let mut suggestions: Vec<(String, String)> = found
        .into_iter()
        .filter_map(|(day, words)| {
            let quarter = reported
                .iter()
                .find(|q| feedback::in_quarter(&day, &q.starts))?;
            Some((quarter.label.clone(), words))
        })
        .take(SUGGESTIONS_SHOWN)
        .collect();
    let newest_first: Vec<&str> = periods.iter().map(|p| p.label.as_str()).collect();
    let rank = |label: &str| newest_first.iter().position(|l| *l == label);
    suggestions.sort_by(|a, b| rank(&a.0).cmp(&rank(&b.0)).then_with(|| a.1.cmp(&b.1)));
    Ok(FeedbackResults {
        name,
        periods,
        suggestions,
    })
}
