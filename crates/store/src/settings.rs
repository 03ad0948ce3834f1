//! Deployment-wide settings: the organisation's details, and its logo.

use crate::{on, Result, Tx};
use coproduce_domain::concerns::ConcernRules;
use coproduce_domain::logo::{Logo, LogoKind};
use coproduce_domain::organisation::{Organisation, UNNAMED};
use coproduce_domain::people::UkPhone;
use coproduce_domain::{Email, Timestamp};

/// Reads a setting.
pub async fn get(tx: &mut Tx, key: &str) -> Result<Option<String>> {
    Ok(
        on!(tx, c => sqlx::query_scalar("SELECT value FROM settings WHERE key = $1")
        .bind(key)
        .fetch_optional(c)
        .await?),
    )
}

/// Writes a setting, replacing any value it had.
pub async fn set(tx: &mut Tx, key: &str, value: &str) -> Result<()> {
    on!(tx, c => sqlx::query(
        "INSERT INTO settings (key, value) VALUES ($1, $2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )
    .bind(key)
    .bind(value)
    .execute(c)
    .await
    .map(|r| r.rows_affected())?);
    Ok(())
}

/// The settings keys of the organisation's details.
const NAME: &str = "organisation_name";
const EMAIL: &str = "contact_email";
const PHONE: &str = "contact_phone";
const ADDRESS: &str = "public_address";

/// The organisation's details, in one statement; a detail never set (or no longer readable as
/// its type) is left out.
pub async fn organisation(tx: &mut Tx) -> Result<Organisation> {
    let rows: Vec<(String, String)> = on!(tx, c => sqlx::query_as(
        "SELECT key, value FROM settings WHERE key IN ($1, $2, $3, $4)
         UNION ALL SELECT 'logo', kind || ':' || tag FROM organisation_logo",
    )
    .bind(NAME)
    .bind(EMAIL)
    .bind(PHONE)
    .bind(ADDRESS)
    .fetch_all(c)
    .await?);
    let mut org = Organisation::default();
    for (key, value) in rows {
        match key.as_str() {
            NAME if !value.is_empty() => org.name = value,
            EMAIL => org.contact_email = Email::parse(&value).ok(),
            PHONE => org.contact_phone = UkPhone::parse(&value).ok(),
            ADDRESS if !value.is_empty() => org.public_address = Some(value),
            "logo" => {
                org.logo = value
                    .split_once(':')
                    .and_then(|(k, tag)| Some((LogoKind::parse(k)?, tag.to_owned())))
            }
            _ => {}
        }
    }
    Ok(org)
}

/// Saves the organisation's details (not its logo: see [`set_logo`]).
pub async fn set_organisation(tx: &mut Tx, org: &Organisation) -> Result<()> {
    let name = if org.name.is_empty() {
        UNNAMED
    } else {
        &org.name
    };
    set(tx, NAME, name).await?;
    let email = org.contact_email.as_ref().map_or("", |e| e.as_str());
    set(tx, EMAIL, email).await?;
    let phone = org.contact_phone.as_ref().map_or("", |p| p.as_str());
    set(tx, PHONE, phone).await?;
    set(tx, ADDRESS, org.public_address.as_deref().unwrap_or("")).await
}

/// The logo's file and its tag, if there is one.
pub async fn logo(tx: &mut Tx) -> Result<Option<(Logo, String)>> {
    let row: Option<(LogoKind, Vec<u8>, String)> = on!(tx, c => sqlx::query_as(
        "SELECT kind, bytes, tag FROM organisation_logo WHERE id = 1",
    )
    .fetch_optional(c)
    .await?);
    Ok(row.map(|(kind, bytes, tag)| (Logo { kind, bytes }, tag)))
}

/// Replaces the logo (tagged `tag`), or removes it.
pub async fn set_logo(tx: &mut Tx, logo: Option<(&Logo, &str)>, now: Timestamp) -> Result<()> {
    on!(tx, c => sqlx::query("DELETE FROM organisation_logo")
        .execute(c)
        .await
        .map(|r| r.rows_affected())?);
    if let Some((logo, tag)) = logo {
        on!(tx, c => sqlx::query(
            "INSERT INTO organisation_logo (id, kind, bytes, tag, updated_at)
             VALUES (1, $1, $2, $3, $4)",
        )
        .bind(logo.kind)
        .bind(&logo.bytes)
        .bind(tag)
        .bind(now.millis())
        .execute(c)
        .await
        .map(|r| r.rows_affected())?);
    }
    Ok(())
}

/// The settings keys of the concerns log's rules, in the order they are read.
const CONCERN_RULES: [&str; 6] = [
    "concern_days_escalate",
    "concern_days_respond",
    "concern_days_feed_back",
    "concern_days_close",
    "concern_signpost_safeguarding",
    "concern_signpost_complaint",
];

/// The concerns log's step targets and signposting, each as an admin set it or as it starts.
pub async fn concern_rules(tx: &mut Tx) -> Result<ConcernRules> {
    let rows: Vec<(String, String)> = on!(tx, c => sqlx::query_as(
        "SELECT key, value FROM settings WHERE key IN ($1, $2, $3, $4, $5, $6)",
    )
    .bind(CONCERN_RULES[0]).bind(CONCERN_RULES[1]).bind(CONCERN_RULES[2])
    .bind(CONCERN_RULES[3]).bind(CONCERN_RULES[4]).bind(CONCERN_RULES[5])
    .fetch_all(c)
    .await?);
    let mut rules = ConcernRules::default();
    for (key, value) in rows {
        let days = value.parse::<i64>().ok();
        match (CONCERN_RULES.iter().position(|k| *k == key), days) {
            (Some(0), Some(d)) => rules.days.escalate = d,
            (Some(1), Some(d)) => rules.days.respond = d,
            (Some(2), Some(d)) => rules.days.feed_back = d,
            (Some(3), Some(d)) => rules.days.close = d,
            (Some(4), _) => rules.safeguarding = value,
            (Some(5), _) => rules.complaint = value,
            _ => {}
        }
    }
    Ok(rules)
}

/// Saves the concerns log's step targets and signposting.
pub async fn set_concern_rules(tx: &mut Tx, rules: &ConcernRules) -> Result<()> {
    let d = rules.days;
    let values = [
        d.escalate.to_string(),
        d.respond.to_string(),
        d.feed_back.to_string(),
        d.close.to_string(),
        rules.safeguarding.clone(),
        rules.complaint.clone(),
    ];
    for (key, value) in CONCERN_RULES.iter().zip(values) {
        set(tx, key, &value).await?;
    }
    Ok(())
}
