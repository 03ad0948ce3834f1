//! Improvements, what led to each, and the published ones for "You said, we did". The scope is
//! in the SQL: service staff see their own services' improvements, the participation team every
//! one.

use crate::{on, Result, Tx};
use coproduce_domain::files::FileKind;
use coproduce_domain::improvements::{Improvement, LedBy, Link, Published};
use coproduce_domain::{ConcernId, ImprovementId, PersonId, ServiceId, StaffId, Timestamp};

/// An improvement as it is saved, new or changed.
#[derive(Clone, Debug)]
pub struct ImprovementFields {
    /// The service that changed.
    pub service_id: ServiceId,
    /// What people told us.
    pub you_said: String,
    /// What changed.
    pub we_did: String,
    /// The evidence.
    pub evidence: String,
    /// The UK date it changed (`YYYY-MM-DD`).
    pub changed_on: String,
    /// Someone's words about it.
    pub quote: String,
    /// Whose words.
    pub quote_person: Option<PersonId>,
    /// What people told us, in Easy Read.
    pub you_said_easy: String,
    /// What changed, in Easy Read.
    pub we_did_easy: String,
    /// Whether it is on the public page.
    pub published: bool,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: ImprovementId,
    service_id: ServiceId,
    service_name: String,
    you_said: String,
    we_did: String,
    evidence: String,
    changed_on: String,
    quote: String,
    quote_person_id: Option<PersonId>,
    quote_person_name: Option<String>,
    you_said_easy: String,
    we_did_easy: String,
    published: bool,
    created_at: i64,
    version: i64,
}

impl From<Row> for Improvement {
    fn from(r: Row) -> Improvement {
        Improvement {
            id: r.id,
            service_id: r.service_id,
            service_name: r.service_name,
            you_said: r.you_said,
            we_did: r.we_did,
            evidence: r.evidence,
            changed_on: r.changed_on,
            quote: r.quote,
            quote_person: r.quote_person_id,
            quote_person_name: r.quote_person_name,
            you_said_easy: r.you_said_easy,
            we_did_easy: r.we_did_easy,
            published: r.published,
            links: Vec::new(),
            files: Vec::new(),
            created_at: r.created_at,
            version: r.version,
        }
    }
}

/// The columns of an improvement; `$1` is the scope (null for every service, else the staff
/// member whose services bound it).
const SELECT: &str = "SELECT i.id, i.service_id, sv.name AS service_name, i.you_said, i.we_did,
        i.evidence, i.changed_on, i.quote, i.quote_person_id, p.name AS quote_person_name,
        i.you_said_easy, i.we_did_easy, i.published, i.created_at, i.version
    FROM improvements i
    JOIN services sv ON sv.id = i.service_id
    LEFT JOIN people p ON p.id = i.quote_person_id
    WHERE ($1 IS NULL OR i.service_id IN (SELECT service_id FROM staff_services WHERE staff_id = $1))";

/// Records an improvement. Returns its id.
pub async fn insert(
    tx: &mut Tx,
    f: &ImprovementFields,
    by: Option<StaffId>,
    now: Timestamp,
) -> Result<ImprovementId> {
    Ok(on!(tx, c => sqlx::query_scalar(
        "INSERT INTO improvements (service_id, you_said, we_did, evidence, changed_on, quote,
             quote_person_id, you_said_easy, we_did_easy, published, created_by, created_at,
             updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id",
    )
    .bind(f.service_id).bind(&f.you_said).bind(&f.we_did).bind(&f.evidence)
    .bind(&f.changed_on).bind(&f.quote).bind(f.quote_person).bind(&f.you_said_easy)
    .bind(&f.we_did_easy).bind(f.published).bind(by).bind(now.millis())
    .fetch_one(c).await?))
}

/// Saves a changed improvement, if it is still at `version`. Returns whether it was.
pub async fn update(
    tx: &mut Tx,
    id: ImprovementId,
    version: i64,
    f: &ImprovementFields,
    now: Timestamp,
) -> Result<bool> {
    let done = on!(tx, c => sqlx::query(
        "UPDATE improvements SET service_id = $1, you_said = $2, we_did = $3, evidence = $4,
             changed_on = $5, quote = $6, quote_person_id = $7, you_said_easy = $8,
             we_did_easy = $9, published = $10, updated_at = $11, version = version + 1
         WHERE id = $12 AND version = $13",
    )
    .bind(f.service_id).bind(&f.you_said).bind(&f.we_did).bind(&f.evidence)
    .bind(&f.changed_on).bind(&f.quote).bind(f.quote_person).bind(&f.you_said_easy)
    .bind(&f.we_did_easy).bind(f.published).bind(now.millis()).bind(id).bind(version)
    .execute(c).await.map(|r| r.rows_affected())?);
    Ok(done == 1)
}

