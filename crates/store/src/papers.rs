//! Papers for meetings: an uploaded file or a link, each Easy Read or standard.

use crate::{on, JsonRows, Result, Tx};
use coproduce_domain::meetings::Paper;
use coproduce_domain::MeetingId;
use coproduce_domain::Timestamp;

/// A paper to add.
#[derive(Clone, Debug)]
pub struct NewPaper<'a> {
    /// The meeting.
    pub meeting_id: MeetingId,
    /// Its title.
    pub title: &'a str,
    /// A link, or…
    pub link: Option<&'a str>,
    /// …a file: its name, type and bytes.
    pub file: Option<(&'a str, &'a str, &'a [u8])>,
    /// Whether it is Easy Read.
    pub easy_read: bool,
    /// Who added it.
    pub added_by: &'a str,
}

/// Adds a paper. Returns its id.
pub async fn insert(tx: &mut Tx, p: &NewPaper<'_>, now: Timestamp) -> Result<i64> {
    let (name, kind, bytes) = match p.file {
        Some((n, k, b)) => (Some(n), Some(k), Some(b)),
        None => (None, None, None),
    };
    Ok(on!(tx, c => sqlx::query_scalar(
        "INSERT INTO meeting_papers (meeting_id, title, link, file_name, content_type, content, size,
             easy_read, added_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
    )
    .bind(p.meeting_id).bind(p.title).bind(p.link).bind(name).bind(kind).bind(bytes)
    .bind(bytes.map(|b| b.len() as i64)).bind(p.easy_read).bind(p.added_by).bind(now.millis())
    .fetch_one(c).await?))
}

/// A meeting's papers, Easy Read first, then by title.
pub async fn for_meeting(tx: &mut Tx, meeting: MeetingId) -> Result<Vec<Paper>> {
    let rows = JsonRows {
        fields: &[
            ("id", "p.id"),
            ("meeting_id", "p.meeting_id"),
            ("title", "p.title"),
            ("link", "p.link"),
            ("file_name", "p.file_name"),
            ("content_type", "p.content_type"),
            ("size", "p.size"),
            ("easy_read", "p.easy_read"),
            ("er_order", "CASE WHEN p.easy_read THEN 0 ELSE 1 END"),
        ],
        from: "FROM meeting_papers p WHERE p.meeting_id = $1",
        order: "er_order, title, id",
    };
    Ok(crate::json_rows!(tx, rows, |q| q.bind(meeting)))
}

/// A paper's file: its meeting, name, type and bytes.
pub async fn file(tx: &mut Tx, id: i64) -> Result<Option<(MeetingId, String, String, Vec<u8>)>> {
    Ok(on!(tx, c => sqlx::query_as(
        "SELECT meeting_id, file_name, content_type, content FROM meeting_papers
         WHERE id = $1 AND content IS NOT NULL",
    )
    .bind(id)
    .fetch_optional(c).await?))
}

/// Removes a paper from a meeting. False if there was none.
pub async fn remove(tx: &mut Tx, meeting: MeetingId, id: i64) -> Result<bool> {
    let n = on!(tx, c => sqlx::query("DELETE FROM meeting_papers WHERE id = $1 AND meeting_id = $2")
        .bind(id).bind(meeting)
        .execute(c).await.map(|r| r.rows_affected())?);
    Ok(n == 1)
}
