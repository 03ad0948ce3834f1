//! API tokens: created at the command line, presented as bearer tokens.

use crate::write::Done;
use crate::{Action, Actor, App, AppError, Resource, StaffMember};
use coproduce_domain::AuditEvent;
use coproduce_domain::{Role, SecretToken, StaffId};
use coproduce_store::{api_tokens, staff};

impl App {
    /// Creates an API token for a staff member; returns the token, to show once.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn create_api_token(
        &self,
        actor: &Actor,
        staff_id: StaffId,
        name: &str,
        expires_in_days: Option<i64>,
    ) -> Result<SecretToken, AppError> {
        let name = name.trim();
        let now = self.now();
        self.write(actor, Action::ManageTokens, &Resource::ANY, async |tx| {
            if let Some(days) = expires_in_days {
                if !(1..=3650).contains(&days) {
                    return Err(AppError::field(
                        "expires_days",
                        "Expiry must be from 1 to 3650 days",
                    ));
                }
            }
            if name.is_empty() || name.chars().count() > 100 {
                return Err(AppError::field(
                    "name",
                    "Give the token a name of 1 to 100 characters",
                ));
            }
            let token = SecretToken::generate("cpt_");
            let account = staff::find(tx, staff_id).await?.ok_or(AppError::NotFound)?;
            if account.disabled_at.is_some() {
                return Err(AppError::field("email", "That account is disabled"));
            }
            let expires = expires_in_days.map(|d| now.plus_days(d));
            let id = api_tokens::create(tx, &token.hash(), staff_id, name, expires, now).await?;
            Ok(Done::new(
                token,
                AuditEvent::TokenCreate,
                format!("token:{id}"),
                format!("for staff:{staff_id}"),
            ))
        })
        .await
    }

    /// The actor behind a presented bearer token, or none when it is forged, revoked or
    /// expired. Each use is recorded in the audit trail with what was asked for.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn api_actor(&self, token: &str, request: &str) -> Result<Option<Actor>, AppError> {
        let token_hash = SecretToken::from_presented(token).hash();
        let now = self.now();
        let mut tx = self.db().write().await?;
        let Some(owner) = api_tokens::find_live(&mut tx, &token_hash, now).await? else {
            return Ok(None);
        };
        let staff_id = owner.staff_id;
        let service_ids = staff::service_ids(&mut tx, staff_id).await?;
        api_tokens::touch(&mut tx, owner.token_id, now).await?;
        let actor = Actor::Token {
            token_id: owner.token_id,
            staff: StaffMember {
                id: staff_id,
                name: owner.name,
                email: owner.email,
                role: Role::parse(&owner.role).unwrap_or(Role::Staff),
                service_ids,
            },
        };
        let object = format!("token:{}", owner.token_id);
        self.audit(&mut tx, &actor, AuditEvent::TokenUse, &object, request)
            .await?;
        tx.commit().await?;
        Ok(Some(actor))
    }
}
