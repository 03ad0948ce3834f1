//! Opportunities: roles to fill, who is invited, interested, selected, waiting or confirmed, and
//! the pictures staff upload for Easy Read summaries.

use crate::{on, unique_as, Result, Tx};
use coproduce_domain::opportunities::{Opportunity, OpportunityPerson, Picture, Stage};
use coproduce_domain::people::{parse_list, Need};
use coproduce_domain::Timestamp;
use coproduce_domain::{OpportunityId, PersonId};

const SELECT: &str = "SELECT o.id, o.title, o.kind, o.service_id, sv.name AS service_name,
        o.starts_on, o.start_time, o.end_time, o.dates_note, o.place, o.venue, o.access_info,
        o.places, o.asked, o.support, o.support_notes, o.requirements, o.payment, o.closes_on,
        o.description, o.easy_read, o.visibility, o.minutes,
        (SELECT COUNT(*) FROM opportunity_people op WHERE op.opportunity_id = o.id AND op.status = 'confirmed') AS confirmed,
        (SELECT COUNT(*) FROM opportunity_people op WHERE op.opportunity_id = o.id AND op.status IN ('interested', 'selected')) AS interested,
        o.version
    FROM opportunities o JOIN services sv ON sv.id = o.service_id";

/// Stores a new opportunity.
pub async fn insert(tx: &mut Tx, o: &Opportunity, now: Timestamp) -> Result<OpportunityId> {
    Ok(on!(tx, c => sqlx::query_scalar(
        "INSERT INTO opportunities (title, kind, service_id, starts_on, start_time, end_time,
             dates_note, place, venue, access_info, places, asked, support, support_notes,
             requirements, payment, closes_on, description, easy_read, visibility, minutes,
             created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18,
             $19, $20, $21, $22, $22) RETURNING id",
    )
    .bind(&o.title).bind(o.kind).bind(o.service_id).bind(&o.starts_on).bind(&o.start_time)
    .bind(&o.end_time).bind(&o.dates_note).bind(o.place).bind(&o.venue).bind(&o.access_info)
    .bind(o.places).bind(&o.asked).bind(&o.support).bind(&o.support_notes).bind(&o.requirements)
    .bind(&o.payment).bind(&o.closes_on).bind(&o.description).bind(&o.easy_read)
    .bind(o.visibility).bind(o.minutes).bind(now.millis())
    .fetch_one(c).await?))
}

/// Saves an opportunity if its version is still `o.version`. False when someone saved first.
pub async fn update(tx: &mut Tx, o: &Opportunity, now: Timestamp) -> Result<bool> {
    let n = on!(tx, c => sqlx::query(
        "UPDATE opportunities SET title = $3, kind = $4, service_id = $5, starts_on = $6,
             start_time = $7, end_time = $8, dates_note = $9, place = $10, venue = $11,
             access_info = $12, places = $13, asked = $14, support = $15, support_notes = $16,
             requirements = $17, payment = $18, closes_on = $19, description = $20,
             easy_read = $21, visibility = $22, minutes = $23, updated_at = $24,
             version = version + 1
         WHERE id = $1 AND version = $2",
    )
    .bind(o.id).bind(o.version).bind(&o.title).bind(o.kind).bind(o.service_id)
    .bind(&o.starts_on).bind(&o.start_time).bind(&o.end_time).bind(&o.dates_note).bind(o.place)
    .bind(&o.venue).bind(&o.access_info).bind(o.places).bind(&o.asked).bind(&o.support)
    .bind(&o.support_notes).bind(&o.requirements).bind(&o.payment).bind(&o.closes_on)
    .bind(&o.description).bind(&o.easy_read).bind(o.visibility).bind(o.minutes)
    .bind(now.millis())
    .execute(c).await?.rows_affected());
    Ok(n == 1)
}

