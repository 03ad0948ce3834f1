//! Actions as a meeting's and a review's pages list them: each with its owner, due date and a
//! form to mark it done or dropped, and those agreed elsewhere saying where.

use super::{date_text, uk_date};
use coproduce_domain::meetings::{ActionItem, AgreedAt};

/// One action as a page's table shows it.
pub(crate) struct ActionRow {
    pub id: i64,
    pub description: String,
    pub owner: String,
    pub due: String,
    pub status: &'static str,
    /// Where it was agreed, when that was not on this page.
    pub carried: Option<String>,
    pub version: i64,
}

/// The rows of a page for `here`: those agreed elsewhere (carried forward) say where.
pub(crate) fn action_rows(actions: Vec<ActionItem>, here: AgreedAt) -> Vec<ActionRow> {
    actions
        .into_iter()
        .map(|a| ActionRow {
            carried: (a.agreed_at() != here).then(|| match a.agreed_at() {
                AgreedAt::Review(_) => format!("the review on {}", uk_date(a.raised_at)),
                AgreedAt::Meeting(_) => uk_date(a.raised_at),
            }),
            id: a.id,
            owner: a.owner_name.unwrap_or_else(|| "Nobody yet".into()),
            due: a.due_on.as_deref().map(date_text).unwrap_or_default(),
            status: a.status.code(),
            version: a.version,
            description: a.description,
        })
        .collect()
}
