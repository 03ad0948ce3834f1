//! Managing staff accounts.

use crate::sign_in::PASSWORD_LINK_HOURS;
use crate::write::Done;
use crate::{authorise, passwords, Action, Actor, App, AppError, FieldError, Resource};
use coproduce_domain::AuditEvent;
use coproduce_domain::{Email, NewPassword, Role, SecretToken, ServiceId, StaffId};
use coproduce_store::{services, sessions, staff};

/// What is asked for when adding a staff member.
#[derive(Clone, Debug, Default)]
pub struct NewStaffInput {
    /// Email address as typed.
    pub email: String,
    /// Name as typed.
    pub name: String,
    /// Role as typed.
    pub role: String,
    /// Services by name or id.
    pub services: Vec<String>,
    /// A password to set now; without one, a set-password link is made.
    pub password: Option<String>,
}

/// A staff member just added.
#[derive(Debug)]
pub struct AddedStaff {
    /// Their id.
    pub id: StaffId,
    /// The one-time set-password link's token, when no password was given.
    pub password_link: Option<SecretToken>,
}

/// A staff member as the staff list shows them.
#[derive(Clone, Debug)]
pub struct StaffSummary {
    /// Their id.
    pub id: StaffId,
    /// Name.
    pub name: String,
    /// Email address.
    pub email: String,
    /// Role.
    pub role: Role,
    /// Whether they have a second factor set up.
    pub has_second_factor: bool,
    /// Whether one is required of them.
    pub second_factor_required: bool,
    /// Whether the account is disabled.
    pub disabled: bool,
}

impl App {
    /// Adds a staff member.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn add_staff(
        &self,
        actor: &Actor,
        input: NewStaffInput,
    ) -> Result<AddedStaff, AppError> {
        authorise(actor, Action::ManageStaff, &Resource::ANY)?;
        let mut problems = Vec::new();
        let email = Email::parse(&input.email)
            .map_err(|e| problems.push(FieldError::new("email", e.to_string())))
            .ok();
        let name = input.name.trim().to_owned();
        if name.is_empty() {
            problems.push(FieldError::new("name", "Enter their name"));
        } else if name.chars().count() > 200 {
            problems.push(FieldError::new(
                "name",
                "Name must be 200 characters or fewer",
            ));
        }
        let role = Role::parse(&input.role)
            .map_err(|e| problems.push(FieldError::new("role", e.to_string())))
            .ok();
        let password = match (&input.password, &email) {
            (Some(p), Some(e)) => NewPassword::parse(p, &[&name, e.as_str()])
                .map_err(|err| problems.push(FieldError::new("password", err.to_string())))
                .ok(),
            _ => None,
        };
        let mut tx = self.db().write().await?;
        if let Some(e) = &email {
            if staff::find_by_email(&mut tx, e).await?.is_some() {
                problems.push(FieldError::new(
                    "email",
                    "That email address is already in use",
                ));
            }
        }
        let mut service_ids: Vec<ServiceId> = Vec::new();
        for s in &input.services {
            match services::find_by_name_or_id(&mut tx, s).await? {
                Some(found) => service_ids.push(found.id),
                None => problems.push(FieldError::new(
                    "service",
                    format!("There is no service called \"{s}\""),
                )),
            }
        }
        let (Some(email), Some(role), true) = (email, role, problems.is_empty()) else {
            return Err(AppError::Invalid(problems));
        };
        let password_hash = match password {
            Some(p) => Some(passwords::hash(p.expose().to_owned()).await?),
            None => None,
        };
        let now = self.now();
        let id = staff::insert(
            &mut tx,
            &staff::NewStaff {
                email: &email,
                name: &name,
                role,
                password_hash: password_hash.as_deref(),
            },
            now,
        )
        .await
        .map_err(AppError::from_store_for("email"))?;
        for service in service_ids {
            staff::add_service(&mut tx, id, service).await?;
        }
        let password_link = if password_hash.is_none() {
            let token = SecretToken::generate("cpl_");
            staff::create_password_link(
                &mut tx,
                &token.hash(),
                id,
                now,
                now.plus_minutes(PASSWORD_LINK_HOURS * 60),
            )
            .await?;
            Some(token)
        } else {
            None
        };
        let object = format!("staff:{id}");
        let detail = format!("role={role}");
        self.audit(&mut tx, actor, AuditEvent::StaffAdd, &object, &detail)
            .await?;
        tx.commit().await?;
        Ok(AddedStaff { id, password_link })
    }

    /// Every staff member, for the staff list.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn list_staff(&self, actor: &Actor) -> Result<Vec<StaffSummary>, AppError> {
        authorise(actor, Action::ManageStaff, &Resource::ANY)?;
        let mut tx = self.db().read().await?;
        let rows = staff::list(&mut tx).await?;
        tx.commit().await?;
        Ok(rows
            .into_iter()
            .map(|r| StaffSummary {
                id: r.id,
                role: r.role(),
                has_second_factor: r.totp_secret.is_some(),
                second_factor_required: r.totp_required || r.role().requires_second_factor(),
                disabled: r.disabled_at.is_some(),
                name: r.name,
                email: r.email,
            })
            .collect())
    }

    /// Finds a staff member by email address, for the command line.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn staff_id_by_email(&self, actor: &Actor, email: &str) -> Result<StaffId, AppError> {
        authorise(actor, Action::ManageStaff, &Resource::ANY)?;
        let email = Email::parse(email).map_err(|e| AppError::field("email", e.to_string()))?;
        let mut tx = self.db().read().await?;
        let found = staff::find_by_email(&mut tx, &email).await?;
        tx.commit().await?;
        found.map(|s| s.id).ok_or_else(|| {
            AppError::field(
                "email",
                format!("No staff member has the email address {email}"),
            )
        })
    }

    /// Disables an account (ending every session it has) or enables it again.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn set_staff_disabled(
        &self,
        actor: &Actor,
        id: StaffId,
        disabled: bool,
    ) -> Result<(), AppError> {
        let now = self.now();
        self.write(actor, Action::ManageStaff, &Resource::ANY, async |tx| {
            if disabled && actor.staff().is_some_and(|s| s.id == id) {
                return Err(AppError::field(
                    "staff",
                    "You cannot disable your own account",
                ));
            }
            staff::find(tx, id).await?.ok_or(AppError::NotFound)?;
            staff::set_disabled(tx, id, disabled.then_some(now)).await?;
            let object = format!("staff:{id}");
            if disabled {
                let ended = sessions::revoke_all(tx, id, now).await?;
                let detail = format!("{ended} sessions ended");
                Ok(Done::new((), AuditEvent::StaffDisable, object, detail))
            } else {
                Ok(Done::new((), AuditEvent::StaffEnable, object, ""))
            }
        })
        .await
    }

    /// Requires a second factor of a service staff member, or stops requiring it.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn set_second_factor_required(
        &self,
        actor: &Actor,
        id: StaffId,
        required: Option<bool>,
    ) -> Result<(), AppError> {
        self.write(actor, Action::ManageStaff, &Resource::ANY, async |tx| {
            staff::find(tx, id).await?.ok_or(AppError::NotFound)?;
            let required = required.ok_or_else(|| {
                AppError::field("required", "Choose whether a second factor is required")
            })?;
            staff::set_totp_required(tx, id, required).await?;
            let (object, detail) = (format!("staff:{id}"), format!("required={required}"));
            Ok(Done::new(
                (),
                AuditEvent::SecondFactorRequirement,
                object,
                detail,
            ))
        })
        .await
    }
}