/// One opportunity.
pub async fn find(tx: &mut Tx, id: OpportunityId) -> Result<Option<Opportunity>> {
    let sql = format!("{SELECT} WHERE o.id = $1");
    Ok(on!(tx, c => sqlx::query_as(&sql).bind(id).fetch_optional(c).await?))
}

/// Which opportunities a list shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Listing<'a> {
    /// Every one, for staff (their services' only when given).
    Staff(Option<i64>),
    /// Open ones anyone may see: public, closing on or after this UK date.
    Public(&'a str),
    /// Open ones a person taking part may see: public or for people involved.
    Involved(&'a str),
}

/// Opportunities, soonest closing first for open lists, newest first for staff.
pub async fn list(tx: &mut Tx, listing: Listing<'_>) -> Result<Vec<Opportunity>> {
    let (filter, order) = match listing {
        Listing::Staff(_) => (
            "($1 IS NULL OR o.service_id IN (SELECT service_id FROM staff_services WHERE staff_id = $1))",
            "o.closes_on DESC, o.id DESC",
        ),
        Listing::Public(_) => (
            "o.visibility = 'public' AND o.closes_on >= $1",
            "o.closes_on, o.id",
        ),
        Listing::Involved(_) => (
            "o.visibility IN ('public', 'involved') AND o.closes_on >= $1",
            "o.closes_on, o.id",
        ),
    };
    let sql = format!("{SELECT} WHERE {filter} ORDER BY {order} LIMIT 500");
    Ok(on!(tx, c => {
        let q = sqlx::query_as(&sql);
        let q = match listing {
            Listing::Staff(staff) => q.bind(staff),
            Listing::Public(today) | Listing::Involved(today) => q.bind(today.to_owned()),
        };
        q.fetch_all(c).await?
    }))
}

/// Whether an opportunity is open to the public on a UK date.
pub async fn is_public(tx: &mut Tx, id: OpportunityId, today: &str) -> Result<bool> {
    let found: Option<i64> = on!(tx, c => sqlx::query_scalar(
        "SELECT id FROM opportunities WHERE id = $1 AND visibility = 'public' AND closes_on >= $2",
    )
    .bind(id)
    .bind(today)
    .fetch_optional(c)
    .await?);
    Ok(found.is_some())
}

/// Sets a person's status in an opportunity (adding them if they are not there).
pub async fn set_person(
    tx: &mut Tx,
    opportunity: OpportunityId,
    person: PersonId,
    status: Stage,
    now: Timestamp,
) -> Result<()> {
    on!(tx, c => sqlx::query(
        "INSERT INTO opportunity_people (opportunity_id, person_id, status, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $4)
         ON CONFLICT (opportunity_id, person_id) DO UPDATE SET status = $3, updated_at = $4",
    )
    .bind(opportunity).bind(person).bind(status).bind(now.millis())
    .execute(c).await.map_err(unique_as("person"))?.rows_affected());
    Ok(())
}

/// Everyone in an opportunity, by stage then name.
pub async fn people(tx: &mut Tx, opportunity: OpportunityId) -> Result<Vec<OpportunityPerson>> {
    // Each person's needs come with them, stored as codes, so the list can show what to arrange.
    #[derive(sqlx::FromRow)]
    struct WithNeeds {
        #[sqlx(flatten)]
        who: OpportunityPerson,
        needs: String,
        interpreter_language: String,
    }
    let rows: Vec<WithNeeds> = on!(tx, c => sqlx::query_as(
        "SELECT op.opportunity_id, op.person_id, p.name, op.status, op.note, op.updated_at,
             p.needs, p.interpreter_language
         FROM opportunity_people op JOIN people p ON p.id = op.person_id
         WHERE op.opportunity_id = $1
         ORDER BY CASE op.status WHEN 'confirmed' THEN 0 WHEN 'selected' THEN 1
             WHEN 'interested' THEN 2 WHEN 'waiting' THEN 3 WHEN 'invited' THEN 4 ELSE 5 END,
             p.name, p.id",
    )
    .bind(opportunity)
    .fetch_all(c).await?);
    Ok(rows
        .into_iter()
        .map(|r| OpportunityPerson {
            needs: parse_list(&r.needs, Need::parse),
            interpreter_language: r.interpreter_language,
            ..r.who
        })
        .collect())
}

/// A person's opportunities (any stage).
pub async fn for_person(tx: &mut Tx, person: PersonId) -> Result<Vec<OpportunityPerson>> {
    Ok(on!(tx, c => sqlx::query_as(
        "SELECT op.opportunity_id, op.person_id, o.title AS name, op.status, op.note, op.updated_at
         FROM opportunity_people op JOIN opportunities o ON o.id = op.opportunity_id
         WHERE op.person_id = $1 ORDER BY o.starts_on DESC, o.id",
    )
    .bind(person)
    .fetch_all(c).await?))
}

/// Records a confirmed person's involvement (once, however often they are confirmed).
pub async fn add_involvement(
    tx: &mut Tx,
    o: &Opportunity,
    kind: &str,
    person: PersonId,
    now: Timestamp,
) -> Result<()> {
    on!(tx, c => sqlx::query(
        "INSERT INTO involvements (person_id, opportunity_id, kind, occurred_on, minutes, role,
             description, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, 'taking part', $6, $7, $7)
         ON CONFLICT (opportunity_id, person_id) WHERE opportunity_id IS NOT NULL DO NOTHING",
    )
    .bind(person).bind(o.id).bind(kind).bind(&o.starts_on).bind(o.minutes)
    .bind(&o.title).bind(now.millis())
    .execute(c).await.map(|r| r.rows_affected())?);
    Ok(())
}