/// Adds what led to an improvement (once each, however often it is added).
pub async fn add_links(tx: &mut Tx, id: ImprovementId, links: &[LedBy]) -> Result<()> {
    for l in links {
        on!(tx, c => sqlx::query(
            "INSERT INTO improvement_links (improvement_id, kind, target_id) VALUES ($1, $2, $3)
             ON CONFLICT DO NOTHING",
        )
        .bind(id).bind(l.kind()).bind(l.id())
        .execute(c).await.map(|r| r.rows_affected())?);
    }
    Ok(())
}

/// Replaces what led to an improvement.
pub async fn set_links(tx: &mut Tx, id: ImprovementId, links: &[LedBy]) -> Result<()> {
    on!(tx, c => sqlx::query("DELETE FROM improvement_links WHERE improvement_id = $1")
        .bind(id)
        .execute(c)
        .await
        .map(|r| r.rows_affected())?);
    add_links(tx, id, links).await
}

/// One improvement with what led to it, if the scope shows it.
pub async fn find(
    tx: &mut Tx,
    id: ImprovementId,
    scope: Option<StaffId>,
) -> Result<Option<Improvement>> {
    let sql = format!("{SELECT} AND i.id = $2");
    let row: Option<Row> =
        on!(tx, c => sqlx::query_as(&sql).bind(scope).bind(id).fetch_optional(c).await?);
    let Some(mut found) = row.map(Improvement::from) else {
        return Ok(None);
    };
    found.links = links(tx, id).await?;
    found.files = on!(tx, c => sqlx::query_as(
        "SELECT id, file_name, content_type, size FROM improvement_files
         WHERE improvement_id = $1 ORDER BY id",
    )
    .bind(id)
    .fetch_all(c)
    .await?);
    Ok(Some(found))
}

/// What led to an improvement, named: groups and projects by name, meetings by their group
/// or project and UK date, concerns by number.
async fn links(tx: &mut Tx, id: ImprovementId) -> Result<Vec<Link>> {
    let rows: Vec<(String, i64, String, Option<i64>)> = on!(tx, c => sqlx::query_as(
        "SELECT l.kind, l.target_id, COALESCE(g.name, pr.name, mg.name, mp.name, sv.name, ''),
             m.starts_at
         FROM improvement_links l
         LEFT JOIN groups g ON l.kind = 'group' AND g.id = l.target_id
         LEFT JOIN projects pr ON l.kind = 'project' AND pr.id = l.target_id
         LEFT JOIN meetings m ON l.kind = 'meeting' AND m.id = l.target_id
         LEFT JOIN groups mg ON mg.id = m.group_id
         LEFT JOIN projects mp ON mp.id = m.project_id
         LEFT JOIN concerns cn ON l.kind = 'concern' AND cn.id = l.target_id
         LEFT JOIN services sv ON sv.id = cn.service_id
         WHERE l.improvement_id = $1
         ORDER BY l.kind, l.target_id",
    )
    .bind(id)
    .fetch_all(c)
    .await?);
    Ok(rows
        .into_iter()
        .filter_map(|(kind, target, name, starts_at)| {
            let led_by = LedBy::of(&kind, target)?;
            let name = match (led_by, starts_at) {
                (LedBy::Concern(c), _) => format!("Concern {c} about {name}"),
                (LedBy::Meeting(_), Some(at)) => {
                    format!(
                        "{name}, {}",
                        coproduce_domain::time::uk_date_text(Timestamp(at))
                    )
                }
                _ => name,
            };
            Some(Link { led_by, name })
        })
        .collect())
}

/// Improvements the scope shows, newest change first: of one service, or of every one; at
/// most `limit`, from `offset`. What led to each is not read.
pub async fn list(
    tx: &mut Tx,
    scope: Option<StaffId>,
    service: Option<ServiceId>,
    limit: i64,
    offset: i64,
) -> Result<Vec<Improvement>> {
    let sql = format!(
        "{SELECT} AND ($2 IS NULL OR i.service_id = $2)
         ORDER BY i.changed_on DESC, i.id DESC LIMIT $3 OFFSET $4"
    );
    let rows: Vec<Row> = on!(tx, c => sqlx::query_as(&sql)
        .bind(scope).bind(service).bind(limit).bind(offset)
        .fetch_all(c).await?);
    Ok(rows.into_iter().map(Improvement::from).collect())
}

