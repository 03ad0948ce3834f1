//! Imports of people from spreadsheets, kept between the upload, the mapping and the import.

use crate::{on, Result, Tx};
use coproduce_domain::Timestamp;
use coproduce_domain::{ServiceId, StaffId};

/// A staged import.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ImportRow {
    /// Id.
    pub id: i64,
    /// Who uploaded it.
    pub staff_id: Option<StaffId>,
    /// The service the people join.
    pub service_id: ServiceId,
    /// The uploaded file's name.
    pub filename: String,
    /// The header row, as a JSON list.
    pub header: String,
    /// The rows, as `coproduce_domain::table::Table::body` gives them.
    pub rows_text: String,
    /// The field each column maps to, as a JSON list.
    pub mapping: String,
    /// `staged` or `done`.
    pub status: String,
    /// How many people it added.
    pub imported: i64,
}

/// Stores an uploaded table.
pub async fn create(
    tx: &mut Tx,
    staff_id: Option<StaffId>,
    service_id: ServiceId,
    filename: &str,
    header: &str,
    rows_text: &str,
    now: Timestamp,
) -> Result<i64> {
    Ok(on!(tx, c => sqlx::query_scalar(
        "INSERT INTO imports (staff_id, service_id, filename, header, rows_text, status, created_at)
         VALUES ($1, $2, $3, $4, $5, 'staged', $6) RETURNING id",
    )
    .bind(staff_id)
    .bind(service_id)
    .bind(filename)
    .bind(header)
    .bind(rows_text)
    .bind(now.millis())
    .fetch_one(c)
    .await?))
}

/// A staged or finished import, if it is this uploader's (or anyone's, with `None`).
pub async fn find(tx: &mut Tx, id: i64, uploader: Option<i64>) -> Result<Option<ImportRow>> {
    Ok(on!(tx, c => sqlx::query_as(
        "SELECT id, staff_id, service_id, filename, header, rows_text, mapping, status, imported
         FROM imports WHERE id = $1 AND ($2 IS NULL OR staff_id = $2)",
    )
    .bind(id)
    .bind(uploader)
    .fetch_optional(c)
    .await?))
}

/// Saves the column mapping.
pub async fn set_mapping(tx: &mut Tx, id: i64, mapping: &str) -> Result<()> {
    on!(tx, c => sqlx::query("UPDATE imports SET mapping = $2 WHERE id = $1 AND status = 'staged'")
        .bind(id)
        .bind(mapping)
        .execute(c)
        .await
        .map(|r| r.rows_affected())?);
    Ok(())
}

/// Marks an import done (and drops its rows); false if it was already done.
pub async fn finish(tx: &mut Tx, id: i64, imported: i64) -> Result<bool> {
    let n = on!(tx, c => sqlx::query(
        "UPDATE imports SET status = 'done', imported = $2, rows_text = '' WHERE id = $1 AND status = 'staged'",
    )
    .bind(id)
    .bind(imported)
    .execute(c)
    .await
    .map(|r| r.rows_affected())?);
    Ok(n == 1)
}
