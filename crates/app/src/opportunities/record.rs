//! Adding and changing opportunities, and the lists staff and the public read.

use super::*;

use super::checks::checked;

impl App {
    async fn opportunity_service(
        &self,
        tx: &mut Tx,
        actor: &Actor,
        service: &str,
    ) -> Result<ServiceId, AppError> {
        let found = services::find_by_name_or_id(tx, service.trim())
            .await?
            .ok_or_else(|| AppError::field("service_id", "Choose a service"))?;
        authorise(actor, Action::EditGroups, &Resource::in_service(found.id))?;
        Ok(found.id)
    }

    /// Adds an opportunity for one of the actor's services.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn create_opportunity(
        &self,
        actor: &Actor,
        input: &OpportunityInput,
    ) -> Result<OpportunityId, AppError> {
        let now = self.now();
        let id = self
            .write(actor, Action::ViewGroups, &Resource::ANY, async |tx| {
                let service = self.opportunity_service(tx, actor, &input.service_id).await;
                let row = match (
                    checked(input, *service.as_ref().unwrap_or(&ServiceId(0))),
                    service,
                ) {
                    (Ok(row), Ok(_)) => row,
                    (Err(AppError::Invalid(mut a)), Err(AppError::Invalid(b))) => {
                        a.extend(b);
                        return Err(AppError::Invalid(a));
                    }
                    (Err(e), _) | (_, Err(e)) => return Err(e),
                };
                let id = opportunities::insert(tx, &row, now).await?;
                Ok(Done::new(
                    id,
                    AuditEvent::OpportunityAdd,
                    format!("opportunity:{id}"),
                    row.visibility.code(),
                ))
            })
            .await?;
        self.inner.public_opportunities.clear();
        Ok(id)
    }

    /// Saves changes to an opportunity if nobody else saved first.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn update_opportunity(
        &self,
        actor: &Actor,
        id: OpportunityId,
        input: &OpportunityInput,
    ) -> Result<(), AppError> {
        let now = self.now();
        // `opportunity_in_scope` makes this same check first.
        self.write(actor, Action::ViewGroups, &Resource::ANY, async |tx| {
            let current = self.opportunity_in_scope(tx, actor, id).await?;
            let service = self
                .opportunity_service(tx, actor, &input.service_id)
                .await?;
            let mut row = checked(input, service)?;
            if row.places < current.confirmed {
                return Err(AppError::field(
                    "places",
                    format!(
                        "{} people are confirmed already: move some off first, or keep at least {} places",
                        current.confirmed, current.confirmed
                    ),
                ));
            }
            row.id = id;
            if !opportunities::update(tx, &row, now).await? {
                return Err(AppError::Conflict {
                    version: current.version,
                    changed: vec!["title"],
                });
            }
            Ok(Done::new(
                (),
                AuditEvent::OpportunityChange,
                format!("opportunity:{id}"),
                row.visibility.code(),
            ))
        })
        .await?;
        self.inner.public_opportunities.clear();
        Ok(())
    }

    pub(super) async fn opportunity_in_scope(
        &self,
        tx: &mut Tx,
        actor: &Actor,
        id: OpportunityId,
    ) -> Result<Opportunity, AppError> {
        authorise(actor, Action::ViewGroups, &Resource::ANY)?;
        let found = opportunities::find(tx, id)
            .await?
            .ok_or(AppError::NotFound)?;
        authorise_or_hide(
            actor,
            Action::ViewGroups,
            &Resource::in_service(found.service_id),
        )?;
        Ok(found)
    }

    /// Every opportunity the actor works on (their services', for service staff).
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn staff_opportunities(&self, actor: &Actor) -> Result<Vec<Opportunity>, AppError> {
        authorise(actor, Action::ViewGroups, &Resource::ANY)?;
        let staff = crate::authz::bounded_by(actor).map(|s| s.0);
        let mut tx = self.db().read().await?;
        let rows = opportunities::list(&mut tx, Listing::Staff(staff)).await?;
        tx.commit().await?;
        Ok(rows)
    }

    /// One opportunity with everyone in it, for staff.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn view_opportunity(
        &self,
        actor: &Actor,
        id: OpportunityId,
    ) -> Result<OpportunityView, AppError> {
        let mut tx = self.db().read().await?;
        let opportunity = self.opportunity_in_scope(&mut tx, actor, id).await?;
        let people = opportunities::people(&mut tx, id).await?;
        tx.commit().await?;
        Ok(OpportunityView {
            opportunity,
            people,
        })
    }

    /// The opportunities open to everyone, soonest closing first.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn public_opportunities(&self) -> Result<Arc<Vec<Opportunity>>, AppError> {
        let now = self.now();
        let today = uk_day(now).to_string();
        if let Some(rows) = self.inner.public_opportunities.get(now, &today) {
            return Ok(rows);
        }
        let mut tx = self.db().read().await?;
        let rows = opportunities::list(&mut tx, Listing::Public(&today)).await?;
        tx.commit().await?;
        Ok(self.inner.public_opportunities.put(now, today, rows))
    }

    /// One opportunity anyone may see: a public one, open or closed (drafts and those only for
    /// people involved are not found). The flag says whether it is still open.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn public_opportunity(
        &self,
        id: OpportunityId,
    ) -> Result<(Opportunity, bool), AppError> {
        let today = uk_day(self.now()).to_string();
        let mut tx = self.db().read().await?;
        let found = opportunities::find(&mut tx, id)
            .await?
            .filter(|o| o.visibility == Visibility::Public)
            .ok_or(AppError::NotFound)?;
        tx.commit().await?;
        let open = found.closes_on >= today;
        Ok((found, open))
    }
}
