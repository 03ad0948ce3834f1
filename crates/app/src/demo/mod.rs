//! Demo data, from the founding story. Every person and staff member in it is invented.

mod concerns;
mod feedback;
mod groups;
mod people;
mod reviews;
mod taking_part;

use crate::staff::NewStaffInput;
use crate::{Actor, App, AppError};
use coproduce_domain::audit::Entry;
use coproduce_domain::organisation::Organisation;
use coproduce_domain::people::UkPhone;
use coproduce_domain::totp::TotpSecret;
use coproduce_domain::AuditEvent;
use coproduce_domain::Email;
use coproduce_domain::{Role, StaffId};
use coproduce_store::{audit, services, settings, staff};

/// The password every demo account signs in with.
pub const DEMO_PASSWORD: &str = "kettle lantern orchard velvet";

/// The organisation in the demo.
pub const ORGANISATION: &str = "Harbourside Community Health NHS Trust";

/// The services in the demo, from the founding story.
pub const SERVICES: [&str; 2] = [
    "Integrated Learning Disabilities Service, Portsmouth",
    "Child and Family Therapy",
];

/// The partner in the demo: a parent-carer forum.
pub const PARTNER: &str = "Harbour Parent Carer Forum";

/// One demo account, as printed at start.
#[derive(Clone, Debug)]
pub struct DemoAccount {
    /// Sign-in email address.
    pub email: String,
    /// Name.
    pub name: String,
    /// Role.
    pub role: Role,
    /// The TOTP secret, for roles that must use a second factor.
    pub totp_secret: Option<String>,
}

const STAFF: [(&str, &str, Role, &[usize]); 5] = [
    (
        "Priya Okafor",
        "priya.okafor@harbourside.example",
        Role::Admin,
        &[],
    ),
    (
        "Tom Reilly",
        "tom.reilly@harbourside.example",
        Role::Staff,
        &[0],
    ),
    (
        "Megan Achterberg",
        "megan.achterberg@harbourside.example",
        Role::Staff,
        &[1],
    ),
    (
        "Dev Kalsi",
        "dev.kalsi@harbourside.example",
        Role::Finance,
        &[],
    ),
    (
        "Ruth Mensah",
        "ruth.mensah@harbourside.example",
        Role::Auditor,
        &[],
    ),
];

/// Fills an empty database with the demo organisation, its services, partner and staff.
pub async fn seed(app: &App) -> Result<Vec<DemoAccount>, AppError> {
    let now = app.now();
    let mut tx = app.db().write().await?;
    let organisation = Organisation {
        name: ORGANISATION.to_owned(),
        contact_email: Email::parse("involvement@harbourside.example").ok(),
        contact_phone: UkPhone::parse("01632 960 100").ok(),
        public_address: Some("https://www.harbourside.example".to_owned()),
        logo: None,
    };
    settings::set_organisation(&mut tx, &organisation).await?;
    for name in SERVICES {
        services::create(&mut tx, name, now).await?;
    }
    services::create_partner(&mut tx, PARTNER, now).await?;
    audit::append(
        &mut tx,
        app.audit_key(),
        &Entry {
            at: now.millis(),
            actor: "cli",
            action: AuditEvent::DemoSeed.code(),
            object: None,
            detail: ORGANISATION,
        },
    )
    .await?;
    tx.commit().await?;

    let mut accounts = Vec::new();
    for (name, email, role, service_indexes) in STAFF {
        let input = NewStaffInput {
            email: email.to_owned(),
            name: name.to_owned(),
            role: role.as_str().to_owned(),
            services: service_indexes
                .iter()
                .map(|i| SERVICES[*i].to_owned())
                .collect(),
            password: Some(DEMO_PASSWORD.to_owned()),
        };
        let added = app.add_staff(&Actor::Cli, input).await?;
        let totp_secret = if role.requires_second_factor() {
            let secret = TotpSecret::generate().to_base32();
            set_demo_totp(app, added.id, &secret).await?;
            Some(secret)
        } else {
            None
        };
        accounts.push(DemoAccount {
            email: email.to_owned(),
            name: name.to_owned(),
            role,
            totp_secret,
        });
    }
    people::seed_people(app).await?;
    groups::seed_groups(app).await?;
    concerns::seed_concerns(app).await?;
    reviews::seed_reviews(app).await?;
    feedback::seed_feedback(app).await?;
    taking_part::seed_taking_part(app).await?;
    app.refresh_organisation().await?;
    Ok(accounts)
}

async fn set_demo_totp(app: &App, id: StaffId, secret: &str) -> Result<(), AppError> {
    let now = app.now();
    let mut tx = app.db().write().await?;
    staff::set_totp_secret(&mut tx, id, Some(secret)).await?;
    let object = format!("staff:{id}");
    audit::append(
        &mut tx,
        app.audit_key(),
        &Entry {
            at: now.millis(),
            actor: "cli",
            action: AuditEvent::SecondFactorEnrolled.code(),
            object: Some(&object),
            detail: "demo",
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
