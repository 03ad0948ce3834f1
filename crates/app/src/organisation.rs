//! The organisation's details and logo: set by an admin, shown on every page and in every
//! message. Pages read them from memory; each server reads them again after a change it makes
//! and once a minute (see [`App::refresh_organisation`]), so another server shows a change
//! within a minute.

use crate::input::{optional, text};
use crate::write::Done;
use crate::{Action, Actor, App, AppError, FieldError, Resource};
use coproduce_domain::logo::{sanitise_logo, Logo};
use coproduce_domain::organisation::{parse_public_address, Organisation};
use coproduce_domain::people::UkPhone;
use coproduce_domain::{AuditEvent, Email};
use coproduce_store::settings;
use sha2::{Digest, Sha256};
use std::sync::{Arc, RwLock};

/// The organisation's details as typed on the settings page.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct OrganisationInput {
    /// Its name.
    pub name: String,
    /// The participation team's email address.
    pub contact_email: String,
    /// The participation team's phone number.
    pub contact_phone: String,
    /// The public website.
    pub public_address: String,
    /// `yes` to take the logo away.
    pub remove_logo: String,
}

impl OrganisationInput {
    /// The form filled in with what is saved.
    pub fn from_saved(org: &Organisation) -> OrganisationInput {
        OrganisationInput {
            name: org.name.clone(),
            contact_email: org
                .contact_email
                .as_ref()
                .map(|e| e.to_string())
                .unwrap_or_default(),
            contact_phone: org.phone_text().unwrap_or_default(),
            public_address: org.public_address.clone().unwrap_or_default(),
            remove_logo: String::new(),
        }
    }
}

/// What the pages show, held in memory.
#[derive(Debug, Default)]
pub(crate) struct OrganisationCache(RwLock<Arc<Organisation>>);

/// Checks the details; the organisation to save (without its logo), or every problem.
fn checked(input: &OrganisationInput) -> Result<Organisation, AppError> {
    let mut problems = Vec::new();
    let name = text("name", &input.name, 200, "The name", &mut problems);
    if name.is_empty() {
        problems.push(FieldError::new("name", "Enter the organisation's name"));
    }
    let contact_email = optional(
        &input.contact_email,
        "contact_email",
        |t| Email::parse(t).map_err(|e| e.to_string()),
        &mut problems,
    );
    let contact_phone = optional(
        &input.contact_phone,
        "contact_phone",
        |t| UkPhone::parse(t).map_err(|e| e.0),
        &mut problems,
    );
    let public_address = optional(
        &input.public_address,
        "public_address",
        |t| parse_public_address(t).map_err(str::to_owned),
        &mut problems,
    );
    if !problems.is_empty() {
        return Err(AppError::Invalid(problems));
    }
    Ok(Organisation {
        name,
        contact_email,
        contact_phone,
        public_address,
        logo: None,
    })
}

impl App {
    /// The organisation's details, as last read.
    pub fn organisation(&self) -> Arc<Organisation> {
        match self.inner.organisation.0.read() {
            Ok(org) => Arc::clone(&org),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    /// Reads the organisation's details again (at start, after a change, and once a minute).
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn refresh_organisation(&self) -> Result<(), AppError> {
        let mut tx = self.db().read().await?;
        let org = settings::organisation(&mut tx).await?;
        tx.commit().await?;
        let fresh = Arc::new(org);
        match self.inner.organisation.0.write() {
            Ok(mut held) => *held = fresh,
            Err(poisoned) => *poisoned.into_inner() = fresh,
        }
        Ok(())
    }

    /// The logo's file, if it has one and `tag` is its tag (an old page's tag finds nothing).
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn logo(&self, tag: &str) -> Result<Option<Logo>, AppError> {
        let mut tx = self.db().read().await?;
        let logo = settings::logo(&mut tx).await?;
        tx.commit().await?;
        Ok(logo.filter(|(_, t)| t == tag).map(|(logo, _)| logo))
    }

    /// Saves the organisation's details, and its logo when a file is given (cleaned first) or
    /// taken away when `remove_logo` is `yes`.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn save_organisation(
        &self,
        actor: &Actor,
        input: &OrganisationInput,
        logo_file: Option<&[u8]>,
    ) -> Result<(), AppError> {
        self.write(actor, Action::ManageServices, &Resource::ANY, async |tx| {
            let org = checked(input);
            let logo = logo_file.map(sanitise_logo).transpose();
            let (org, logo) = match (org, logo) {
                (Ok(org), Ok(logo)) => (org, logo),
                (org, logo) => {
                    let mut problems = match org {
                        Err(AppError::Invalid(list)) => list,
                        Err(other) => return Err(other),
                        Ok(_) => Vec::new(),
                    };
                    if let Err(message) = logo {
                        problems.push(FieldError::new("logo", message));
                    }
                    return Err(AppError::Invalid(problems));
                }
            };
            settings::set_organisation(tx, &org).await?;
            let now = self.now();
            let mut detail = "details";
            if let Some(logo) = &logo {
                let tag = hex::encode(&Sha256::digest(&logo.bytes)[..6]);
                settings::set_logo(tx, Some((logo, &tag)), now).await?;
                detail = "details and logo";
            } else if input.remove_logo == "yes" {
                settings::set_logo(tx, None, now).await?;
                detail = "details, logo removed";
            }
            Ok(Done::new(
                (),
                AuditEvent::OrganisationUpdate,
                "organisation",
                detail,
            ))
        })
        .await?;
        self.refresh_organisation().await
    }
}
