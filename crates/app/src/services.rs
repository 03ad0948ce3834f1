//! Services (the clinical services and teams people work with) and partners.

use crate::write::Done;
use crate::{authorise, may, Action, Actor, App, AppError, Resource};
use coproduce_domain::people::Cadence;
use coproduce_domain::services::{Archivable, Partner, Service};
use coproduce_domain::AuditEvent;
use coproduce_domain::PartnerId;
use coproduce_domain::ServiceId;
use coproduce_store::services;

/// Every change here is the participation team's.
const MANAGE: Action = Action::ManageServices;

/// A service's name checked, and its cadence (as read) accepted, or the problems with both.
fn service_fields(
    name: &str,
    cadence: Result<Cadence, coproduce_domain::people::Invalid>,
) -> Result<Cadence, AppError> {
    let mut problems = Vec::new();
    if name.is_empty() || name.chars().count() > 200 {
        problems.push(crate::FieldError::new(
            "name",
            "Enter the service's name, in 200 characters or fewer",
        ));
    }
    let cadence = cadence
        .map_err(|e| problems.push(crate::FieldError::new("default_cadence_days", e.0)))
        .ok();
    match (cadence, problems.is_empty()) {
        (Some(cadence), true) => Ok(cadence),
        _ => Err(AppError::Invalid(problems)),
    }
}

/// A partner's name checked; its problem is on `field`.
fn partner_name(name: &str, field: &'static str) -> Result<(), AppError> {
    if name.is_empty() || name.chars().count() > 200 {
        return Err(AppError::field(
            field,
            "Enter the partner's name, in 200 characters or fewer",
        ));
    }
    Ok(())
}

/// The services in which the policy lets an actor do `action`: every one for the participation
/// team and the command line, their own for service staff.
fn in_scope(actor: &Actor, action: Action, all: Vec<Service>) -> Vec<Service> {
    all.into_iter()
        .filter(|row| may(actor, action, &Resource::in_service(row.id)))
        .collect()
}

/// The service a group, project or meeting form chose by id, if it is one the actor may set things
/// up in; otherwise a problem on `service_id` (`missing` when none was chosen).
pub(crate) async fn chosen_service(
    tx: &mut coproduce_store::Tx,
    actor: &Actor,
    typed: &str,
    missing: &str,
    problems: &mut Vec<crate::FieldError>,
) -> Result<Option<Service>, AppError> {
    let service = match typed.trim().parse::<i64>() {
        Ok(id) => services::find_by_name_or_id(tx, &id.to_string()).await?,
        Err(_) => None,
    };
    match &service {
        None => problems.push(crate::FieldError::new("service_id", missing)),
        Some(s) if !may(actor, Action::EditGroups, &Resource::in_service(s.id)) => {
            problems.push(crate::FieldError::new(
                "service_id",
                "Choose one of your own services",
            ));
        }
        Some(_) => {}
    }
    Ok(service)
}

impl App {
    /// The services the actor may do `action` in, for the lists, filters and forms that offer a
    /// choice of service; refused outright to those who may not do it at all.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn services_for(
        &self,
        actor: &Actor,
        action: Action,
    ) -> Result<Vec<Service>, AppError> {
        authorise(actor, action, &Resource::ANY)?;
        Ok(in_scope(actor, action, self.services().await?))
    }

    /// [`App::services_for`], with the partner organisations, for the forms that offer both.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn services_and_partners_for(
        &self,
        actor: &Actor,
        action: Action,
    ) -> Result<(Vec<Service>, Vec<Partner>), AppError> {
        authorise(actor, action, &Resource::ANY)?;
        let (services, partners) = self.services_and_partners().await?;
        Ok((in_scope(actor, action, services), partners))
    }

    /// Adds a service, with how often its people are usually kept in touch with.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn create_service(
        &self,
        actor: &Actor,
        name: &str,
        default_cadence_days: &str,
    ) -> Result<i64, AppError> {
        let name = name.trim();
        let cadence = if default_cadence_days.trim().is_empty() {
            Cadence::from_days(28)
        } else {
            Cadence::parse(default_cadence_days)
        };
        let now = self.now();
        self.write(actor, MANAGE, &Resource::ANY, async |tx| {
            let cadence = service_fields(name, cadence)?;
            let id = services::create(tx, name, now)
                .await
                .map_err(AppError::from_store_for("name"))?;
            services::set_default_cadence(tx, id, cadence.days()).await?;
            Ok(Done::new(
                id.0,
                AuditEvent::ServiceAdd,
                format!("service:{id}"),
                name,
            ))
        })
        .await
    }
}

