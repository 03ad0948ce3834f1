//! Projects: time-bound pieces of co-production work, with members, meetings and their place on
//! the Think Local Act Personal ladder, each change of which is kept with its date.

use crate::{on, unique_as, Field, JsonRows, Result, Tx};
use coproduce_domain::groups::Ladder;
use coproduce_domain::projects::{LadderStep, Project};
use coproduce_domain::{ProjectId, Timestamp};

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
    ("next_review_on", "pr.next_review_on"),
    ("version", "pr.version"),
];

/// Adds a project, due its first review on `review_on`. Returns its id.
pub async fn insert(
    tx: &mut Tx,
    p: &Project,
    review_on: &str,
    now: Timestamp,
) -> Result<ProjectId> {
    Ok(on!(tx, c => sqlx::query_scalar(
        "INSERT INTO projects (name, aims, service_id, starts_on, ends_on, stage, ladder, outputs,
             next_review_on, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $10, $9, $9) RETURNING id",
    )
    .bind(&p.name).bind(&p.aims).bind(p.service_id).bind(&p.starts_on).bind(&p.ends_on)
    .bind(p.stage.code()).bind(p.ladder.code()).bind(&p.outputs).bind(now.millis()).bind(review_on)
    .fetch_one(c).await.map_err(unique_as("name"))?))
}

/// Changes a project if it is still at `p.version`; false if someone saved first.
pub async fn update(tx: &mut Tx, p: &Project, now: Timestamp) -> Result<bool> {
    let n = on!(tx, c => sqlx::query(
        "UPDATE projects SET name = $3, aims = $4, service_id = $5, starts_on = $6, ends_on = $7,
             stage = $8, ladder = $9, outputs = $10, updated_at = $11, version = version + 1
         WHERE id = $1 AND version = $2",
    )
    .bind(p.id).bind(p.version).bind(&p.name).bind(&p.aims).bind(p.service_id).bind(&p.starts_on)
    .bind(&p.ends_on).bind(p.stage.code()).bind(p.ladder.code()).bind(&p.outputs).bind(now.millis())
    .execute(c).await.map_err(unique_as("name"))?.rows_affected());
    Ok(n == 1)
}

/// One project.
pub async fn find(tx: &mut Tx, id: ProjectId) -> Result<Option<Project>> {
    let rows = JsonRows {
        fields: FIELDS,
        from: "FROM projects pr JOIN services sv ON sv.id = pr.service_id WHERE pr.id = $1",
        order: "id",
    };
    let mut found: Vec<Project> = crate::json_rows!(tx, rows, |q| q.bind(id));
    Ok(found.pop())
}

/// Every project, unfinished ones first, then by start.
pub async fn list(tx: &mut Tx) -> Result<Vec<Project>> {
    let rows = JsonRows {
        fields: FIELDS,
        from: "FROM projects pr JOIN services sv ON sv.id = pr.service_id",
        order: "CASE stage WHEN 'finished' THEN 1 ELSE 0 END, starts_on DESC, id",
    };
    Ok(crate::json_rows!(tx, rows, |q| q))
}

/// Records the project's level on the ladder on a day.
pub async fn record_ladder(
    tx: &mut Tx,
    project: ProjectId,
    ladder: Ladder,
    on_day: &str,
    by: &str,
    now: Timestamp,
) -> Result<()> {
    on!(tx, c => sqlx::query(
        "INSERT INTO project_ladder (project_id, ladder, recorded_on, recorded_by, created_at)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(project).bind(ladder.code()).bind(on_day).bind(by).bind(now.millis())
    .execute(c).await.map(|_| ())?);
    Ok(())
}

/// The project's levels on the ladder, oldest first.
pub async fn ladder_history(tx: &mut Tx, project: ProjectId) -> Result<Vec<LadderStep>> {
    let rows = JsonRows {
        fields: &[
            ("id", "l.id"),
            ("ladder", "l.ladder"),
            ("recorded_on", "l.recorded_on"),
            ("recorded_by", "l.recorded_by"),
            ("reason", "l.reason"),
        ],
        from: "FROM project_ladder l WHERE l.project_id = $1",
        order: "id",
    };
    Ok(crate::json_rows!(tx, rows, |q| q.bind(project)))
}
