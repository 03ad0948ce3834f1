//! Projects: time-bound pieces of co-production work, with members, meetings and their place on
//! the Think Local Act Personal ladder, each change of which is kept with its date.

use crate::{on, unique_as, Field, JsonRows, Result, Tx};
use coproduce_domain::Timestamp;

/// A stored project, with its service's name.
#[derive(Clone, Debug, Default, serde::Deserialize)]
pub struct ProjectRow {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Its aims.
    pub aims: String,
    /// The service it belongs to.
    pub service_id: i64,
    /// The service's name.
    pub service_name: String,
    /// When it starts, `YYYY-MM-DD`.
    pub starts_on: String,
    /// When it ends, if known.
    pub ends_on: Option<String>,
    /// `planning`, `under_way`, `reviewing` or `finished`.
    pub stage: String,
    /// Its level on the ladder of co-production.
    pub ladder: String,
    /// What it produced.
    pub outputs: String,
    /// Version, for refusing stale writes.
    pub version: i64,
}

const FIELDS: &[Field] = &[
    ("id", "pr.id"),
    ("name", "pr.name"),
    ("aims", "pr.aims"),
    ("service_id", "pr.service_id"),
    ("service_name", "sv.name"),
    ("starts_on", "pr.starts_on"),
    ("ends_on", "pr.ends_on"),
    ("stage", "pr.stage"),
    ("ladder", "pr.ladder"),
    ("outputs", "pr.outputs"),
    ("version", "pr.version"),
];

/// Adds a project. Returns its id.
pub async fn insert(tx: &mut Tx, p: &ProjectRow, now: Timestamp) -> Result<i64> {
    Ok(on!(tx, c => sqlx::query_scalar(
        "INSERT INTO projects (name, aims, service_id, starts_on, ends_on, stage, ladder, outputs,
             created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id",
    )
    .bind(&p.name).bind(&p.aims).bind(p.service_id).bind(&p.starts_on).bind(&p.ends_on)
    .bind(&p.stage).bind(&p.ladder).bind(&p.outputs).bind(now.millis())
    .fetch_one(c).await.map_err(unique_as("name"))?))
}

/// Changes a project if it is still at `p.version`; false if someone saved first.
pub async fn update(tx: &mut Tx, p: &ProjectRow, now: Timestamp) -> Result<bool> {
    let n = on!(tx, c => sqlx::query(
        "UPDATE projects SET name = $3, aims = $4, service_id = $5, starts_on = $6, ends_on = $7,
             stage = $8, ladder = $9, outputs = $10, updated_at = $11, version = version + 1
         WHERE id = $1 AND version = $2",
    )
    .bind(p.id).bind(p.version).bind(&p.name).bind(&p.aims).bind(p.service_id).bind(&p.starts_on)
    .bind(&p.ends_on).bind(&p.stage).bind(&p.ladder).bind(&p.outputs).bind(now.millis())
    .execute(c).await.map_err(unique_as("name"))?.rows_affected());
    Ok(n == 1)
}

/// One project.
pub async fn find(tx: &mut Tx, id: i64) -> Result<Option<ProjectRow>> {
    let rows = JsonRows {
        fields: FIELDS,
        from: "FROM projects pr JOIN services sv ON sv.id = pr.service_id WHERE pr.id = $1",
        order: "id",
    };
    let mut found: Vec<ProjectRow> = crate::json_rows!(tx, rows, |q| q.bind(id));
    Ok(found.pop())
}

/// Every project, unfinished ones first, then by start.
pub async fn list(tx: &mut Tx) -> Result<Vec<ProjectRow>> {
    let rows = JsonRows {
        fields: FIELDS,
        from: "FROM projects pr JOIN services sv ON sv.id = pr.service_id",
        order: "CASE stage WHEN 'finished' THEN 1 ELSE 0 END, starts_on DESC, id",
    };
    Ok(crate::json_rows!(tx, rows, |q| q))
}

/// A dated level on the ladder.
#[derive(Clone, Debug, serde::Deserialize)]
pub struct LadderRow {
    /// The level.
    pub ladder: String,
    /// When, `YYYY-MM-DD`.
    pub recorded_on: String,
    /// Who recorded it.
    pub recorded_by: String,
}

/// Records the project's level on the ladder on a day.
pub async fn record_ladder(
    tx: &mut Tx,
    project: i64,
    ladder: &str,
    on_day: &str,
    by: &str,
    now: Timestamp,
) -> Result<()> {
    on!(tx, c => sqlx::query(
        "INSERT INTO project_ladder (project_id, ladder, recorded_on, recorded_by, created_at)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(project).bind(ladder).bind(on_day).bind(by).bind(now.millis())
    .execute(c).await.map(|_| ())?);
    Ok(())
}

/// The project's levels on the ladder, oldest first.
pub async fn ladder_history(tx: &mut Tx, project: i64) -> Result<Vec<LadderRow>> {
    let rows = JsonRows {
        fields: &[
            ("id", "l.id"),
            ("ladder", "l.ladder"),
            ("recorded_on", "l.recorded_on"),
            ("recorded_by", "l.recorded_by"),
        ],
        from: "FROM project_ladder l WHERE l.project_id = $1",
        order: "id",
    };
    Ok(crate::json_rows!(tx, rows, |q| q.bind(project)))
}
