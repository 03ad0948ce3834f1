//! "You said, we did": the published improvements anyone may read, kept for a moment like the
//! public opportunities.

use crate::{App, AppError};
use coproduce_domain::improvements::Published;
use coproduce_domain::time::uk_day;
use coproduce_store::improvements;
use std::sync::Arc;

impl App {
    /// Every published improvement, by service name, each service's newest first.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn published_improvements(&self) -> Result<Arc<Vec<Published>>, AppError> {
        let now = self.now();
        let today = uk_day(now).to_string();
        if let Some(rows) = self.inner.public_improvements.get(now, &today) {
            return Ok(rows);
        }
        let mut tx = self.db().read().await?;
        let rows = improvements::published(&mut tx).await?;
        tx.commit().await?;
        Ok(self.inner.public_improvements.put(now, today, rows))
    }
}
