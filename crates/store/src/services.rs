//! Services (clinical services or teams) and partners (external community organisations).

use crate::{decode_json_rows, on, unique_as, JsonRows, Result, Tx};
use coproduce_domain::services::{Archivable, Partner, Service};
use coproduce_domain::{PartnerId, ServiceId, Timestamp};

/// Adds a service; a name already in use is [`crate::StoreError::Duplicate`].
pub async fn create(tx: &mut Tx, name: &str, now: Timestamp) -> Result<ServiceId> {
    let id: i64 = on!(tx, c => sqlx::query_scalar(
        "INSERT INTO services (name, created_at) VALUES ($1, $2) RETURNING id",
    )
    .bind(name)
    .bind(now.millis())
    .fetch_one(c)
    .await
    .map_err(unique_as("service name"))?);
    Ok(ServiceId(id))
}

const SERVICES: JsonRows = JsonRows {
    fields: &[
        ("id", "id"),
        ("name", "name"),
        ("default_cadence_days", "default_cadence_days"),
    ],
    from: "FROM services WHERE archived_at IS NULL",
    order: "name, id",
};

const PARTNERS: JsonRows = JsonRows {
    fields: &[("id", "id"), ("name", "name")],
    from: "FROM partners WHERE archived_at IS NULL",
    order: "name, id",
};

/// Every service that is not archived, by name.
pub async fn list(tx: &mut Tx) -> Result<Vec<Service>> {
    Ok(crate::json_rows!(tx, SERVICES, |q| q))
}

/// Finds a service by its id (as text) or by its exact name, ignoring case.
pub async fn find_by_name_or_id(tx: &mut Tx, name_or_id: &str) -> Result<Option<Service>> {
    let id = name_or_id.trim().parse::<i64>().unwrap_or(-1);
    Ok(on!(tx, c => sqlx::query_as(
        "SELECT id, name, default_cadence_days FROM services WHERE id = $1 OR lower(name) = lower($2)",
    )
    .bind(id)
    .bind(name_or_id.trim())
    .fetch_optional(c)
    .await?))
}

/// Adds a partner organisation; a name already in use is [`crate::StoreError::Duplicate`].
pub async fn create_partner(tx: &mut Tx, name: &str, now: Timestamp) -> Result<i64> {
    Ok(on!(tx, c => sqlx::query_scalar(
        "INSERT INTO partners (name, created_at) VALUES ($1, $2) RETURNING id",
    )
    .bind(name)
    .bind(now.millis())
    .fetch_one(c)
    .await
    .map_err(unique_as("partner name"))?))
}

/// Sets how often a service's people are usually kept in touch with.
pub async fn set_default_cadence(tx: &mut Tx, id: ServiceId, days: i64) -> Result<()> {
    on!(tx, c => sqlx::query("UPDATE services SET default_cadence_days = $2, version = version + 1 WHERE id = $1")
        .bind(id.0)
        .bind(days)
        .execute(c)
        .await
        .map(|r| r.rows_affected())?);
    Ok(())
}

/// Every partner that is not archived, by name.
pub async fn partners(tx: &mut Tx) -> Result<Vec<Partner>> {
    Ok(crate::json_rows!(tx, PARTNERS, |q| q))
}

/// Every service and every partner not archived, by name, in one statement (the forms that
/// offer both need both).
pub async fn lists(tx: &mut Tx) -> Result<(Vec<Service>, Vec<Partner>)> {
    let sqlite = tx.is_sqlite();
    let sql = format!(
        "SELECT {}, {}",
        SERVICES.expr(sqlite),
        PARTNERS.expr(sqlite)
    );
    let (services, partners): (String, String) =
        on!(tx, c => sqlx::query_as(&sql).fetch_one(c).await?);
    Ok((decode_json_rows(&services)?, decode_json_rows(&partners)?))
}

/// Renames a service and sets its usual cadence; a name in use is a duplicate.
pub async fn update(tx: &mut Tx, id: ServiceId, name: &str, cadence_days: i64) -> Result<bool> {
    let n = on!(tx, c => sqlx::query(
        "UPDATE services SET name = $2, default_cadence_days = $3, version = version + 1 WHERE id = $1 AND archived_at IS NULL",
    )
    .bind(id)
    .bind(name)
    .bind(cadence_days)
    .execute(c)
    .await
    .map_err(unique_as("service name"))?
    .rows_affected());
    Ok(n == 1)
}

/// Renames a partner; a name in use is a duplicate.
pub async fn update_partner(tx: &mut Tx, id: PartnerId, name: &str) -> Result<bool> {
    let n = on!(tx, c => sqlx::query(
        "UPDATE partners SET name = $2, version = version + 1 WHERE id = $1 AND archived_at IS NULL",
    )
    .bind(id)
    .bind(name)
    .execute(c)
    .await
    .map_err(unique_as("partner name"))?
    .rows_affected());
    Ok(n == 1)
}

/// Archives a service or a partner (`table` is `services` or `partners`): it leaves the lists and
/// forms, and everything recorded with it stays.
pub async fn archive(tx: &mut Tx, table: Archivable, id: i64, now: Timestamp) -> Result<bool> {
    let sql = match table {
        Archivable::Service => {
            "UPDATE services SET archived_at = $2 WHERE id = $1 AND archived_at IS NULL"
        }
        Archivable::Partner => {
            "UPDATE partners SET archived_at = $2 WHERE id = $1 AND archived_at IS NULL"
        }
    };
    let n = on!(tx, c => sqlx::query(sql).bind(id).bind(now.millis()).execute(c).await.map(|r| r.rows_affected())?);
    Ok(n == 1)
}
