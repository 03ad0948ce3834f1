//! People and relationships: records, needs, consents, contacts and the keep-in-touch queue.
//! Every read is scoped (see [`people_scope`]) and every view of a person is audited.

use crate::write::Done;
use crate::{authorise, may, people_scope, Action, Actor, App, AppError, FieldError, Resource};
use chrono::{NaiveDate, NaiveTime};
use coproduce_domain::people::{
    join_codes, parse_date, parse_list, parse_past_date, Cadence, Channel, ConsentKind, Direction,
    Need, PersonStatus, Postcode, UkPhone,
};
use coproduce_domain::time::uk_day;
use coproduce_domain::AuditEvent;
use coproduce_domain::{Email, PartnerId, PersonId, StaffId, Timestamp};
use coproduce_store::contacts::NewContact;
use coproduce_store::people::{self, ConsentRow, Filter, NewTag, StatusChangeRow};
use coproduce_store::relationships::{NewRelationship, QueueFilter};
use coproduce_store::{services, Tx};

pub use coproduce_domain::Person;

mod checks;
mod consents;
mod contacts;
mod merge;
mod queue;
mod record;
mod relationships;
mod search;

use crate::input::optional;
pub(crate) use checks::{validate, TAG_LIMIT};
pub use contacts::ContactInput;
use coproduce_domain::services::Service;
pub use queue::{KeepInTouchPage, QueueInput, QueuePage, QUEUE_PAGE};
pub use record::{PersonInput, PersonPatch, PersonView};
pub(crate) use relationships::{new_relationship, start_relationship};
pub use relationships::{RelationshipForm, RelationshipInput};
pub use search::{SearchInput, SearchPage};

/// How far ahead the keep-in-touch queue looks.
pub const DUE_SOON_DAYS: i64 = 7;
/// The most people one download holds.
pub const EXPORT_LIMIT: i64 = 200_000;
/// People per page of search results.
pub const PAGE_SIZE: i64 = 25;

fn today() -> NaiveDate {
    uk_day(Timestamp::now())
}

impl App {
    /// The services an actor may add people to: all for admins, their own for staff.
    pub(crate) async fn allowed_service(
        &self,
        tx: &mut Tx,
        actor: &Actor,
        service: &str,
    ) -> Result<Service, AppError> {
        let found = services::find_by_name_or_id(tx, service)
            .await?
            .ok_or_else(|| AppError::field("service_id", "Choose a service"))?;
        if may(actor, Action::EditPeople, &Resource::in_service(found.id)) {
            Ok(found)
        } else {
            Err(AppError::field(
                "service_id",
                "Choose one of your own services",
            ))
        }
    }

    /// Services, for forms and filters.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn services(&self) -> Result<Vec<Service>, AppError> {
        let mut tx = self.db().read().await?;
        let rows = services::list(&mut tx).await?;
        tx.commit().await?;
        Ok(rows)
    }

    /// The moment the queue and pages treat as now.
    pub fn now_for_display(&self) -> Timestamp {
        self.now()
    }
}
