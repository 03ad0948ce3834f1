//! Services: the clinical services and teams people work with.

use crate::{authorise, Action, Actor, App, AppError};
use coproduce_domain::audit::Entry;
use coproduce_domain::people::Cadence;
use coproduce_store::services::PartnerRow;
use coproduce_store::{audit, services};

impl App {
    /// Adds a service, with how often its people are usually kept in touch with.
    pub async fn create_service(
        &self,
        actor: &Actor,
        name: &str,
        default_cadence_days: &str,
    ) -> Result<i64, AppError> {
        authorise(actor, Action::ManageServices)?;
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
        audit::append(
            &mut tx,
            &Entry {
                at: now.millis(),
                actor: &actor.audit_name(),
                action: "service_add",
                object: Some(&object),
                detail: name,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(id.0)
    }
}

impl App {
    /// Partner organisations, for forms and lists.
    pub async fn partners(&self) -> Result<Vec<PartnerRow>, AppError> {
        let mut tx = self.db().read().await?;
        let rows = services::partners(&mut tx).await?;
        tx.commit().await?;
        Ok(rows)
    }

    /// Adds a partner organisation, such as a parent-carer forum.
    pub async fn create_partner(&self, actor: &Actor, name: &str) -> Result<i64, AppError> {
        authorise(actor, Action::ManageServices)?;
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
        audit::append(
            &mut tx,
            &Entry {
                at: now.millis(),
                actor: &actor.audit_name(),
                action: "partner_add",
                object: Some(&object),
                detail: name,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }
}
