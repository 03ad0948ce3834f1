//! Meetings: the materialised occurrences of a group's pattern, and one-offs.

use crate::{on, placeholders, JsonRows, Result, Tx};
use coproduce_domain::Timestamp;

/// A stored meeting.
#[derive(Clone, Debug, serde::Deserialize)]
pub struct MeetingRow {
    /// Id.
    pub id: i64,
    /// The group.
    pub group_id: i64,
    /// The pattern's London start this came from (`YYYY-MM-DDTHH:MM`); none for a one-off.
    pub occurrence: Option<String>,
    /// Start, UTC milliseconds.
    pub starts_at: i64,
    /// End, UTC milliseconds.
    pub ends_at: i64,
    /// `scheduled` or `cancelled`.
    pub status: String,
    /// When staff changed this meeting alone, if they did.
    pub changed_at: Option<i64>,
    /// How many times it changed, for calendars.
    pub sequence: i64,
    /// The agenda.
    pub agenda: String,
    /// Version, for refusing stale writes.
    pub version: i64,
}

const FIELDS: &[crate::Field] = &[
    ("id", "m.id"),
    ("group_id", "m.group_id"),
    ("occurrence", "m.occurrence"),
    ("starts_at", "m.starts_at"),
    ("ends_at", "m.ends_at"),
    ("status", "m.status"),
    ("changed_at", "m.changed_at"),
    ("sequence", "m.sequence"),
    ("agenda", "m.agenda"),
    ("version", "m.version"),
];

/// One meeting.
pub async fn find(tx: &mut Tx, id: i64) -> Result<Option<MeetingRow>> {
    let rows = JsonRows {
        fields: FIELDS,
        from: "FROM meetings m WHERE m.id = $1",
        order: "id",
    };
    let mut found: Vec<MeetingRow> = crate::json_rows!(tx, rows, |q| q.bind(id));
    Ok(found.pop())
}

/// What staff can change about one meeting.
#[derive(Clone, Debug)]
pub struct MeetingChange<'a> {
    /// Start.
    pub starts_at: Timestamp,
    /// End.
    pub ends_at: Timestamp,
    /// `scheduled` or `cancelled`.
    pub status: &'a str,
    /// The agenda.
    pub agenda: &'a str,
}

/// Changes one meeting if it is still at `version`; the series leaves it alone from then on.
/// False when someone saved first.
pub async fn change(
    tx: &mut Tx,
    id: i64,
    version: i64,
    m: &MeetingChange<'_>,
    now: Timestamp,
) -> Result<bool> {
    let n = on!(tx, c => sqlx::query(
        "UPDATE meetings SET starts_at = $3, ends_at = $4, status = $5, agenda = $6, changed_at = $7,
            updated_at = $7, sequence = sequence + 1, version = version + 1
         WHERE id = $1 AND version = $2",
    )
    .bind(id).bind(version).bind(m.starts_at.millis()).bind(m.ends_at.millis()).bind(m.status)
    .bind(m.agenda).bind(now.millis())
    .execute(c)
    .await
    .map(|r| r.rows_affected())?);
    Ok(n == 1)
}

/// A group's meetings starting in `[from, to)` (both optional), soonest first, at most `limit`.
pub async fn for_group(
    tx: &mut Tx,
    group: i64,
    from: Option<Timestamp>,
    to: Option<Timestamp>,
    limit: i64,
) -> Result<Vec<MeetingRow>> {
    let rows = JsonRows {
        fields: FIELDS,
        from: "FROM meetings m WHERE m.group_id = $1
               AND ($2 IS NULL OR m.starts_at >= $2) AND ($3 IS NULL OR m.starts_at < $3)
               ORDER BY m.starts_at, m.id LIMIT $4",
        order: "starts_at, id",
    };
    Ok(crate::json_rows!(tx, rows, |q| q
        .bind(group)
        .bind(from.map(Timestamp::millis))
        .bind(to.map(Timestamp::millis))
        .bind(limit)))
}

/// An occurrence of a pattern to keep: its key (the London start) and its UTC span.
#[derive(Clone, Debug)]
pub struct Occurrence {
    /// The London wall-clock start, `YYYY-MM-DDTHH:MM`.
    pub key: String,
    /// Start.
    pub starts_at: Timestamp,
    /// End.
    pub ends_at: Timestamp,
}

/// Brings a group's scheduled meetings from `from` on into line with its pattern's
/// `occurrences` (all of them from `from` to the horizon): missing ones are added; ones the
/// pattern no longer gives are cancelled (their calendar entries then say so); ones whose length
/// changed are updated. Meetings staff changed one by one are left alone. Returns how many were
/// added.
pub async fn align(
    tx: &mut Tx,
    group: i64,
    from: Timestamp,
    occurrences: &[Occurrence],
    now: Timestamp,
) -> Result<usize> {
    let existing = for_group(tx, group, Some(from), None, i64::MAX).await?;
    let wanted: std::collections::HashMap<&str, &Occurrence> =
        occurrences.iter().map(|o| (o.key.as_str(), o)).collect();
    let mut cancel = Vec::new();
    // Scheduled at the pattern's length: ones cancelled that it gives again, and ones whose
    // length changed.
    let mut restore = Vec::new();
    for m in existing.iter().filter(|m| m.changed_at.is_none()) {
        let Some(key) = m.occurrence.as_deref() else {
            continue;
        };
        match (wanted.get(key), m.status.as_str()) {
            (None, "scheduled") => cancel.push(m.id),
            (Some(o), "cancelled") => restore.push((m.id, o.ends_at)),
            (Some(o), _) if o.ends_at.millis() != m.ends_at => restore.push((m.id, o.ends_at)),
            _ => {}
        }
    }
    for (id, ends_at) in restore {
        on!(tx, c => sqlx::query(
            "UPDATE meetings SET status = 'scheduled', ends_at = $3, sequence = sequence + 1,
                updated_at = $2, version = version + 1 WHERE id = $1",
        )
        .bind(id).bind(now.millis()).bind(ends_at.millis())
        .execute(c)
        .await
        .map(|r| r.rows_affected())?);
    }
    for chunk in cancel.chunks(500) {
        let sql =
            format!(
            "UPDATE meetings SET status = 'cancelled', sequence = sequence + 1, updated_at = $1,
                version = version + 1
             WHERE id IN ({})",
            (2..chunk.len() + 2).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ")
        );
        on!(tx, c => {
            let mut q = sqlx::query(&sql).bind(now.millis());
            for id in chunk {
                q = q.bind(id);
            }
            q.execute(c).await.map(|r| r.rows_affected())?
        });
    }
    let known: std::collections::HashSet<&str> = existing
        .iter()
        .filter_map(|m| m.occurrence.as_deref())
        .collect();
    let new: Vec<&Occurrence> = occurrences
        .iter()
        .filter(|o| !known.contains(o.key.as_str()))
        .collect();
    for chunk in new.chunks(100) {
        let sql = format!(
            "INSERT INTO meetings (group_id, occurrence, starts_at, ends_at, status, created_at, updated_at)
             VALUES {} ON CONFLICT DO NOTHING",
            placeholders(chunk.len(), 7)
        );
        on!(tx, c => {
            let mut q = sqlx::query(&sql);
            for o in chunk {
                q = q
                    .bind(group)
                    .bind(&o.key)
                    .bind(o.starts_at.millis())
                    .bind(o.ends_at.millis())
                    .bind("scheduled")
                    .bind(now.millis())
                    .bind(now.millis());
            }
            q.execute(c).await.map(|r| r.rows_affected())?
        });
    }
    Ok(new.len())
}