/// Removes the involvement a confirmed place stood for.
pub async fn remove_involvement(
    tx: &mut Tx,
    opportunity: OpportunityId,
    person: PersonId,
) -> Result<()> {
    on!(tx, c => sqlx::query("DELETE FROM involvements WHERE opportunity_id = $1 AND person_id = $2")
        .bind(opportunity)
        .bind(person)
        .execute(c)
        .await
        .map(|r| r.rows_affected())?);
    Ok(())
}

/// Holds an opportunity's row until the transaction ends, so that two people confirming places
/// at once are counted one after the other.
pub async fn lock(tx: &mut Tx, id: OpportunityId) -> Result<()> {
    on!(tx, c => sqlx::query("UPDATE opportunities SET version = version WHERE id = $1")
        .bind(id)
        .execute(c)
        .await
        .map(|r| r.rows_affected())?);
    Ok(())
}

/// Stores an uploaded picture.
pub async fn add_picture(
    tx: &mut Tx,
    alt: &str,
    content_type: &str,
    bytes: &[u8],
    by: Option<i64>,
    now: Timestamp,
) -> Result<i64> {
    let name = format!(
        "upload-{}-{}",
        now.millis(),
        &coproduce_domain::SecretToken::generate("").expose()[..8]
    );
    Ok(on!(tx, c => sqlx::query_scalar(
        "INSERT INTO easy_read_pictures (name, alt, content_type, bytes, uploaded_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(name).bind(alt).bind(content_type).bind(bytes).bind(by).bind(now.millis())
    .fetch_one(c).await?))
}

/// Every uploaded picture, newest first.
pub async fn pictures(tx: &mut Tx) -> Result<Vec<Picture>> {
    Ok(
        on!(tx, c => sqlx::query_as("SELECT id, alt FROM easy_read_pictures ORDER BY id DESC")
        .fetch_all(c)
        .await?),
    )
}

/// An uploaded picture's type and bytes.
pub async fn picture(tx: &mut Tx, id: i64) -> Result<Option<(String, Vec<u8>)>> {
    Ok(
        on!(tx, c => sqlx::query_as("SELECT content_type, bytes FROM easy_read_pictures WHERE id = $1")
        .bind(id)
        .fetch_optional(c)
        .await?),
    )
}