/// Whether a person's latest word on being quoted is yes.
pub async fn may_quote(tx: &mut Tx, person: PersonId) -> Result<bool> {
    let given: Option<bool> = on!(tx, c => sqlx::query_scalar(
        "SELECT given FROM consents WHERE person_id = $1 AND kind = 'quotes'
         ORDER BY id DESC LIMIT 1",
    )
    .bind(person)
    .fetch_optional(c)
    .await?);
    Ok(given == Some(true))
}

/// Every published improvement, for the public page. A quote is left out unless its person's
/// latest word on being quoted is yes, so withdrawing consent takes it off at once.
pub async fn published(tx: &mut Tx) -> Result<Vec<Published>> {
    Ok(on!(tx, c => sqlx::query_as(
        "SELECT i.id, i.service_id, sv.name AS service_name, i.you_said, i.we_did, i.evidence, i.changed_on,
             CASE WHEN i.quote_person_id IS NOT NULL AND COALESCE((SELECT cs.given
                 FROM consents cs WHERE cs.person_id = i.quote_person_id AND cs.kind = 'quotes'
                 ORDER BY cs.id DESC LIMIT 1), FALSE) THEN i.quote ELSE '' END AS quote,
             i.you_said_easy, i.we_did_easy
         FROM improvements i JOIN services sv ON sv.id = i.service_id
         WHERE i.published = TRUE
         ORDER BY sv.name, i.changed_on DESC, i.id DESC",
    )
    .fetch_all(c)
    .await?))
}

/// The improvements a concern may close with, as `(id, what changed)`: those already led to
/// by it first, then its service's, newest first; at most `limit`.
pub async fn choices_for(
    tx: &mut Tx,
    concern: ConcernId,
    service: ServiceId,
    scope: Option<StaffId>,
    limit: i64,
) -> Result<Vec<(ImprovementId, String)>> {
    Ok(on!(tx, c => sqlx::query_as(
        "SELECT i.id, i.we_did FROM improvements i
         LEFT JOIN improvement_links l
             ON l.improvement_id = i.id AND l.kind = 'concern' AND l.target_id = $3
         WHERE ($1 IS NULL OR i.service_id IN
                 (SELECT service_id FROM staff_services WHERE staff_id = $1))
             AND (i.service_id = $2 OR l.target_id IS NOT NULL)
         ORDER BY CASE WHEN l.target_id IS NULL THEN 1 ELSE 0 END, i.changed_on DESC, i.id DESC
         LIMIT $4",
    )
    .bind(scope).bind(service).bind(concern).bind(limit)
    .fetch_all(c).await?))
}

/// Keeps a file of evidence for an improvement. Returns its id.
pub async fn add_file(
    tx: &mut Tx,
    id: ImprovementId,
    (name, kind, bytes): (&str, FileKind, &[u8]),
    added_by: &str,
    now: Timestamp,
) -> Result<i64> {
    Ok(on!(tx, c => sqlx::query_scalar(
        "INSERT INTO improvement_files (improvement_id, file_name, content_type, content, size,
             added_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(id).bind(name).bind(kind.content_type()).bind(bytes).bind(bytes.len() as i64)
    .bind(added_by).bind(now.millis())
    .fetch_one(c).await?))
}

/// A file of evidence: the improvement it is for, its name, its type and its bytes.
pub async fn file(
    tx: &mut Tx,
    file: i64,
) -> Result<Option<(ImprovementId, String, String, Vec<u8>)>> {
    Ok(on!(tx, c => sqlx::query_as(
        "SELECT improvement_id, file_name, content_type, content FROM improvement_files WHERE id = $1",
    )
    .bind(file)
    .fetch_optional(c)
    .await?))
}

/// Removes a file of evidence from an improvement. Returns whether it was one of its files.
pub async fn remove_file(tx: &mut Tx, id: ImprovementId, file: i64) -> Result<bool> {
    let removed = on!(tx, c => sqlx::query(
        "DELETE FROM improvement_files WHERE id = $1 AND improvement_id = $2",
    )
    .bind(file)
    .bind(id)
    .execute(c)
    .await
    .map(|r| r.rows_affected())?);
    Ok(removed == 1)
}
