//! A person's history and labels: status changes, consents (never edited, only added to) and tags.

use crate::{on, JsonRows, Result, Tx};
use coproduce_domain::PersonId;
use coproduce_domain::{StaffId, Timestamp};

/// A status change in a person's history.
#[derive(Clone, Debug, serde::Deserialize)]
pub struct StatusChangeRow {
    /// The new status code.
    pub status: String,
    /// Why.
    pub reason: String,
    /// The date it took effect.
    pub changed_on: String,
    /// Who recorded it.
    pub recorded_by_name: Option<String>,
    /// When it was recorded.
    pub recorded_at: i64,
}

/// Records a status change.
pub async fn add_status_change(
    tx: &mut Tx,
    person: PersonId,
    status: &str,
    reason: &str,
    changed_on: &str,
    by: Option<StaffId>,
    now: Timestamp,
) -> Result<()> {
    on!(tx, c => sqlx::query(
        "INSERT INTO person_status_changes (person_id, status, reason, changed_on, recorded_by, recorded_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(person).bind(status).bind(reason).bind(changed_on).bind(by.map(|s| s.0)).bind(now.millis())
    .execute(c)
    .await
    .map(|r| r.rows_affected())?);
    Ok(())
}

/// A person's status history (the person bound as `$1`), oldest first.
pub(super) const STATUS_CHANGES: JsonRows = JsonRows {
    fields: &[
        ("id", "c.id"),
        ("status", "c.status"),
        ("reason", "c.reason"),
        ("changed_on", "c.changed_on"),
        ("recorded_by_name", "s.name"),
        ("recorded_at", "c.recorded_at"),
    ],
    from: "FROM person_status_changes c LEFT JOIN staff s ON s.id = c.recorded_by WHERE c.person_id = $1",
    order: "recorded_at, id",
};

/// A consent record.
#[derive(Clone, Debug, serde::Deserialize)]
pub struct ConsentRow {
    /// The kind's code.
    pub kind: String,
    /// Given (true) or withdrawn (false).
    #[serde(deserialize_with = "crate::json_bool")]
    pub given: bool,
    /// Any note.
    pub note: String,
    /// Who recorded it.
    pub recorded_by_name: Option<String>,
    /// When.
    pub recorded_at: i64,
}

/// Records consent given or withdrawn: always a new row, never an edit.
pub async fn add_consent(
    tx: &mut Tx,
    person: PersonId,
    kind: &str,
    given: bool,
    note: &str,
    by: Option<StaffId>,
    now: Timestamp,
) -> Result<()> {
    on!(tx, c => sqlx::query(
        "INSERT INTO consents (person_id, kind, given, note, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(person).bind(kind).bind(given).bind(note).bind(by.map(|s| s.0)).bind(now.millis())
    .execute(c)
    .await
    .map(|r| r.rows_affected())?);
    Ok(())
}

/// A person's consent records, oldest first.
pub async fn consents(tx: &mut Tx, person: PersonId) -> Result<Vec<ConsentRow>> {
    Ok(crate::json_rows!(tx, CONSENTS, |q| q.bind(person)))
}

/// A person's consent records (the person bound as `$1`), oldest first.
pub(super) const CONSENTS: JsonRows = JsonRows {
    fields: &[
        ("id", "c.id"),
        ("kind", "c.kind"),
        ("given", "c.given"),
        ("note", "c.note"),
        ("recorded_by_name", "s.name"),
        ("recorded_at", "c.recorded_at"),
    ],
    from: "FROM consents c LEFT JOIN staff s ON s.id = c.recorded_by WHERE c.person_id = $1",
    order: "recorded_at, id",
};

/// A tag to put on a person: its kind (`interest` or `lived_experience`), its name, and whether
/// it is restricted.
pub type NewTag = (String, String, bool);

/// Replaces a person's tags.
pub async fn set_tags(tx: &mut Tx, person: PersonId, tags: &[NewTag]) -> Result<()> {
    on!(tx, c => sqlx::query("DELETE FROM person_tags WHERE person_id = $1")
        .bind(person)
        .execute(c)
        .await
        .map(|r| r.rows_affected())?);
    for (kind, name, restricted) in tags {
        let tag = tag_id(tx, kind, name).await?;
        add_tag(tx, person, tag, *restricted).await?;
    }
    Ok(())
}

/// The id of a tag, made if it is new.
pub async fn tag_id(tx: &mut Tx, kind: &str, name: &str) -> Result<i64> {
    Ok(on!(tx, c => sqlx::query_scalar(
        "INSERT INTO tags (kind, name) VALUES ($1, $2)
         ON CONFLICT (kind, name) DO UPDATE SET name = excluded.name RETURNING id",
    )
    .bind(kind)
    .bind(name)
    .fetch_one(c)
    .await?))
}

/// Puts a tag on a person.
pub async fn add_tag(tx: &mut Tx, person: PersonId, tag: i64, restricted: bool) -> Result<()> {
    on!(tx, c => sqlx::query(
        "INSERT INTO person_tags (person_id, tag_id, restricted) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
    )
    .bind(person)
    .bind(tag)
    .bind(restricted)
    .execute(c)
    .await
    .map(|r| r.rows_affected())?);
    Ok(())
}

/// A person's tags (the person bound as `$1`), by kind and name.
pub(super) const TAGS: JsonRows = JsonRows {
    fields: &[
        ("kind", "t.kind"),
        ("name", "t.name"),
        ("restricted", "pt.restricted"),
    ],
    from: "FROM person_tags pt JOIN tags t ON t.id = pt.tag_id WHERE pt.person_id = $1",
    order: "kind, name",
};

/// The people the scope shows who have said whether they may be quoted, by name, with their
/// latest answer (yes or no): those an improvement's quote may be from.
pub async fn quotable(tx: &mut Tx, scope: super::Scope) -> Result<Vec<(PersonId, String, bool)>> {
    let sql = format!(
        "SELECT p.id, p.name, c.given FROM people p
         JOIN consents c ON c.person_id = p.id AND c.kind = 'quotes' AND c.id =
             (SELECT MAX(l.id) FROM consents l WHERE l.person_id = p.id AND l.kind = 'quotes')
         WHERE {}
         ORDER BY p.name, p.id",
        super::SCOPE_SQL
    );
    Ok(on!(tx, c => sqlx::query_as(&sql).bind(scope.bind()).fetch_all(c).await?))
}