impl App {
    /// Services and partner organisations, both, for the pages that offer both.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn services_and_partners(&self) -> Result<(Vec<Service>, Vec<Partner>), AppError> {
        let mut tx = self.db().read().await?;
        let lists = services::lists(&mut tx).await?;
        tx.commit().await?;
        Ok(lists)
    }

    /// Partner organisations, for forms and lists.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn partners(&self) -> Result<Vec<Partner>, AppError> {
        let mut tx = self.db().read().await?;
        let rows = services::partners(&mut tx).await?;
        tx.commit().await?;
        Ok(rows)
    }

    /// Adds a partner organisation, such as a parent-carer forum.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn create_partner(&self, actor: &Actor, name: &str) -> Result<i64, AppError> {
        let name = name.trim();
        let now = self.now();
        self.write(actor, MANAGE, &Resource::ANY, async |tx| {
            partner_name(name, "partner_name")?;
            let id = services::create_partner(tx, name, now)
                .await
                .map_err(AppError::from_store_for("partner_name"))?;
            Ok(Done::new(
                id,
                AuditEvent::PartnerAdd,
                format!("partner:{id}"),
                name,
            ))
        })
        .await
    }
}

/// A change to a service: only the fields given change.
#[derive(Clone, Debug, Default)]
pub struct ServicePatch {
    /// Its new name.
    pub name: Option<String>,
    /// How often its people are usually kept in touch with, in days, as typed.
    pub default_cadence_days: Option<String>,
}

impl App {
    /// Renames a service or changes how often its people are usually kept in touch with.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn update_service(
        &self,
        actor: &Actor,
        id: ServiceId,
        name: &str,
        cadence: &str,
    ) -> Result<(), AppError> {
        let patch = ServicePatch {
            name: Some(name.to_owned()),
            default_cadence_days: Some(cadence.to_owned()),
        };
        self.patch_service(actor, id, &patch).await.map(|_| ())
    }

    /// Changes the fields of a service that `patch` gives, keeping the rest, in one transaction;
    /// returns the service as it now is.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn patch_service(
        &self,
        actor: &Actor,
        id: ServiceId,
        patch: &ServicePatch,
    ) -> Result<Service, AppError> {
        self.write(actor, MANAGE, &Resource::ANY, async |tx| {
            let current = services::list(tx)
                .await?
                .into_iter()
                .find(|s| s.id == id)
                .ok_or(AppError::NotFound)?;
            let name = patch.name.as_deref().unwrap_or(&current.name).trim();
            let cadence = service_fields(
                name,
                match &patch.default_cadence_days {
                    Some(typed) => Cadence::parse(typed),
                    None => Cadence::from_days(current.default_cadence_days),
                },
            )?;
            if !services::update(tx, id, name, cadence.days())
                .await
                .map_err(AppError::from_store_for("name"))?
            {
                return Err(AppError::NotFound);
            }
            let row = Service {
                id,
                name: name.to_owned(),
                default_cadence_days: cadence.days(),
            };
            Ok(Done::new(
                row,
                AuditEvent::ServiceUpdate,
                format!("service:{id}"),
                name,
            ))
        })
        .await
    }

    /// Renames a partner.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn update_partner(
        &self,
        actor: &Actor,
        id: PartnerId,
        name: &str,
    ) -> Result<(), AppError> {
        let name = name.trim();
        self.write(actor, MANAGE, &Resource::ANY, async |tx| {
            partner_name(name, "name")?;
            if !services::update_partner(tx, id, name)
                .await
                .map_err(AppError::from_store_for("name"))?
            {
                return Err(AppError::NotFound);
            }
            Ok(Done::new(
                (),
                AuditEvent::PartnerUpdate,
                format!("partner:{id}"),
                name,
            ))
        })
        .await
    }

    /// Archives a service or a partner: it leaves lists and forms; what was recorded stays.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn archive(&self, actor: &Actor, what: Archivable, id: i64) -> Result<(), AppError> {
        let now = self.now();
        self.write(actor, MANAGE, &Resource::ANY, async |tx| {
            if !services::archive(tx, what, id, now).await? {
                return Err(AppError::NotFound);
            }
            let object = match what {
                Archivable::Service => format!("service:{id}"),
                Archivable::Partner => format!("partner:{id}"),
            };
            Ok(Done::new((), AuditEvent::Archive, object, ""))
        })
        .await
    }
}
