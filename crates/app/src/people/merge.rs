//! Merging two records of one person, with nothing lost.

use super::*;

/// Fills the gaps in one record from another: anything `keep` lacks that `other` has.
fn fill_gaps(keep: &mut Person, other: &Person) {
    fn take(mine: &mut String, theirs: &str) {
        if mine.is_empty() {
            theirs.clone_into(mine);
        }
    }
    fn take_opt<T: Clone>(mine: &mut Option<T>, theirs: &Option<T>) {
        if mine.is_none() {
            mine.clone_from(theirs);
        }
    }
    fn take_list<T: Clone>(mine: &mut Vec<T>, theirs: &[T]) {
        if mine.is_empty() {
            theirs.clone_into(mine);
        }
    }
    take(&mut keep.preferred_name, &other.preferred_name);
    take(&mut keep.pronouns, &other.pronouns);
    take_opt(&mut keep.date_of_birth, &other.date_of_birth);
    take_opt(&mut keep.email, &other.email);
    take_opt(&mut keep.phone, &other.phone);
    take(&mut keep.address, &other.address);
    take_opt(&mut keep.postcode, &other.postcode);
    take_list(&mut keep.channels, &other.channels);
    take(&mut keep.best_times, &other.best_times);
    take_list(&mut keep.needs, &other.needs);
    take(&mut keep.interpreter_language, &other.interpreter_language);
    take(&mut keep.needs_notes, &other.needs_notes);
    take_opt(&mut keep.partner_id, &other.partner_id);
}

impl App {
    /// Merges `remove` into `keep`: everything recorded about them moves onto `keep`, gaps in
    /// `keep`'s details are filled from `remove`'s, and `remove` is deleted. The audit trail
    /// records the merge with both ids.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn merge_people(
        &self,
        actor: &Actor,
        keep: PersonId,
        remove: PersonId,
    ) -> Result<(), AppError> {
        authorise(actor, Action::EditPeople, &Resource::ANY)?;
        if keep == remove {
            return Err(AppError::field(
                "remove",
                "Choose a different person to merge",
            ));
        }
        let scope = people_scope(actor);
        let now = self.now();
        self.write(actor, Action::EditPeople, &Resource::ANY, async |tx| {
            let mut kept = people::find(tx, keep, scope)
                .await?
                .ok_or(AppError::NotFound)?;
            let removed = people::find(tx, remove, scope)
                .await?
                .ok_or(AppError::NotFound)?;
            fill_gaps(&mut kept, &removed);
            people::merge_into(tx, keep, remove).await?;
            if !people::update(tx, &kept, now).await? {
                return Err(AppError::Conflict {
                    version: kept.version,
                    changed: Vec::new(),
                });
            }
            Ok(Done::new(
                (),
                AuditEvent::PersonMerge,
                format!("person:{keep}"),
                format!("person:{remove} ({}) merged into this record", removed.name),
            ))
        })
        .await
    }
}
