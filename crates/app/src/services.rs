//! Services (the clinical services and teams people work with) and partners.

use crate::{authorise, may, Action, Actor, App, AppError, Resource};
use coproduce_domain::people::Cadence;
use coproduce_domain::AuditEvent;
use coproduce_domain::ServiceId;
use coproduce_store::services;
use coproduce_store::services::PartnerRow;

/// The services in which the policy lets an actor do `action`: every one for the participation
/// team and the command line, their own for service staff.
fn in_scope(
    actor: &Actor,
    action: Action,
    all: Vec<services::ServiceRow>,
) -> Vec<services::ServiceRow> {
    all.into_iter()
        .filter(|row| may(actor, action, &Resource::in_service(ServiceId(row.id))))
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
) -> Result<Option<services::ServiceRow>, AppError> {
    let service = match typed.trim().parse::<i64>() {
        Ok(id) => services::find_by_name_or_id(tx, &id.to_string()).await?,
        Err(_) => None,
    };
    match &service {
        None => problems.push(crate::FieldError::new("service_id", missing)),
        Some(s)
            if !may(
                actor,
                Action::EditGroups,
                &Resource::in_service(ServiceId(s.id)),
            ) =>
        {
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
    ) -> Result<Vec<services::ServiceRow>, AppError> {
        authorise(actor, action, &Resource::ANY)?;
        Ok(in_scope(actor, action, self.services().await?))
    }

    /// [`App::services_for`], with the partner organisations, for the forms that offer both.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn services_and_partners_for(
        &self,
        actor: &Actor,
        action: Action,
    ) -> Result<(Vec<services::ServiceRow>, Vec<PartnerRow>), AppError> {
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
        authorise(actor, Action::ManageServices, &Resource::ANY)?;
        let mut problems = Vec::new();
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 200 {
            problems.push(crate::FieldError::new(
                "name",
                "Enter the service's name, in 200 characters or fewer",
            ));
        }
        let cadence = if default_cadence_days.trim().is_empty() {
            Cadence::from_days(28)
        } else {
            Cadence::parse(default_cadence_days)
        };
        let cadence = cadence
            .map_err(|e| problems.push(crate::FieldError::new("default_cadence_days", e.0)))
            .ok();
        let (Some(cadence), true) = (cadence, problems.is_empty()) else {
            return Err(AppError::Invalid(problems));
        };
        let now = self.now();
        let mut tx = self.db().write().await?;
        let id = services::create(&mut tx, name, now)
            .await
            .map_err(AppError::from_store_for("name"))?;
        services::set_default_cadence(&mut tx, id, cadence.days()).await?;
        let object = format!("service:{id}");
        self.audit(&mut tx, actor, AuditEvent::ServiceAdd, &object, name)
            .await?;
        tx.commit().await?;
        Ok(id.0)
    }
}

impl App {
    /// Services and partner organisations, both, for the pages that offer both.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn services_and_partners(
        &self,
    ) -> Result<(Vec<services::ServiceRow>, Vec<PartnerRow>), AppError> {
        let mut tx = self.db().read().await?;
        let lists = services::lists(&mut tx).await?;
        tx.commit().await?;
        Ok(lists)
    }

    /// Partner organisations, for forms and lists.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn partners(&self) -> Result<Vec<PartnerRow>, AppError> {
        let mut tx = self.db().read().await?;
        let rows = services::partners(&mut tx).await?;
        tx.commit().await?;
        Ok(rows)
    }

    /// Adds a partner organisation, such as a parent-carer forum.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn create_partner(&self, actor: &Actor, name: &str) -> Result<i64, AppError> {
        authorise(actor, Action::ManageServices, &Resource::ANY)?;
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 200 {
            return Err(AppError::field(
                "partner_name",
                "Enter the partner's name, in 200 characters or fewer",
            ));
        }
        let now = self.now();
        let mut tx = self.db().write().await?;
        let id = services::create_partner(&mut tx, name, now)
            .await
            .map_err(AppError::from_store_for("partner_name"))?;
        let object = format!("partner:{id}");
        self.audit(&mut tx, actor, AuditEvent::PartnerAdd, &object, name)
            .await?;
        tx.commit().await?;
        Ok(id)
    }
}

pub use coproduce_store::services::Archivable;

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
        id: i64,
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
        id: i64,
        patch: &ServicePatch,
    ) -> Result<services::ServiceRow, AppError> {
        authorise(actor, Action::ManageServices, &Resource::ANY)?;
        let mut tx = self.db().write().await?;
        let current = services::find_by_name_or_id(&mut tx, &id.to_string())
            .await?
            .filter(|s| s.id == id)
            .ok_or(AppError::NotFound)?;
        let name = patch.name.as_deref().unwrap_or(&current.name).trim();
        let cadence = match &patch.default_cadence_days {
            Some(typed) => Cadence::parse(typed),
            None => Cadence::from_days(current.default_cadence_days),
        };
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
        let (Some(cadence), true) = (cadence, problems.is_empty()) else {
            return Err(AppError::Invalid(problems));
        };
        services::update(&mut tx, id, name, cadence.days())
            .await
            .map_err(AppError::from_store_for("name"))?;
        let object = format!("service:{id}");
        self.audit(&mut tx, actor, AuditEvent::ServiceUpdate, &object, name)
            .await?;
        tx.commit().await?;
        Ok(services::ServiceRow {
            id,
            name: name.to_owned(),
            default_cadence_days: cadence.days(),
        })
    }

    /// Renames a partner.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn update_partner(&self, actor: &Actor, id: i64, name: &str) -> Result<(), AppError> {
        authorise(actor, Action::ManageServices, &Resource::ANY)?;
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 200 {
            return Err(AppError::field(
                "name",
                "Enter the partner's name, in 200 characters or fewer",
            ));
        }
        let mut tx = self.db().write().await?;
        if !services::update_partner(&mut tx, id, name)
            .await
            .map_err(AppError::from_store_for("name"))?
        {
            return Err(AppError::NotFound);
        }
        self.audit(
            &mut tx,
            actor,
            AuditEvent::PartnerUpdate,
            &format!("partner:{id}"),
            name,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Archives a service or a partner: it leaves lists and forms; what was recorded stays.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn archive(&self, actor: &Actor, what: Archivable, id: i64) -> Result<(), AppError> {
        authorise(actor, Action::ManageServices, &Resource::ANY)?;
        let mut tx = self.db().write().await?;
        if !services::archive(&mut tx, what, id, self.now()).await? {
            return Err(AppError::NotFound);
        }
        let object = match what {
            Archivable::Service => format!("service:{id}"),
            Archivable::Partner => format!("partner:{id}"),
        };
        self.audit(&mut tx, actor, AuditEvent::Archive, &object, "")
            .await?;
        tx.commit().await?;
        Ok(())
    }
}
