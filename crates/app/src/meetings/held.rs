//! The meetings a group or project has held, newest first, a page at a time.

use super::*;
use coproduce_domain::meetings::HeldMeeting;

/// How many held meetings a page lists.
pub const HELD_PAGE: i64 = 10;

/// A page of held meetings.
#[derive(Clone, Debug)]
pub struct HeldPage {
    /// The meetings, newest first.
    pub meetings: Vec<HeldMeeting>,
    /// Where the next (older) page starts, if there is one.
    pub next_from: Option<i64>,
}

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
        // One more than a page says whether there is an older page.
        let mut meetings =
            meetings::held_for_team(&mut tx, team, self.now(), HELD_PAGE + 1, from).await?;
        tx.commit().await?;
        let next_from = (meetings.len() as i64 > HELD_PAGE).then_some(from + HELD_PAGE);
        meetings.truncate(HELD_PAGE as usize);
        Ok(HeldPage {
            meetings,
            next_from,
        })
    }
}
