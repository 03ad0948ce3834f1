//! Easy Read mode, on or off.

use super::*;

impl App {
    /// A person turns Easy Read mode on or off; it stays as they set it.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn portal_easy_read(
        &self,
        session: &PortalSession,
        on: bool,
    ) -> Result<(), AppError> {
        let me = session.person_id;
        authorise(&session.actor(), Action::ActAsPerson, &Resource::person(me))?;
        let mut tx = self.db().write().await?;
        portal::set_easy_read(&mut tx, me, on).await?;
        tx.commit().await?;
        Ok(())
    }
}
