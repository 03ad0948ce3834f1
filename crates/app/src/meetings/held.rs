//! The meetings a group or project has held, newest first, a page at a time.

use super::*;
use coproduce_domain::meetings::{HeldPage, HELD_PAGE};

impl App {
    /// A group's or project's meetings that have begun, newest first, from the `from`th: each
    /// with whether its register was taken, whether it has minutes and its open actions.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn held_meetings(
        &self,
        actor: &Actor,
        team: Team,
        from: i64,
    ) -> Result<HeldPage, AppError> {
        let from = from.max(0);
        let mut tx = self.db().read().await?;
        see_team(actor, &mut tx, team).await?;
        let meetings =
            meetings::held_for_team(&mut tx, team, self.now(), HELD_PAGE + 1, from).await?;
        tx.commit().await?;
        Ok(HeldPage::of(meetings, from))
    }
}
