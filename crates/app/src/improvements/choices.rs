//! What an improvement's form offers to choose from: the open concerns, groups and projects
//! that may have led to it, and the people whose words a quote may be.

use super::*;

/// What an improvement's form offers: what may have led to it, and whose words a quote may be.
#[derive(Clone, Debug, Default)]
pub struct ImprovementChoices {
    /// Open concerns, groups and projects the actor may see, as `(kind:id, name)`.
    pub led_by: Vec<(String, String)>,
    /// People who have said whether they may be quoted: id, name, and their latest answer.
    pub quotable: Vec<(PersonId, String, bool)>,
}

/// Open concerns an improvement's form offers.
const CONCERN_CHOICES: i64 = 30;

impl App {
    /// What an improvement's form offers the actor to choose from.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn improvement_choices(&self, actor: &Actor) -> Result<ImprovementChoices, AppError> {
        authorise(actor, Action::RecordImprovements, &Resource::ANY)?;
        let mut led_by: Vec<(String, String)> = Vec::new();
        let mut tx = self.db().read().await?;
        let scope = bounded_by(actor);
        for c in concerns::log(&mut tx, scope, true, CONCERN_CHOICES, 0).await? {
            let name = format!(
                "Concern {} about {}, from {}",
                c.id, c.service_name, c.raiser_name
            );
            led_by.push((LedBy::Concern(c.id).code(), name));
        }
        let quotable = people::quotable(&mut tx, people_scope(actor)).await?;
        tx.commit().await?;
        for g in self.groups(actor).await? {
            led_by.push((LedBy::Group(g.id).code(), format!("The group {}", g.name)));
        }
        for p in self.projects(actor).await? {
            led_by.push((
                LedBy::Project(p.id).code(),
                format!("The project {}", p.name),
            ));
        }
        Ok(ImprovementChoices { led_by, quotable })
    }
}
